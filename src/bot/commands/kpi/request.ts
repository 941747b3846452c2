/**
 * A KPI request in the compact form that travels in button values (`kpi.drill`, `kpi.more`):
 * short keys so a query with a few filters stays far below the value limits. A value coming back
 * from a click is untrusted input: `decodeRequest` checks every field against the catalogue and
 * the engine's dimension lists, and queryKpi still applies the clicker's own principal.
 */
import { metricById } from '../../../kpi/catalogue/index.ts';
import { FILTER_DIMENSIONS, GROUP_DIMENSIONS, type FilterDimension, type GroupDimension } from '../../../kpi/dimensions.ts';
import type { CompareId } from '../../../kpi/periods.ts';

/**
 * Longest button value we emit. Slack allows 2,000 characters, Feishu and DingTalk more; the
 * console's action API caps `value` at 1,000, so that is the common limit.
 */
export const MAX_ACTION_VALUE = 1000;

export interface KpiRequest {
  /** Metric ids, at least one. */
  m: string[];
  /** Period id (ARCHITECTURE.md). */
  p: string;
  c?: Exclude<CompareId, 'goal'>;
  g?: GroupDimension;
  f?: Partial<Record<FilterDimension, string[]>>;
  /** Reporting currency. */
  cur?: string;
  /** Rank: top `n`, or bottom when `b`. */
  r?: { n: number; b?: 1 };
  /** Chart only (`chart gmv 30d`). */
  o?: 1;
  /**
   * Answer the period before `p`, each store shifted by its own window (the engine's `prev`
   * comparison): when stores end on different local days no single custom range says that.
   */
  sh?: 1;
  /** First row to list (the "more" button pages through grouped rows). */
  off?: number;
  /** Language of the card the button was on: the click is answered in it. */
  l?: 'en' | 'zh-CN';
}

export function encodeRequest(r: KpiRequest): string | undefined {
  const s = JSON.stringify(r);
  return s.length <= MAX_ACTION_VALUE ? s : undefined;
}

const COMPARES = new Set(['prev', 'yoy', 'wow']);
const PERIOD_RE = /^[a-z0-9_]+(:[A-Za-z0-9_.\- ]{1,60})?$/;
// Ids and names as the engine stores them: no control, format or bidi characters.
const VALUE_RE = /^[^\p{Cc}\p{Cf}]{1,100}$/u;

const isStrings = (v: unknown, max: number): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.length <= max && v.every((x) => typeof x === 'string' && VALUE_RE.test(x));

/** The request in a button value, or undefined when anything about it is off. */
export function decodeRequest(value: string | undefined): KpiRequest | undefined {
  if (!value || value.length > MAX_ACTION_VALUE) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  if (!isStrings(o.m, 8) || !o.m.every((id) => metricById(id))) return undefined;
  if (typeof o.p !== 'string' || o.p.length > 80 || !PERIOD_RE.test(o.p)) return undefined;
  const out: KpiRequest = { m: o.m, p: o.p };
  if (o.c !== undefined) {
    if (typeof o.c !== 'string' || !COMPARES.has(o.c)) return undefined;
    out.c = o.c as KpiRequest['c'];
  }
  if (o.g !== undefined) {
    if (!(GROUP_DIMENSIONS as readonly unknown[]).includes(o.g)) return undefined;
    out.g = o.g as GroupDimension;
  }
  if (o.f !== undefined) {
    if (!o.f || typeof o.f !== 'object' || Array.isArray(o.f)) return undefined;
    const f: KpiRequest['f'] = {};
    for (const [k, v] of Object.entries(o.f)) {
      if (!(FILTER_DIMENSIONS as readonly string[]).includes(k) || !isStrings(v, 50)) return undefined;
      f[k as FilterDimension] = v;
    }
    out.f = f;
  }
  if (o.cur !== undefined) {
    if (typeof o.cur !== 'string' || !/^[A-Z]{3}$/.test(o.cur)) return undefined;
    out.cur = o.cur;
  }
  if (o.r !== undefined) {
    const r = o.r as Record<string, unknown>;
    if (!r || typeof r.n !== 'number' || !Number.isInteger(r.n) || r.n < 1 || r.n > 100) return undefined;
    out.r = { n: r.n, ...(r.b === 1 ? { b: 1 as const } : {}) };
  }
  if (o.o === 1) out.o = 1;
  if (o.sh === 1) out.sh = 1;
  if (o.l === 'en' || o.l === 'zh-CN') out.l = o.l;
  if (o.off !== undefined) {
    if (typeof o.off !== 'number' || !Number.isInteger(o.off) || o.off < 0 || o.off > 10_000) return undefined;
    out.off = o.off;
  }
  return out;
}

/** How many days a period id covers when that is known without the calendar (1 for one-day ids). */
export function isOneDay(period: string): boolean {
  if (period === 'today' || period === 'yesterday' || period === 'last_1d') return true;
  const m = /^custom:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(period);
  return Boolean(m && m[1] === m[2]);
}
