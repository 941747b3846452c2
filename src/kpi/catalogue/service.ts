/** Glossary §1.4 customer service & account health. ODR is a rolling 60-day rate (trap 13). */
import { b, div, m, sum } from './define.ts';

const ratio = (num: string, den: string) => ({ needs: [num, den], compute: (v: Record<string, number | null>) => div(b(v, num), b(v, den)) });

export const SERVICE_METRICS = [
  m({ id: 'odr', en: 'Order defect rate', zh: '订单缺陷率', synonyms: ['odr'], unit: 'ratio', dir: 'lower', agg: 'roll60', cls: 'sales', window: 'roll60', ...ratio('V.defect_orders', 'V.orders_distinct') }),
  m({ id: 'fulfillment_on_time_rate', en: 'On-time shipment rate', zh: '物流履约达标率', synonyms: ['准时发货率'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['V.orders_shipped', 'V.shipped_late'], compute: (v) => { const s = b(v, 'V.orders_shipped'); const l = b(v, 'V.shipped_late'); return s === null || l === null ? null : div(s - l, s); } }),
  m({ id: 'cancel_rate', en: 'Seller cancel rate', zh: '取消率', synonyms: ['卖家取消率'], unit: 'ratio', dir: 'lower', agg: 'ratio', cls: 'sales', ...ratio('V.cancelled_by_seller', 'V.orders_distinct') }),
  m({ id: 'cs_first_response_minutes', en: 'Mean first-response time', zh: '客服响应时效', synonyms: ['首响时长', '首次响应时间', '回复时效'], unit: 'minutes', dir: 'lower', agg: 'ratio', cls: 'sales', ...ratio('V.first_response_minutes_sum', 'V.threads_first_responded') }),
  m({ id: 'cs_response_24h_rate', en: 'Replied within 24 h', zh: '24小时回复率', synonyms: ['回复率'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', ...ratio('V.responded_within_24h', 'V.threads_received') }),
  m({ id: 'neg_review_handling_hours', en: 'Negative-review handling time', zh: '差评处理时效', unit: 'hours', dir: 'lower', agg: 'ratio', cls: 'sales', ...ratio('V.neg_review_handle_hours_sum', 'V.negative_reviews_handled') }),
  sum('negative_reviews', 'V.negative_reviews', { en: 'Negative reviews', zh: '差评数', synonyms: ['差评'], unit: 'count', dir: 'lower', cls: 'sales' }),
  m({ id: 'avg_rating', en: 'Average rating', zh: '评分', synonyms: ['星级', 'review质量'], unit: 'stars', dir: 'higher', agg: 'ratio', cls: 'sales', ...ratio('V.rating_sum', 'V.rating_count') }),
  m({ id: 'csat', en: 'Customer satisfaction', zh: '满意度', synonyms: ['客户满意度', 'csat'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', ...ratio('V.csat_positive', 'V.csat_responses') }),
  m({ id: 'nps', en: 'Net promoter score', zh: '净推荐值', synonyms: ['nps'], unit: 'score', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['V.nps_promoters', 'V.nps_detractors', 'V.nps_responses'], compute: (v) => { const p = b(v, 'V.nps_promoters'); const d = b(v, 'V.nps_detractors'); const r = div(p === null || d === null ? null : p - d, b(v, 'V.nps_responses')); return r === null ? null : r * 100; } }),
  sum('policy_violations', 'V.policy_violations', { en: 'Policy violations', zh: '违规次数', synonyms: ['合规', '违规'], unit: 'count', dir: 'lower', cls: 'sales' }),
  m({ id: 'account_health', en: 'Platform account health', zh: '账户健康', synonyms: ['店铺健康度', 'ahr', '扣分', '罚分'], unit: 'score', dir: 'none', agg: 'worst', cls: 'sales', source: 'platform' }),
];
