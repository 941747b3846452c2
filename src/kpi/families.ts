/**
 * Which family computes which metric source, and running them for one slice. `daily` metrics go
 * through fetch-daily/aggregate instead; `scores` come from a ScoreLookup (score-lookup.ts).
 */
import { accountHealth } from './account-health.ts';
import { adWaste } from './ad-waste.ts';
import { contentItems } from './content-items.ts';
import { noteFx, type FamilyContext, type FamilyResult, type FamilyRunner } from './family.ts';
import { inventoryEnd } from './inventory-end.ts';
import { inventoryFlow } from './inventory-flow.ts';
import { teamActivity } from './team-activity.ts';
import type { MetricDef, MetricSource } from './types.ts';

const RUNNERS: Partial<Record<MetricSource, FamilyRunner[]>> = {
  inventory: [inventoryFlow, inventoryEnd],
  events: [teamActivity],
  content_items: [contentItems],
  ad_groups: [adWaste],
  platform: [accountHealth],
};

const BY_PERSON = new Set<MetricSource>(['events', 'content_items']);

export function isFamilyMetric(def: MetricDef): boolean {
  return def.source in RUNNERS;
}

/** Every family metric of `defs` for the slice, merged into one result. */
export async function runFamilies(ctx: FamilyContext, defs: MetricDef[]): Promise<FamilyResult> {
  const out: FamilyResult = { values: new Map(), fxGaps: new Map(), fxStale: false };
  const jobs: Promise<FamilyResult>[] = [];
  for (const [source, runners] of Object.entries(RUNNERS) as [MetricSource, FamilyRunner[]][]) {
    const mine = defs.filter((d) => d.source === source);
    // People and content are dated in their own zones: they count even when no store is in the slice.
    if (mine.length === 0 || (ctx.ranges.length === 0 && !BY_PERSON.has(source))) continue;
    for (const run of runners) jobs.push(run(ctx, mine));
  }
  for (const r of await Promise.all(jobs)) {
    for (const [id, v] of r.values) out.values.set(id, v);
    noteFx(out, {
      fxGaps: r.fxGaps ?? new Map(),
      total: { fxStale: Boolean(r.fxStale) },
      ...(r.latestRateDay ? { latestRateDay: r.latestRateDay } : {}),
      ...(r.budgetPeriods ? { budgetPeriods: r.budgetPeriods } : {}),
    });
  }
  return out;
}
