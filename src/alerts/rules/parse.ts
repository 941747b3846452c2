/**
 * The chat grammar of `alert rule add` (ARCHITECTURE.md chat grammar: `alert rule add roas < 2
 * store:shopee-sg`). Pure: words in, a rule spec or a refusal with the reason out; metric names
 * are resolved by the caller (custom metrics live in the database).
 *
 *   <metric> <op> <value>[%] [x target|x break_even]   threshold (`acos > 1.2x target`)
 *   days_of_cover < 1x lead_time                        cover below each SKU's lead time
 *   change <metric> [30%] [z:3]                         sudden change vs the anomaly baseline
 *   freshness | goal red | red_lines                    data freshness, goal RAG, account health
 * options: store:/team:/platform:/marketplace:/sku:/campaign:/ad_group: (comma lists),
 *   per:workspace|team|store|sku|campaign|ad_group, min:<metric>>=<n>, window:7d,
 *   severity:info|warning|critical (or the bare word), dm (owners' DMs instead of the group),
 *   trial:7d / 试运行:7d (admins only for N days), quiet:off.
 */
import type { AlertCondition, AlertScope, AlertSeverity, AlertType } from '../../db/schema/alerts.ts';

export interface RuleSpec {
  type: AlertType;
  /** The metric word as typed; the caller resolves it to an id. */
  metricWord: string | null;
  condition: AlertCondition | null;
  /** The word after `min:` as typed (`spend`), resolved by the caller. */
  minWord: string | null;
  scope: AlertScope;
  windowDays: number;
  severity: AlertSeverity;
  route: 'group' | 'owner';
  trialDays: number;
  quietHours: boolean;
}

export type ParseResult = { ok: true; spec: RuleSpec } | { ok: false; reason: { en: string; 'zh-CN': string } };

const OPS = new Set(['>', '>=', '<', '<=']);
const SCOPE_KEYS = ['store', 'team', 'platform', 'marketplace', 'sku', 'campaign', 'ad_group'] as const;
const PERS = new Set(['workspace', 'team', 'store', 'sku', 'campaign', 'ad_group']);
export const MAX_WINDOW_DAYS = 90;
export const MAX_TRIAL_DAYS = 30;
const ID = /^[A-Za-z0-9_.-]{1,64}$/;

const fail = (en: string, zh: string): ParseResult => ({ ok: false, reason: { en, 'zh-CN': zh } });

/** `30%` → 0.3, `1.2` → 1.2, `¥500` → 500; NaN when not a number. */
export function parseAmount(word: string): { value: number; percent: boolean } {
  const w = word.normalize('NFKC').replace(/^[¥$€£]/, '').replace(/,/g, '');
  const pct = /^(-?\d+(?:\.\d+)?)%$/.exec(w);
  if (pct) return { value: Number(pct[1]) / 100, percent: true };
  return { value: /^-?\d+(?:\.\d+)?$/.test(w) ? Number(w) : NaN, percent: false };
}

function days(word: string): number {
  const m = /^(\d{1,3})\s*(d|天)?$/.exec(word);
  return m ? Number(m[1]) : NaN;
}

/** Splits `acos>1.2x` style input into tokens: operators stand alone. */
export function tokenizeRule(words: string[]): string[] {
  return words
    .join(' ')
    .normalize('NFKC')
    .replace(/(min:[A-Za-z_][\w]*)\s*(>=|>)\s*/g, '$1>=')
    .replace(/(^|\s)([A-Za-z_][\w]*)\s*(>=|<=|>|<)\s*/g, '$1$2 $3 ')
    .replace(/(\d)\s*[x×]\s*(target|goal|break_even|break_even_acos|lead_time)\b/gi, '$1x $2')
    .split(/\s+/)
    .filter(Boolean);
}

function applyOption(spec: RuleSpec, tok: string): string | null {
  const low = tok.toLowerCase();
  if (low === 'dm' || low === 'route:owner' || low === 'route:dm' || low === '私信') { spec.route = 'owner'; return null; }
  if (low === 'quiet:off') { spec.quietHours = false; return null; }
  if (low === 'info' || low === 'warning' || low === 'critical') { spec.severity = low; return null; }
  const m = /^([a-z_\u4e00-\u9fff]+):(.+)$/i.exec(tok);
  if (!m) return tok;
  const key = m[1]!.toLowerCase();
  const val = m[2]!;
  if ((SCOPE_KEYS as readonly string[]).includes(key)) {
    const ids = val.split(',').filter(Boolean);
    if (!ids.length || ids.some((i) => !ID.test(i))) return tok;
    (spec.scope as Record<string, string[]>)[key] = ids;
    return null;
  }
  if (key === 'per' && PERS.has(val.toLowerCase())) { spec.scope.per = val.toLowerCase() as AlertScope['per']; return null; }
  if (key === 'window') { spec.windowDays = days(val); return Number.isFinite(spec.windowDays) ? null : tok; }
  if (key === 'severity' && ['info', 'warning', 'critical'].includes(val.toLowerCase())) { spec.severity = val.toLowerCase() as AlertSeverity; return null; }
  if (key === 'trial' || key === '试运行') { spec.trialDays = days(val); return Number.isFinite(spec.trialDays) ? null : tok; }
  if (key === 'min') {
    const mm = /^([A-Za-z_][\w]*)>=(.+)$/.exec(val);
    const amount = mm ? parseAmount(mm[2]!) : { value: NaN };
    if (!mm || !Number.isFinite(amount.value) || amount.value < 0) return tok;
    spec.minWord = mm[1]!;
    spec.condition = { ...(spec.condition ?? { op: '>', value: 0 }), min: { metric: mm[1]!, value: amount.value } };
    return null;
  }
  return tok;
}

