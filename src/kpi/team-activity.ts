/**
 * Team activity (glossary §1.5) from `fact_team_events`: one row per event, stored in UTC and
 * bucketed into the person's own time zone (user, else team, else workspace), so "yesterday" is
 * the person's yesterday. Listing edits and ad changes count once per person, object and local
 * hour (trap 17: gameable counts); distinct counts (new listings, creators contacted) do not add
 * across groups and are asked for the total separately.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { MetricValue } from './aggregate.ts';
import { addDays } from './dates.ts';
import { isTimeGrain, timeGrainSql, type GroupDimension } from './dimensions.ts';
import { countValue, groupsAndTotal, ratioValue, valuesOf, type FamilyContext, type FamilyResult, type FamilyValues } from './family.ts';
import { sliceSql } from './slice.ts';
import type { MetricDef } from './types.ts';

const HOUR = `to_char(f.occurred_at at time zone z.tz, 'YYYY-MM-DD HH24')`;

/** Metric id → its aggregate over the slice's events (all deduplicated by event_id on ingest). */
const COUNTS: Record<string, string> = {
  new_listings: `count(distinct f.sku_id) filter (where f.event_type = 'listing_created')`,
  listing_updates: `count(distinct f.user_id || '|' || coalesce(f.sku_id, '') || '|' || ${HOUR}) filter (where f.event_type = 'listing_updated')`,
  ad_optimizations: `count(distinct f.user_id || '|' || coalesce(f.ad_group_id, '') || '|' || ${HOUR}) filter (where f.event_type = 'ad_change')`,
  tasks_completed: `count(*) filter (where f.event_type = 'task_completed')`,
  cs_replies: `count(*) filter (where f.event_type = 'cs_reply')`,
  neg_reviews_handled: `count(*) filter (where f.event_type = 'neg_review_handled')`,
  creators_contacted: `count(distinct f.creator_id) filter (where f.event_type = 'creator_contacted')`,
};

/** Events of the slice whose local day (through `at`) lies in the period in the person's zone. */
async function eventsFrom(ctx: FamilyContext, groupBy: GroupDimension | undefined, at: 'occurred_at' | 'due_at') {
  const zones = await ctx.database.query<{ tz: string }>(sql`
    select distinct coalesce(u.timezone, t.timezone, w.timezone) as tz from workspaces w
    left join users u on u.workspace_id = w.id left join teams t on t.workspace_id = u.workspace_id and t.id = u.team_id
    where w.id = ${ctx.workspaceId}`);
  const tzs = [...new Set([ctx.workspaceTimezone, ...zones.map((z) => z.tz)])];
  const ranges = await Promise.all(tzs.map(async (tz) => ({ tz, ...(await ctx.rangeIn(tz)) })));
  const lo = addDays(ranges.reduce((m, r) => (r.from < m ? r.from : m), ranges[0]!.from), -2);
  const hi = addDays(ranges.reduce((m, r) => (r.to > m ? r.to : m), ranges[0]!.to), 2);
  const s = sliceSql('E', { ...ctx, groupBy });
  const local = `(f.${at} at time zone z.tz)::date`;
  // The on-time rate buckets tasks by their due day, everything else by when it happened.
  const group: SQL = groupBy && isTimeGrain(groupBy) ? sql.raw(timeGrainSql(groupBy, local)) : s.group;
  const values = sql.join(ranges.map((r) => sql`(${r.tz}::text, ${r.from}::date, ${r.to}::date)`), sql`, `);
  return {
    group,
    from: sql`fact_team_events f
      left join users u on u.workspace_id = f.workspace_id and u.id = f.user_id
      left join teams tm on tm.workspace_id = u.workspace_id and tm.id = u.team_id
      cross join lateral (select coalesce(u.timezone, tm.timezone, ${ctx.workspaceTimezone}::text) as tz) z
      ${s.joins}
      join (values ${values}) as r(tz, d_from, d_to) on r.tz = z.tz and ${sql.raw(local)} between r.d_from and r.d_to
      where ${sql.join(s.where, sql` and `)} and f.${sql.raw(at)} >= ${lo}::date and f.${sql.raw(at)} < ${hi}::date`,
  };
}

type Row = Record<string, unknown>;
const byGroup = (rows: Row[], grouped: boolean) => {
  const out = new Map<string | null, Row>();
  for (const r of rows) {
    if (grouped && r.g === null) continue;
    out.set(grouped ? String(r.g) : null, r);
  }
  return out;
};

/**
 * task_on_time_rate: tasks completed by their due time ÷ tasks due in the period. Tasks reach
 * the engine as `task_completed` events carrying due_at and completed_at; a task due in the
 * period and not completed yet has no event, so the denominator is the tasks completed so far
 * whose due day lies in the period (there is no task table to learn the open ones from).
 */
async function onTime(ctx: FamilyContext) {
  return groupsAndTotal(ctx, 'E', async (groupBy) => {
    const ev = await eventsFrom(ctx, groupBy, 'due_at');
    const rows = await ctx.database.query<Row>(sql`
      select ${ev.group} as g, count(distinct coalesce(f.task_id, f.event_id)) filter (where f.completed_at <= f.due_at) as num,
        count(distinct coalesce(f.task_id, f.event_id)) as den
      from ${ev.from} and f.event_type = 'task_completed' and f.completed_at is not null
      group by 1`);
    return byGroup(rows, Boolean(groupBy));
  });
}

export async function teamActivity(ctx: FamilyContext, defs: MetricDef[]): Promise<FamilyResult> {
  const values = new Map<string, FamilyValues>();
  const counted = defs.filter((d) => d.id in COUNTS);
  const counts = async () => {
    const r = await groupsAndTotal(ctx, 'E', async (groupBy) => {
      const ev = await eventsFrom(ctx, groupBy, 'occurred_at');
      const cols = counted.map((d) => sql.raw(`${COUNTS[d.id]} as "${d.id}"`));
      const rows = await ctx.database.query<Row>(sql`
        select ${ev.group} as g, ${sql.join(cols, sql`, `)}, count(*) as n from ${ev.from} group by 1`);
      return byGroup(rows, Boolean(groupBy));
    });
    for (const d of counted) values.set(d.id, valuesOf(r, (x): MetricValue => countValue(Number(x?.[d.id] ?? 0), Number(x?.n ?? 0))));
  };
  const rate = async () => {
    const r = await onTime(ctx);
    values.set('task_on_time_rate', valuesOf(r, (x) => ratioValue(Number(x?.num ?? 0), Number(x?.den ?? 0), Number(x?.den ?? 0))));
  };
  await Promise.all([counted.length > 0 && counts(), defs.some((d) => d.id === 'task_on_time_rate') && rate()]);
  return { values };
}
