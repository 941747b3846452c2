/**
 * Score templates per position (岗位, glossary §3.6): the shipped defaults, caps, veto items and
 * the rules every saved template must keep. Pure: the repository (template-repo.ts) stores what
 * passes `validateTemplate`, which names the first broken rule so chat and REST can say it.
 */
import type { ScoreTemplateItem, VetoCode, VetoRule } from '../db/schema/index.ts';
import { metricById } from '../kpi/catalogue/index.ts';

export type { ScoreTemplateItem, VetoCode, VetoRule };

export interface ScoreTemplate {
  id: string;
  position: string;
  name: string;
  items: ScoreTemplateItem[];
  /** Achievement cap of KPIs without their own (1.2 = 120 %). */
  defaultCap: number;
  /** Ceiling of the total when a veto applies (60). */
  vetoCap: number;
  vetoes: VetoRule[];
}

export const VETO_CODES: readonly VetoCode[] = ['fake_orders', 'review_manipulation', 'confirmed_violation', 'red_line'];

export const VETO_LABEL: Record<VetoCode, { en: string; 'zh-CN': string }> = {
  fake_orders: { en: 'fake orders', 'zh-CN': '刷单' },
  review_manipulation: { en: 'review manipulation', 'zh-CN': '刷评/操纵评论' },
  confirmed_violation: { en: 'confirmed platform violation', 'zh-CN': '平台违规' },
  red_line: { en: 'account-health red line breached', 'zh-CN': '账号健康红线' },
};

/**
 * Process and health KPIs (§3.6: at least one per card, because GMV-only targets invite 刷单):
 * team activity, service quality, inventory health and account health — what a person does and
 * keeps healthy rather than the sales result.
 */
const PROCESS_HEALTH = new Set([
  'return_rate', 'ctr', 'odr', 'csat', 'cs_first_response_minutes', 'cs_response_24h_rate', 'neg_review_handling_hours',
  'late_shipment_rate', 'cancel_rate', 'days_of_cover', 'stock_age_90d_share', 'stock_age_180d_share', 'oos_rate',
  'inventory_turnover', 'inventory_turnover_days', 'sku_sell_through_rate', 'video_completion_rate', 'engagement_rate',
]);

export function isProcessKpi(metricId: string): boolean {
  const def = metricById(metricId);
  return def !== undefined && (def.source === 'events' || PROCESS_HEALTH.has(metricId));
}

/** §3.6: 1.0 for activity counts (gameable, trap 17), else the template's default. */
export function capOf(item: ScoreTemplateItem, t: Pick<ScoreTemplate, 'defaultCap'>): number {
  if (item.cap !== undefined) return item.cap;
  const def = metricById(item.metricId);
  return def && def.source === 'events' && def.unit === 'count' ? 1 : t.defaultCap;
}

const STANDARD_VETOES: VetoRule[] = [{ code: 'fake_orders' }, { code: 'review_manipulation' }, { code: 'confirmed_violation' }];

function tpl(id: string, position: string, name: string, weights: [string, number][], redLines: string[] = []): ScoreTemplate {
  return {
    id, position, name, defaultCap: 1.2, vetoCap: 60,
    items: weights.map(([metricId, weight]) => ({ metricId, weight })),
    vetoes: [...STANDARD_VETOES, ...redLines.map((metricId) => ({ code: 'red_line' as const, metricId }))],
  };
}

/** The glossary's recommended templates (§3.6 table). */
export const DEFAULT_TEMPLATES: readonly ScoreTemplate[] = [
  tpl('operations', '运营', 'Operations 运营', [['gmv', 30], ['net_margin', 20], ['tacos', 15], ['return_rate', 10], ['listing_updates', 10], ['task_on_time_rate', 15]]),
  tpl('ad_buyer', '投手', 'Ad buyer 投手', [['roas', 35], ['ad_sales', 25], ['tacos', 15], ['ctr', 10], ['ad_optimizations', 15]]),
  tpl('cs', '客服', 'Customer service 客服', [['cs_first_response_minutes', 35], ['cs_response_24h_rate', 20], ['neg_review_handling_hours', 20], ['odr', 15], ['csat', 10]], ['odr']),
  tpl('content', '内容', 'Content 内容', [['content_gmv', 30], ['videos_published', 20], ['video_completion_rate', 20], ['content_ctr', 15], ['engagement_rate', 15]]),
  tpl('store_manager', '店长', 'Store manager 店长', [['gmv', 30], ['net_profit', 35], ['days_of_cover', 10], ['stock_age_90d_share', 10], ['odr', 15]], ['odr']),
  tpl('purchasing', '采购', 'Purchasing 采购', [['days_of_cover', 30], ['oos_rate', 25], ['stock_age_90d_share', 20], ['inventory_turnover', 15], ['task_on_time_rate', 10]]),
];

