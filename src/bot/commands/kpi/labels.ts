/**
 * Words on KPI cards: metric labels (GMV, ACoS, TACoS, ROAS stay English in Chinese), values
 * and changes through the renderer's formatters (so cards, charts and fallbacks read alike), and
 * "each store's day" lines for answers whose stores closed their days on different dates.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { metricFormat, periodLabel } from '../../../kpi/chart-input.ts';
import type { KpiResult } from '../../../kpi/query.ts';
import type { MetricDef } from '../../../kpi/types.ts';
import { formatChange, formatValue, type Lang } from '../../../render/index.ts';
import type { Locale } from '../../language.ts';

/** Acronyms people use as-is in Chinese too (ARCHITECTURE.md "Chat command language"). */
const SHORT_NAMES: Record<string, string> = { gmv: 'GMV', acos: 'ACoS', tacos: 'TACoS', roas: 'ROAS' };

export const langOf = (locale: Locale): Lang => (locale === 'en' ? 'en' : 'zh');

export function metricLabel(def: MetricDef, locale: Locale): string {
  return SHORT_NAMES[def.id] ?? (locale === 'en' ? def.name.en : def.name.zh);
}

export function valueText(def: MetricDef, value: number | null | undefined, currency: string, locale: Locale): string {
  return formatValue(value, metricFormat(def, currency), langOf(locale));
}

/** Change vs the comparison: percentage points for ratios (trap 19), relative otherwise. */
export function changeOf(def: MetricDef, cur: number | null | undefined, prev: number | null | undefined): { value: number | null; kind: 'pp' | 'relative' } {
  if (cur == null || prev == null) return { value: null, kind: 'relative' };
  if (def.unit === 'ratio') return { value: cur - prev, kind: 'pp' };
  return { value: prev === 0 ? null : (cur - prev) / Math.abs(prev), kind: 'relative' };
}

export function changeText(def: MetricDef, cur: number | null | undefined, prev: number | null | undefined): string {
  const c = changeOf(def, cur, prev);
  return formatChange(c.value, c.kind);
}

const COMPARE_WORDS: Record<string, { en: string; 'zh-CN': string }> = {
  prev: { en: 'vs prev', 'zh-CN': '环比' },
  yoy: { en: 'YoY', 'zh-CN': '同比' },
  wow: { en: 'WoW', 'zh-CN': '周环比' },
};

export function compareWord(id: string, locale: Locale): string {
  return COMPARE_WORDS[id]?.[locale] ?? id;
}

export function periodWord(id: string, locale: Locale): string {
  return periodLabel(id, langOf(locale));
}

const md = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
const span = (r: { from: string; to: string }) => (r.from === r.to ? md(r.from) : `${md(r.from)}–${md(r.to)}`);

/** The dates of the answer: one range, or each site's own when stores' days differ (§3.9). */
export async function periodLine(database: Database, workspaceId: string, result: KpiResult, locale: Locale): Promise<string> {
  const days = result.period.storeDays;
  if (!days) return result.period.from === result.period.to ? result.period.from : `${result.period.from} – ${result.period.to}`;
  const ids = Object.keys(days);
  const rows = await database.query<{ id: string; name: string | null; name_en: string | null }>(sql`
    select s.id, m.name, m.name_en from stores s
    left join marketplaces m on m.workspace_id = s.workspace_id and m.code = s.marketplace
    where s.workspace_id = ${workspaceId} and s.id in ${ids}`);
  const site = new Map(rows.map((r) => [r.id, (locale === 'en' ? r.name_en : r.name) ?? r.id]));
  // Sites sharing a day are listed together: "美国站 11/2，德国站、日本站 11/3".
  const byDay = new Map<string, { from: string; names: Set<string> }>();
  for (const id of ids.sort()) {
    const text = span(days[id]!);
    const entry = byDay.get(text) ?? { from: days[id]!.from, names: new Set<string>() };
    byDay.set(text, entry);
    entry.names.add(site.get(id) ?? id);
  }
  const sep = locale === 'en' ? ', ' : '、';
  return [...byDay]
    .sort(([, a], [, b]) => a.from.localeCompare(b.from))
    .map(([text, e]) => `${[...e.names].join(sep)} ${text}`)
    .join(locale === 'en' ? '; ' : '；');
}

/**
 * "暂估 至11/24" / "provisional until 11/24" after each value whose recent days may still change
 * (late ad attribution, late costs: KpiResult.provisional), and one line saying why.
 */
export function provisionalMarkTexts(result: KpiResult, defs: MetricDef[], locale: Locale): { marks: Record<string, string>; note?: string } {
  const marks: Record<string, string> = {};
  const spans = result.provisional ?? {};
  for (const d of defs) {
    const p = spans[d.id];
    if (p) marks[d.id] = locale === 'en' ? `(provisional until ${md(p.until)})` : `（暂估，至${md(p.until)}）`;
  }
  if (!Object.keys(marks).length) return { marks };
  const note = locale === 'en'
    ? 'Provisional: ad platforms keep attributing orders and late costs keep arriving for recent days, so these values may still change.'
    : '暂估：近期的广告归因和延迟入账的费用仍在更新，这些数值之后可能变化。';
  return { marks, note };
}
