/** Glossary §1.1 sales & profit and §1.7 finance. Money is ex-tax gross sales by order date. */
import type { BaseValues } from '../types.ts';
import { add, b, div, m, orders, ORDER_BASES, sum } from './define.ts';

const netSales = (v: BaseValues) => add(b(v, 'S.gross_sales'), b(v, 'S.refund_amount') === null ? null : -b(v, 'S.refund_amount')!);
const COST_BASES = ['S.cogs', 'S.platform_fees', 'S.promo_fees', 'S.fulfillment_fees', 'S.first_leg_cost', 'S.storage_fees', 'A.spend'];
const SALES_BASES = ['S.gross_sales', 'S.refund_amount'];
/** No ad rows for a store means no ads ran there: spend 0 in profit, unlike sales facts. */
const cost = (v: BaseValues, id: string) => (id === 'A.spend' ? (b(v, id) ?? 0) : b(v, id));
const contribution = (v: BaseValues) => {
  const ns = netSales(v);
  const costs = add(...COST_BASES.map((id) => cost(v, id)));
  return ns === null || costs === null ? null : ns - costs;
};
const netProfit = (v: BaseValues) => {
  const cp = contribution(v);
  return cp === null ? null : cp - (b(v, 'S.other_costs') ?? 0);
};
const totalCosts = (v: BaseValues) => add(...COST_BASES.map((id) => cost(v, id)), b(v, 'S.other_costs') ?? 0);
const PROFIT_BASES = [...SALES_BASES, ...COST_BASES, 'S.other_costs'];