/** The words after `alert rule add`. */
export function parseRuleSpec(words: string[]): ParseResult {
  const toks = tokenizeRule(words);
  if (!toks.length) return fail('Say what to watch, e.g. `alert rule add acos > 1.2x target min:spend>=500 store:us-main`.', '请说明要监控什么，例如 `alert rule add acos > 1.2x target min:spend>=500 store:us-main`。');
  const spec: RuleSpec = { type: 'threshold', metricWord: null, condition: null, minWord: null, scope: {}, windowDays: 7, severity: 'warning', route: 'group', trialDays: 0, quietHours: true };
  const rest: string[] = [];
  const head = toks[0]!.toLowerCase();
  let i = 0;
  if (head === 'freshness' || head === '数据断更') { spec.type = 'freshness'; spec.scope.per = 'store'; i = 1; }
  else if (head === 'red_lines' || head === 'redlines' || head === '红线') { spec.type = 'red_line'; spec.scope.per = 'store'; i = 1; }
  else if (head === 'goal' || head === '目标') {
    if ((toks[1] ?? '').toLowerCase() !== 'red' && toks[1] !== '转红') return fail('Goal rules read `alert rule add goal red`.', '目标规则写作 `alert rule add goal red`。');
    spec.type = 'pace'; spec.scope.per = 'goal'; i = 2;
  } else if (head === 'change' || head === '突变') {
    const metric = toks[1];
    if (!metric || metric.includes(':')) return fail('Name the metric: `alert rule add change gmv 30%`.', '请写指标：`alert rule add change gmv 30%`。');
    spec.type = 'sudden_change'; spec.metricWord = metric; spec.windowDays = 28; spec.scope.per = 'store';
    spec.condition = { op: 'change', value: 0.3, minZ: 3 };
    i = 2;
    const amount = toks[2] ? parseAmount(toks[2]) : { value: NaN, percent: false };
    if (Number.isFinite(amount.value)) {
      if (!amount.percent || amount.value <= 0 || amount.value > 10) return fail('The change is a percentage above 0, e.g. `30%`.', '变化幅度写百分比，例如 `30%`。');
      spec.condition.value = amount.value; i = 3;
    }
  } else {
    const [metric, op, amountWord, ref] = toks;
    if (!op || !OPS.has(op) || amountWord === undefined) {
      return fail('A threshold reads `<metric> <op> <value>`, e.g. `roas < 2` or `acos > 1.2x target`.', '阈值规则写作 `<指标> <比较符> <数值>`，例如 `roas < 2` 或 `acos > 1.2x target`。');
    }
    spec.metricWord = metric!;
    i = 3;
    const ofMatch = /^(\d+(?:\.\d+)?)x$/i.exec(amountWord);
    if (ofMatch) {
      const refWord = (ref ?? '').toLowerCase();
      const of = refWord === 'target' || refWord === 'goal' ? 'target' : refWord.startsWith('break_even') ? 'break_even_acos' : refWord === 'lead_time' ? 'lead_time' : null;
      if (!of) return fail('After `1.2x` write `target`, `break_even` or `lead_time`.', '`1.2x` 后面写 `target`、`break_even` 或 `lead_time`。');
      spec.condition = { op: op as AlertCondition['op'], value: Number(ofMatch[1]), of: of as AlertCondition['of'] };
      i = 4;
      if (of === 'lead_time') spec.scope.per = 'sku';
    } else {
      const amount = parseAmount(amountWord);
      if (!Number.isFinite(amount.value)) return fail(`"${amountWord.slice(0, 20)}" is not a number.`, `“${amountWord.slice(0, 20)}”不是数字。`);
      spec.condition = { op: op as AlertCondition['op'], value: amount.value };
      (spec as RuleSpec & { percent?: boolean }).percent = amount.percent;
    }
  }
  for (const tok of toks.slice(i)) {
    const left = applyOption(spec, tok);
    if (left !== null) rest.push(left);
  }
  if (rest.length) return fail(`I don't understand "${rest.join(' ').slice(0, 60)}".`, `无法理解“${rest.join(' ').slice(0, 60)}”。`);
  if (!(spec.windowDays >= 1 && spec.windowDays <= MAX_WINDOW_DAYS)) return fail(`The window takes 1 to ${MAX_WINDOW_DAYS} days.`, `窗口为 1 到 ${MAX_WINDOW_DAYS} 天。`);
  if (!(spec.trialDays >= 0 && spec.trialDays <= MAX_TRIAL_DAYS)) return fail(`Trial mode takes 0 to ${MAX_TRIAL_DAYS} days.`, `试运行为 0 到 ${MAX_TRIAL_DAYS} 天。`);
  if (spec.type === 'threshold' && !spec.scope.per) spec.scope.per = spec.scope.sku ? 'sku' : 'store';
  return { ok: true, spec };
}
