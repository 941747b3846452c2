/**
 * Account-health red lines per platform (glossary §3.4; the platforms' published targets, to be
 * verified per market). Data, not logic: the red-line evaluator reads this table, so adding a
 * market is one row.
 */
import type { AlertCondition } from '../../db/schema/alerts.ts';

export interface RedLine {
  platform: string;
  metric: string;
  op: Exclude<AlertCondition['op'], 'change'>;
  red: number;
  /** Our earlier warning line (rec.), e.g. odr ≥ 0.7 % before Amazon's 1 %. */
  amber?: number;
}

export const RED_LINES: readonly RedLine[] = [
  { platform: 'amazon', metric: 'odr', op: '>=', red: 0.01, amber: 0.007 },
  { platform: 'amazon', metric: 'fulfillment_on_time_rate', op: '<', red: 0.96 },
  { platform: 'amazon', metric: 'cancel_rate', op: '>=', red: 0.025 },
  { platform: 'amazon', metric: 'cs_response_24h_rate', op: '<', red: 0.9 },
  { platform: 'shopee', metric: 'account_health', op: '>=', red: 6, amber: 3 },
  { platform: 'walmart', metric: 'fulfillment_on_time_rate', op: '<', red: 0.95 },
];