export const SALES_METRICS = [
  sum('gmv', 'S.gross_sales', { en: 'GMV', zh: '销售额', synonyms: ['gmv', '成交额', '营业额', '业绩', '流水', 'sales'], unit: 'money', dir: 'higher', cls: 'sales' }),
  m({ id: 'net_sales', en: 'Net sales', zh: '净销售额', synonyms: ['扣退款销售额'], unit: 'money', dir: 'higher', agg: 'sum', cls: 'sales', needs: SALES_BASES, compute: netSales }),
  m({ id: 'orders', en: 'Orders', zh: '订单量', synonyms: ['单量', '出单量', '订单数'], unit: 'count', dir: 'higher', agg: 'sum', cls: 'sales', needs: ORDER_BASES, compute: orders }),
  sum('units', 'S.units_ordered', { en: 'Units sold', zh: '销量', synonyms: ['件数', '卖了多少件'], unit: 'count', dir: 'higher', cls: 'sales' }),
  m({ id: 'aov', en: 'Average order value', zh: '客单价', synonyms: ['平均订单金额', 'aov'], unit: 'money', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['S.gross_sales', ...ORDER_BASES], compute: (v, g) => div(b(v, 'S.gross_sales'), orders(v, g)) }),
  sum('sessions', 'S.sessions', { en: 'Sessions', zh: '流量', synonyms: ['访客', '会话数', '访问量'], unit: 'count', dir: 'higher', cls: 'sales' }),
  m({ id: 'cvr', en: 'Session conversion rate', zh: '转化率', synonyms: ['成交转化率', '订单转化率', 'cvr'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: [...ORDER_BASES, 'S.sessions'], compute: (v, g) => div(orders(v, g), b(v, 'S.sessions')) }),
  m({ id: 'unit_session_pct', en: 'Unit session percentage', zh: '单位会话百分比', synonyms: ['unit session percentage'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['S.units_ordered', 'S.sessions'], compute: (v) => div(b(v, 'S.units_ordered'), b(v, 'S.sessions')) }),
  sum('refund_amount', 'S.refund_amount', { en: 'Refunds', zh: '退款额', synonyms: ['退款金额'], unit: 'money', dir: 'lower', cls: 'sales' }),
  m({ id: 'refund_rate', en: 'Refund rate by value', zh: '退款率', synonyms: ['退款率（金额）'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'sales', needs: SALES_BASES, compute: (v) => div(b(v, 'S.refund_amount'), b(v, 'S.gross_sales')) }),
  m({ id: 'gross_profit', en: 'Gross profit', zh: '毛利', synonyms: ['毛利润'], unit: 'money', dir: 'higher', agg: 'sum', cls: 'profit', needs: [...SALES_BASES, 'S.cogs'], compute: (v) => add(netSales(v), b(v, 'S.cogs') === null ? null : -b(v, 'S.cogs')!) }),
  m({ id: 'gross_margin', en: 'Gross margin', zh: '毛利率', unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'margin', needs: [...SALES_BASES, 'S.cogs'], compute: (v) => div(add(netSales(v), b(v, 'S.cogs') === null ? null : -b(v, 'S.cogs')!), netSales(v)) }),
  m({ id: 'contribution_profit', en: 'Contribution profit', zh: '运营利润', synonyms: ['边际利润', '贡献利润'], unit: 'money', dir: 'higher', agg: 'sum', cls: 'profit', needs: [...SALES_BASES, ...COST_BASES], compute: contribution }),
  m({ id: 'net_profit', en: 'Net profit', zh: '净利润', synonyms: ['净利', '利润', '赚了多少', 'profit'], unit: 'money', dir: 'higher', agg: 'sum', cls: 'profit', needs: PROFIT_BASES, compute: netProfit }),
  m({ id: 'net_margin', en: 'Net margin', zh: '净利润率', synonyms: ['净利率', '利润率', 'margin'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'margin', needs: PROFIT_BASES, compute: (v) => div(netProfit(v), netSales(v)) }),
  m({ id: 'return_rate', en: 'Return rate', zh: '退货率', synonyms: ['退货比例'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'sales', needs: ['S.units_returned', 'S.units_ordered'], compute: (v) => div(b(v, 'S.units_returned'), b(v, 'S.units_ordered')) }),
  // Refund lines by order date over units ordered in the period; immature for 30 days (query.ts).
  m({ id: 'return_rate_cohort', en: 'Return rate by order cohort', zh: '退货率（按下单日）', unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'sales', needs: ['R.units', 'S.units_ordered'], compute: (v) => div(b(v, 'R.units') ?? 0, b(v, 'S.units_ordered')) }),
  // §1.7 finance
  sum('cogs', 'S.cogs', { en: 'Cost of goods sold', zh: '采购成本', synonyms: ['货本', '产品成本'], unit: 'money', dir: 'lower', cls: 'cost' }),
  sum('platform_fees', 'S.platform_fees', { en: 'Platform fees', zh: '平台佣金', synonyms: ['佣金', '平台费', '交易手续费'], unit: 'money', dir: 'lower', cls: 'cost' }),
  sum('promo_fees', 'S.promo_fees', { en: 'Promotion fees', zh: '促销费', synonyms: ['优惠券费', '秒杀费', 'deal费', 'vine费'], unit: 'money', dir: 'lower', cls: 'cost' }),
  sum('tax_amount', 'S.tax_amount', { en: 'Tax included in prices', zh: '税额', synonyms: ['增值税', 'vat', '消费税'], unit: 'money', dir: 'none', cls: 'cost' }),
  sum('fulfillment_fees', 'S.fulfillment_fees', { en: 'Fulfilment fees', zh: '配送费', synonyms: ['fba费', '尾程费'], unit: 'money', dir: 'lower', cls: 'cost' }),
  sum('first_leg_cost', 'S.first_leg_cost', { en: 'First-leg logistics', zh: '头程', synonyms: ['头程费用', '头程成本'], unit: 'money', dir: 'lower', cls: 'cost' }),
  sum('storage_fees', 'S.storage_fees', { en: 'Storage fees', zh: '仓储费', synonyms: ['仓租', '长期仓储费'], unit: 'money', dir: 'lower', cls: 'cost' }),
  sum('other_costs', 'S.other_costs', { en: 'Other costs', zh: '其他费用', synonyms: ['分摊费用'], unit: 'money', dir: 'lower', cls: 'cost' }),
  m({ id: 'total_costs', en: 'Total costs', zh: '总成本', synonyms: ['总费用'], unit: 'money', dir: 'lower', agg: 'sum', cls: 'cost', needs: [...COST_BASES, 'S.other_costs'], compute: totalCosts }),
  m({ id: 'platform_fee_rate', en: 'Platform fee rate', zh: '佣金率', synonyms: ['平台费率'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'cost', needs: ['S.platform_fees', 'S.gross_sales'], compute: (v) => div(b(v, 'S.platform_fees'), b(v, 'S.gross_sales')) }),
  m({ id: 'logistics_cost_ratio', en: 'Logistics cost ratio', zh: '物流费占比', synonyms: ['物流成本率'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'cost', needs: [...SALES_BASES, 'S.first_leg_cost', 'S.fulfillment_fees', 'S.storage_fees'], compute: (v) => div(add(b(v, 'S.first_leg_cost'), b(v, 'S.fulfillment_fees'), b(v, 'S.storage_fees')), netSales(v)) }),
  m({ id: 'ad_spend_ratio', en: 'Ad spend ratio (finance)', zh: '广告费占比', synonyms: ['广告费率（财务口径）'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'cost', needs: [...SALES_BASES, 'A.spend'], compute: (v) => div(b(v, 'A.spend'), netSales(v)) }),
  m({ id: 'profit_roi', en: 'Profit ROI', zh: '投资回报率', synonyms: ['利润roi', '回报率'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'profit', needs: PROFIT_BASES, compute: (v) => div(netProfit(v), totalCosts(v)) }),
];
