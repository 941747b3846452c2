/**
 * Metric words for the chat grammar: every catalogue id, English and Chinese name and synonym
 * (src/kpi/catalogue), plus a few everyday English words the catalogue does not list. A bare
 * 转化率 stays `cvr` here; the bot maps it to `unit_session_pct` for Amazon-only scopes.
 */
import { METRICS } from '../../kpi/catalogue/index.ts';

const EXTRA: [string, string][] = [
  ['revenue', 'gmv'], ['conversion rate', 'cvr'], ['conversion', 'cvr'], ['ad cost', 'ad_spend'],
  ['ads spend', 'ad_spend'], ['inventory', 'on_hand_units'], ['stock', 'on_hand_units'], ['refund', 'refund_amount'],
  ['profit margin', 'net_margin'], ['毛利额', 'gross_profit'], ['利润额', 'net_profit'], ['净利额', 'net_profit'],
  ['销售量', 'units'], ['订单', 'orders'], ['退款', 'refund_amount'], ['广告费用', 'ad_spend'], ['广告支出', 'ad_spend'],
];

export const METRIC_WORDS: [string, string][] = [
  ...METRICS.flatMap((d) => [d.id, d.name.en, d.name.zh, ...d.synonyms].map((w): [string, string] => [w, d.id])),
  ...EXTRA,
];

/** Metric ids in catalogue order: first in "did you mean" lists. */
export const METRIC_IDS: string[] = METRICS.map((d) => d.id);
