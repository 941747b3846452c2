/**
 * Distinct content counts (glossary §1.6) from `content_items`: videos published and live
 * sessions started in the period, affiliate creators with an item published, and the content
 * buffer at the period end. An item's day is the local day of its store (the workspace's for
 * items without a store), like every other fact. Distinct counts do not add across groups, so
 * the total is its own query.
 */
import { sql } from 'drizzle-orm';
import type { MetricValue } from './aggregate.ts';
import { addDays } from './dates.ts';
import { isTimeGrain, type GroupDimension } from './dimensions.ts';
import { rangeBounds } from './fetch-daily.ts';
import { groupsAndTotal, ratioValue, valuesOf, type FamilyContext, type FamilyResult, type FamilyValues } from './family.ts';
import { sliceSql } from './slice.ts';
import type { MetricDef } from './types.ts';

/** Trailing window of the buffer's publishing rate (glossary: videos_published in 28 d ÷ 28). */
export const BUFFER_RATE_DAYS = 28;

const COUNTS: Record<string, string> = {
  videos_published: `count(distinct f.id) filter (where f.type = 'video')`,
  lives_hosted: `count(distinct f.id) filter (where f.type = 'live')`,
  creators_active: `count(distinct f.creator_id) filter (where cr.type = 'affiliate')`,
};

async function itemsFrom(ctx: FamilyContext, groupBy: GroupDimension | undefined) {
  const s = sliceSql('CI', { ...ctx, groupBy });
  const ws = await ctx.rangeIn(ctx.workspaceTimezone);
  // Items without a store take the period in the workspace's zone ('' stands for "no store").
  const ranges = [...ctx.ranges, { storeId: '', from: ws.from, to: ws.to }];
  const values = sql.join(ranges.map((r) => sql`(${r.storeId}::text, ${r.from}::date, ${r.to}::date)`), sql`, `);
  const { minFrom, maxTo } = rangeBounds(ranges);
  return {
    group: s.group,
    /** Instants around the period (any zone), so the publishing index bounds the scan. */
    lo: addDays(minFrom, -(BUFFER_RATE_DAYS + 1)),
    hi: addDays(maxTo, 2),
    from: sql`content_items f ${s.joins}
      cross join lateral (select coalesce(st.timezone, ${ctx.workspaceTimezone}::text) as tz) z
      left join creators cr on cr.workspace_id = f.workspace_id and cr.id = f.creator_id
      join (values ${values}) as r(store_id, d_from, d_to) on r.store_id = coalesce(f.store_id, '')
      where ${sql.join(s.where, sql` and `)}`,
  };
}

type Row = Record<string, unknown>;
const byGroup = (rows: Row[], grouped: boolean) => {
  const out = new Map<string | null, Row>();
  for (const r of rows) if (!grouped || r.g !== null) out.set(grouped ? String(r.g) : null, r);
  return out;
};

/**
 * content_buffer_days: items ready by the end of the period's last day and not published by
 * then, ÷ the daily publishing rate (videos published in the 28 days ending that day ÷ 28).
 */
async function buffer(ctx: FamilyContext) {
  const end = `((r.d_to + 1)::timestamp at time zone z.tz)`;
  const start = `((r.d_to - ${BUFFER_RATE_DAYS - 1})::timestamp at time zone z.tz)`;
  const r = await groupsAndTotal(ctx, 'CI', async (groupBy) => {
    const it = await itemsFrom(ctx, isTimeGrain(groupBy) ? undefined : groupBy);
    const rows = await ctx.database.query<Row>(sql`
      select ${it.group} as g,
        count(*) filter (where f.ready_at < ${sql.raw(end)} and (f.published_at is null or f.published_at >= ${sql.raw(end)})) as ready,
        count(*) filter (where f.type = 'video' and f.published_at >= ${sql.raw(start)} and f.published_at < ${sql.raw(end)}) as recent,
        count(*) as n
      from ${it.from} and (f.published_at is null or f.published_at >= ${it.lo}::date) group by 1`);
    return byGroup(rows, Boolean(groupBy));
  });
  return { ...r, applicable: r.applicable && !isTimeGrain(ctx.groupBy) };
}

export async function contentItems(ctx: FamilyContext, defs: MetricDef[]): Promise<FamilyResult> {
  const values = new Map<string, FamilyValues>();
  const counted = defs.filter((d) => d.id in COUNTS);
  const counts = async () => {
    const [r, known] = await Promise.all([
      groupsAndTotal(ctx, 'CI', async (groupBy) => {
        const it = await itemsFrom(ctx, groupBy);
        const cols = counted.map((d) => sql.raw(`${COUNTS[d.id]} as "${d.id}"`));
        const rows = await ctx.database.query<Row>(sql`
          select ${it.group} as g, ${sql.join(cols, sql`, `)}, count(*) as n from ${it.from}
            and f.published_at >= ${it.lo}::date and f.published_at < ${it.hi}::date
            and (f.published_at at time zone z.tz)::date between r.d_from and r.d_to
          group by 1`);
        return byGroup(rows, Boolean(groupBy));
      }),
      // Content items are master data: with items in the slice at all, none published is a real 0.
      itemsFrom(ctx, undefined).then(async (it) => {
        const [any] = await ctx.database.query<{ n: unknown }>(sql`select count(*) as n from ${it.from}`);
        return Number(any?.n ?? 0) > 0;
      }),
    ]);
    for (const d of counted) {
      values.set(d.id, valuesOf(r, (x): MetricValue => (known ? { value: Number(x?.[d.id] ?? 0) } : { value: null, missing: 'no_data' })));
    }
  };
  const buffered = async () => {
    const r = await buffer(ctx);
    values.set('content_buffer_days', valuesOf(r, (x) => {
      const recent = Number(x?.recent ?? 0);
      return ratioValue(Number(x?.ready ?? 0), recent / BUFFER_RATE_DAYS, Number(x?.n ?? 0));
    }));
  };
  await Promise.all([counted.length > 0 && counts(), defs.some((d) => d.id === 'content_buffer_days') && buffered()]);
  return { values };
}
