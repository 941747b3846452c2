/** Glossary §1.2 advertising. ROAS = 1 / ACoS; never alert on both (trap 2). */
import { b, div, m, sum } from './define.ts';

const A = ['A.spend', 'A.attributed_sales'];

export const ADS_METRICS = [
  sum('ad_spend', 'A.spend', { en: 'Ad spend', zh: '广告费', synonyms: ['广告花费', '花费', '消耗', '投放金额', 'spend'], unit: 'money', dir: 'band', cls: 'sales' }),
  sum('ad_sales', 'A.attributed_sales', { en: 'Ad-attributed sales', zh: '广告销售额', synonyms: ['广告成交额'], unit: 'money', dir: 'higher', cls: 'sales' }),
  sum('ad_orders', 'A.attributed_orders', { en: 'Ad-attributed orders', zh: '广告订单', synonyms: ['广告出单'], unit: 'count', dir: 'higher', cls: 'sales' }),
  sum('impressions', 'A.impressions', { en: 'Impressions', zh: '曝光', synonyms: ['曝光量', '展现', '展示量'], unit: 'count', dir: 'higher', cls: 'sales' }),
  sum('clicks', 'A.clicks', { en: 'Clicks', zh: '点击', synonyms: ['点击量'], unit: 'count', dir: 'higher', cls: 'sales' }),
  m({ id: 'ctr', en: 'Click-through rate', zh: '点击率', synonyms: ['ctr'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['A.clicks', 'A.impressions'], compute: (v) => div(b(v, 'A.clicks'), b(v, 'A.impressions')) }),
  m({ id: 'cpc', en: 'Cost per click', zh: '点击成本', synonyms: ['单次点击成本', '点击单价', 'cpc'], unit: 'money', dir: 'lower', agg: 'ratio', cls: 'sales', needs: ['A.spend', 'A.clicks'], compute: (v) => div(b(v, 'A.spend'), b(v, 'A.clicks')) }),
  m({ id: 'cpm', en: 'Cost per mille', zh: '千次曝光成本', synonyms: ['cpm'], unit: 'money', dir: 'lower', agg: 'ratio', cls: 'sales', needs: ['A.spend', 'A.impressions'], compute: (v) => { const r = div(b(v, 'A.spend'), b(v, 'A.impressions')); return r === null ? null : r * 1000; } }),
  m({ id: 'ad_cvr', en: 'Ad conversion rate', zh: '广告转化率', unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['A.attributed_orders', 'A.clicks'], compute: (v) => div(b(v, 'A.attributed_orders'), b(v, 'A.clicks')) }),
  m({ id: 'cpa', en: 'Cost per ad order', zh: '单次转化成本', synonyms: ['获客成本', 'cpa'], unit: 'money', dir: 'lower', agg: 'ratio', cls: 'sales', needs: ['A.spend', 'A.attributed_orders'], compute: (v) => div(b(v, 'A.spend'), b(v, 'A.attributed_orders')) }),
  m({ id: 'acos', en: 'ACoS', zh: 'ACoS', synonyms: ['acos', '广告成本销售比'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'sales', needs: A, compute: (v) => div(b(v, 'A.spend'), b(v, 'A.attributed_sales')) }),
  m({ id: 'roas', en: 'ROAS', zh: 'ROAS', synonyms: ['roas', '广告投产比', '投产比', '投放roi', '广告roi', 'roi'], unit: 'multiple', dir: 'higher', agg: 'ratio', cls: 'sales', needs: A, compute: (v) => div(b(v, 'A.attributed_sales'), b(v, 'A.spend')) }),
  m({ id: 'tacos', en: 'TACoS', zh: 'TACoS', synonyms: ['tacos', '总广告成本销售比', '整体广告占比'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'sales', needs: ['A.spend', 'S.gross_sales'], compute: (v) => div(b(v, 'A.spend') ?? 0, b(v, 'S.gross_sales')) }),
  m({ id: 'ad_sales_share', en: 'Ad sales share', zh: '广告销售占比', synonyms: ['广告单占比'], unit: 'ratio', dir: 'band', agg: 'ratio', cls: 'sales', needs: ['A.attributed_sales', 'S.gross_sales'], compute: (v) => div(b(v, 'A.attributed_sales') ?? 0, b(v, 'S.gross_sales')) }),
  m({ id: 'break_even_acos', en: 'Break-even ACoS', zh: '盈亏平衡ACoS', synonyms: ['保本acos'], unit: 'ratio', dir: 'none', agg: 'ratio', cls: 'margin', needs: ['S.gross_sales', 'S.refund_amount', 'S.cogs', 'S.platform_fees', 'S.promo_fees', 'S.fulfillment_fees', 'S.first_leg_cost', 'S.storage_fees'], compute: (v) => {
    const ns = (b(v, 'S.gross_sales') ?? NaN) - (b(v, 'S.refund_amount') ?? NaN);
    const costs = ['S.cogs', 'S.platform_fees', 'S.promo_fees', 'S.fulfillment_fees', 'S.first_leg_cost', 'S.storage_fees'].reduce((t, id) => t + (b(v, id) ?? NaN), 0);
    // contribution + ad_spend = net sales − non-ad costs
    return Number.isNaN(ns) || Number.isNaN(costs) ? null : div(ns - costs, ns);
  } }),
  m({ id: 'wasted_spend_share', en: 'Wasted spend share', zh: '无效花费占比', synonyms: ['无单花费'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'sales', source: 'ad_groups' }),
];
