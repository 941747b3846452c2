/**
 * Drill-down buttons under a KPI answer (glossary §3.8): into the top groups along the next
 * dimension (site → store → SKU), by store when not grouped, and the previous period. Each
 * button's value is the next request (request.ts); the click re-runs it with the clicker's own
 * principal, so a forwarded button never shows more than the clicker may see.
 */
import { addDays, addMonths, daysBetween } from '../../../kpi/dates.ts';
import type { GroupDimension } from '../../../kpi/dimensions.ts';
import type { KpiResult } from '../../../kpi/query.ts';
import { button, type Button } from '../../card.ts';
import type { Locale } from '../../language.ts';
import { encodeRequest, type KpiRequest } from './request.ts';

export const DRILL_ACTION = 'kpi.drill';
export const MORE_ACTION = 'kpi.more';

/** Where a drill goes next from each grouping; absent = no deeper level. */
const NEXT: Partial<Record<GroupDimension, GroupDimension>> = {
  region: 'marketplace',
  platform: 'marketplace',
  marketplace: 'store',
  team: 'store',
  channel: 'store',
  owner: 'store',
  store: 'sku',
  category: 'sku',
  parent_sku: 'sku',
  campaign: 'ad_group',
};

const DIM_WORDS: Partial<Record<GroupDimension, { en: string; 'zh-CN': string }>> = {
  store: { en: 'by store', 'zh-CN': '按店铺' },
  sku: { en: 'by SKU', 'zh-CN': '按SKU' },
  marketplace: { en: 'by site', 'zh-CN': '按站点' },
  ad_group: { en: 'by ad group', 'zh-CN': '按广告组' },
  platform: { en: 'by platform', 'zh-CN': '按平台' },
};

export function dimensionWord(dim: GroupDimension, locale: Locale): string {
  return DIM_WORDS[dim]?.[locale] ?? (locale === 'en' ? `by ${dim}` : `按 ${dim}`);
}

/** The period right before the answered one, as a period id. */
export function previousPeriod(req: KpiRequest, result: KpiResult): string | undefined {
  const { from, to } = result.period;
  if (!from || !to) return undefined;
  const same: Record<string, string> = { this_week: 'last_week', this_month: 'last_month', this_quarter: 'last_quarter', this_year: 'last_year' };
  if (same[req.p]) return same[req.p];
  if (req.p === 'last_month' || req.p.startsWith('month:')) return `month:${addMonths(from, -1).slice(0, 7)}`;
  const len = daysBetween(from, to) + 1;
  return `custom:${addDays(from, -len)}..${addDays(from, -1)}`;
}

function drill(label: string, next: KpiRequest): Button | undefined {
  const value = encodeRequest({ ...next, off: undefined });
  return value ? button(DRILL_ACTION, label.slice(0, 60), value) : undefined;
}

/** Buttons for the answer, best first; the card keeps as many as the platform shows. */
export function drillButtons(req: KpiRequest, result: KpiResult, locale: Locale, topLabels: string[]): Button[] {
  const out: (Button | undefined)[] = [];
  const g = req.g && !['day', 'week', 'month'].includes(req.g) ? req.g : undefined;
  if (!g) {
    out.push(drill(dimensionWord('store', locale), { ...req, g: 'store' }));
    out.push(drill(dimensionWord('marketplace', locale), { ...req, g: 'marketplace' }));
  } else {
    const next = NEXT[g];
    if (next) {
      for (const label of topLabels.slice(0, 2)) {
        out.push(drill(`${label} · ${dimensionWord(next, locale)}`, { ...req, g: next, f: { ...req.f, [g]: [label] } }));
      }
    }
  }
  const label = locale === 'en' ? 'Previous period' : '上一期';
  const days = Object.values(result.period.storeDays ?? {});
  if (days.some((d) => d.from !== days[0]!.from)) {
    // Stores on different local days: each store's own previous window, as `compare=prev` has it.
    if (!req.sh) out.push(drill(label, { ...req, sh: 1, c: undefined }));
  } else {
    const prev = previousPeriod(req, result);
    if (prev) out.push(drill(label, { ...req, p: prev, sh: undefined }));
  }
  return out.filter((b): b is Button => b !== undefined);
}