/** Words people use for a position → the stored position (岗位). */
const POSITION_WORDS: Record<string, string> = {
  运营: '运营', operations: '运营', ops: '运营', operator: '运营',
  投手: '投手', 广告: '投手', 'ad_buyer': '投手', ads: '投手', 'ad-buyer': '投手', buyer: '投手',
  客服: '客服', cs: '客服', service: '客服',
  内容: '内容', content: '内容',
  店长: '店长', 'store_manager': '店长', 'store-manager': '店长', manager: '店长',
  采购: '采购', purchasing: '采购', procurement: '采购',
};

export function positionOf(word: string): string | undefined {
  const w = word.normalize('NFKC').trim().toLowerCase();
  return POSITION_WORDS[w] ?? DEFAULT_TEMPLATES.find((t) => t.id === w)?.position;
}

export function defaultTemplateFor(position: string): ScoreTemplate | undefined {
  return DEFAULT_TEMPLATES.find((t) => t.position === position);
}

/** A broken rule: a stable code and what to tell people. */
export interface RuleBreak {
  rule: 'kpi_count' | 'unknown_metric' | 'duplicate_kpi' | 'weight_range' | 'weight_sum' | 'process_kpi' | 'cap_range' | 'return_rate_weight' | 'veto_code' | 'veto_kpi_not_in_card' | 'veto_needs_kpi';
  en: string;
  zh: string;
}

/** The first rule a template breaks, or null (§3.6, trap 17). */
export function validateTemplate(t: Pick<ScoreTemplate, 'items' | 'vetoes' | 'defaultCap'>): RuleBreak | null {
  const n = t.items.length;
  if (n < 3 || n > 7) return { rule: 'kpi_count', en: `a scorecard has 3–7 KPIs (this one has ${n})`, zh: `考核表需要 3–7 个指标（当前 ${n} 个）` };
  const seen = new Set<string>();
  for (const i of t.items) {
    if (!metricById(i.metricId)) return { rule: 'unknown_metric', en: `unknown metric "${i.metricId.slice(0, 40)}"`, zh: `未知指标“${i.metricId.slice(0, 40)}”` };
    if (seen.has(i.metricId)) return { rule: 'duplicate_kpi', en: `${i.metricId} is in the card twice`, zh: `${i.metricId} 重复出现` };
    seen.add(i.metricId);
    if (!Number.isFinite(i.weight) || i.weight < 5 || i.weight > 50) {
      return { rule: 'weight_range', en: `each weight is 5–50 % (${i.metricId} has ${i.weight} %)`, zh: `每个权重需在 5–50% 之间（${i.metricId} 为 ${i.weight}%）` };
    }
    if (i.cap !== undefined && (!Number.isFinite(i.cap) || i.cap < 1 || i.cap > 2)) {
      return { rule: 'cap_range', en: `a cap is 100–200 % (${i.metricId} has ${Math.round(i.cap * 100)} %)`, zh: `封顶需在 100%–200% 之间（${i.metricId} 为 ${Math.round(i.cap * 100)}%）` };
    }
  }
  if (!Number.isFinite(t.defaultCap) || t.defaultCap < 1 || t.defaultCap > 2) return { rule: 'cap_range', en: 'the default cap is 100–200 %', zh: '默认封顶需在 100%–200% 之间' };
  const sum = Math.round(t.items.reduce((s, i) => s + i.weight, 0) * 1000) / 1000;
  if (sum !== 100) return { rule: 'weight_sum', en: `weights must sum to 100 % (they sum to ${sum} %)`, zh: `权重合计必须为 100%（当前 ${sum}%）` };
  if (!t.items.some((i) => isProcessKpi(i.metricId))) {
    return { rule: 'process_kpi', en: 'a scorecard needs at least one process or health KPI (e.g. listing_updates, odr, return_rate), or results alone invite fake orders', zh: '考核表至少需要一个过程或健康指标（如 listing_updates、odr、return_rate），只考核结果容易导致刷单' };
  }
  const rr = t.items.find((i) => i.metricId === 'return_rate');
  if (rr && rr.weight > 15) return { rule: 'return_rate_weight', en: 'return_rate weighs at most 15 % (a heavier weight pushes CS to refuse valid returns)', zh: '退货率权重不超过 15%（过高会促使客服拒绝合理退货）' };
  for (const v of t.vetoes) {
    if (!VETO_CODES.includes(v.code)) return { rule: 'veto_code', en: `unknown veto "${String(v.code).slice(0, 40)}" (use ${VETO_CODES.join(', ')})`, zh: `未知否决项“${String(v.code).slice(0, 40)}”（可用 ${VETO_CODES.join('、')}）` };
    if (v.code === 'red_line' && !v.metricId) return { rule: 'veto_needs_kpi', en: 'a red-line veto names the KPI it watches (red_line:odr)', zh: '红线否决项需要写明指标（如 red_line:odr）' };
    if (v.metricId && !seen.has(v.metricId)) return { rule: 'veto_kpi_not_in_card', en: `the veto watches ${v.metricId}, which is not a KPI of this card`, zh: `否决项指向的指标 ${v.metricId} 不在考核表中` };
  }
  return null;
}
