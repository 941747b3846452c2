/**
 * The default alert rules of glossary §3.5 as rows (the Alerts feature gives them behaviour).
 * Ads efficiency is ACoS on Amazon and Walmart and ROAS where teams work in ROAS (Shopee,
 * Lazada, TikTok Shop, and the Shopify shop's Google/Meta ads): never both for one scope, since
 * roas = 1 / acos (trap 2). `of: 'target'` means the scope's stage-aware target, falling back to
 * break-even ACoS where no target is set.
 */
import type { AlertCondition, AlertScope, AlertSeverity, AlertType } from '../db/schema/index.ts';
import type { Row } from './sales-facts.ts';

interface RuleSpec {
  key: string;
  name: string;
  type: AlertType;
  metric: string | null;
  condition: AlertCondition | null;
  scope: AlertScope;
  windowDays: number;
  minSample: number | null;
  severity: AlertSeverity;
}

export const DEFAULT_ALERT_RULES: RuleSpec[] = [
  {
    key: 'default:acos', name: 'ACoS 超过目标 1.2 倍（按 SKU 阶段）ACoS above 1.2 × stage target', type: 'threshold', metric: 'acos',
    condition: { op: '>', value: 1.2, of: 'target' }, scope: { platform: ['amazon', 'walmart'], per: 'store' }, windowDays: 7, minSample: 30, severity: 'warning',
  },
  {
    key: 'default:roas', name: 'ROAS 低于目标 ÷ 1.2 ROAS below target ÷ 1.2', type: 'threshold', metric: 'roas',
    condition: { op: '<', value: 1 / 1.2, of: 'target' }, scope: { platform: ['shopee', 'lazada', 'tiktok_shop', 'shopify'], per: 'store' },
    windowDays: 7, minSample: 30, severity: 'warning',
  },
  {
    key: 'default:days_of_cover', name: '可售天数不足 14 天 Days of cover below 14', type: 'threshold', metric: 'days_of_cover',
    condition: { op: '<', value: 14 }, scope: { per: 'sku' }, windowDays: 30, minSample: null, severity: 'warning',
  },
  {
    key: 'default:odr', name: 'ODR ≥ 0.7%（亚马逊红线 1%）ODR at or above 0.7 %', type: 'threshold', metric: 'odr',
    condition: { op: '>=', value: 0.007 }, scope: { per: 'store' }, windowDays: 60, minSample: 30, severity: 'warning',
  },
  {
    key: 'default:stock_age_180d_share', name: '库龄>180天占比超过 10% Aged stock > 180 d above 10 %', type: 'threshold', metric: 'stock_age_180d_share',
    condition: { op: '>', value: 0.1 }, scope: { per: 'store' }, windowDays: 1, minSample: null, severity: 'info',
  },
  {
    key: 'default:pace', name: '目标进度转红 / 恢复 Goal pacing (GMV and every goal)', type: 'pace', metric: null,
    condition: null, scope: { per: 'goal' }, windowDays: 1, minSample: null, severity: 'warning',
  },
  {
    key: 'default:freshness', name: '数据断更 Data freshness', type: 'freshness', metric: null,
    condition: null, scope: { per: 'source' }, windowDays: 1, minSample: null, severity: 'critical',
  },
  {
    key: 'default:sudden_change:gmv', name: 'GMV 突增/突降 Sudden GMV change', type: 'sudden_change', metric: 'gmv',
    condition: { op: 'change', value: 0.3, minZ: 3 }, scope: { per: 'store' }, windowDays: 28, minSample: 100, severity: 'warning',
  },
  {
    key: 'default:sudden_change:ad_spend', name: '广告花费突增 Sudden ad spend change', type: 'sudden_change', metric: 'ad_spend',
    condition: { op: 'change', value: 0.3, minZ: 3 }, scope: { per: 'store' }, windowDays: 28, minSample: 100, severity: 'warning',
  },
  {
    key: 'default:sudden_change:return_rate', name: '退货率突增 Sudden return-rate change', type: 'sudden_change', metric: 'return_rate',
    condition: { op: 'change', value: 0.3, minZ: 3 }, scope: { per: 'store' }, windowDays: 28, minSample: 30, severity: 'warning',
  },
];

export function alertRuleRows(ws: string): Row[] {
  return DEFAULT_ALERT_RULES.map((r) => ({
    workspace_id: ws, key: r.key, name: r.name, type: r.type, metric_id: r.metric, condition: r.condition, scope: r.scope,
    window_days: r.windowDays, min_sample: r.minSample === null ? null : String(r.minSample), severity: r.severity,
    escalate_after_minutes: 240, quiet_hours: r.severity !== 'critical', enabled: true, created_by: 'demo',
  }));
}
