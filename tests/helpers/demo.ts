/**
 * Demo test helpers. Canonical dumps for determinism tests: every row of every table that has a
 * workspace_id, as jsonb text without the columns that are allowed to differ between two loads
 * (ingestion and creation timestamps, generated identity ids, the sync_run_id pointing at one),
 * sorted and hashed per table in SQL. And goal pacing recomputed from the facts in SQL.
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { GOAL_PACE } from '../../src/demo/story.ts';

/** Columns that legitimately differ between two loads of the same (seed, anchor). */
const VOLATILE = ['ingested_at', 'created_at', 'updated_at', 'started_at', 'finished_at', 'sync_run_id'];

export interface TableDigest {
  rows: number;
  md5: string;
}

async function identityColumns(database: Database): Promise<Map<string, string[]>> {
  const rows = await database.query<{ table_name: string; column_name: string }>(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and is_identity = 'YES'`);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
  return out;
}

/** Tables holding demo rows (audit_log is the trail about them, not demo data). */
export async function workspaceTables(database: Database): Promise<string[]> {
  const rows = await database.query<{ table_name: string }>(sql`
    select distinct table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'workspace_id' and table_name <> 'audit_log' order by 1`);
  return rows.map((r) => r.table_name);
}

/** Digest of `select … from table where <where>` with volatile and identity columns removed. */
export async function digest(database: Database, table: string, where: string, drop: string[] = []): Promise<TableDigest> {
  const removed = [...VOLATILE, ...drop].map((c) => `'${c}'`).join(',');
  const [row] = await database.query<{ rows: number; md5: string }>(
    sql.raw(`select count(*) as rows, md5(coalesce(string_agg(r, E'\\n' order by r), '')) as md5
      from (select (to_jsonb(t) - array[${removed}]::text[])::text as r from ${table} t where ${where}) s`),
  );
  return { rows: Number(row!.rows), md5: row!.md5 };
}

/** One digest per demo table (and the workspace row itself). */
export async function demoDump(database: Database): Promise<Record<string, TableDigest>> {
  const identity = await identityColumns(database);
  const out: Record<string, TableDigest> = {
    workspaces: await digest(database, 'workspaces', `id = 'demo'`),
  };
  for (const table of await workspaceTables(database)) {
    out[table] = await digest(database, table, `workspace_id = 'demo'`, identity.get(table) ?? []);
  }
  return out;
}

/** How each fact table is cut to a day range (team events by the team's local day). */
export const FACT_DAY: Record<string, string> = {
  fact_sales_daily: 'date',
  fact_refund_lines: 'refund_date',
  fact_ads_daily: 'date',
  fact_inventory_daily: 'snapshot_date',
  fact_service_daily: 'date',
  fact_content_daily: 'date',
  fact_team_events: `(occurred_at at time zone 'Asia/Shanghai')::date`,
  fx_rates: 'date',
};

/** Digests of every fact table restricted to [from, to]. */
export async function factDigests(database: Database, from: string, to: string): Promise<Record<string, TableDigest>> {
  const out: Record<string, TableDigest> = {};
  for (const [table, day] of Object.entries(FACT_DAY)) {
    out[table] = await digest(database, table, `workspace_id = 'demo' and ${day} between '${from}' and '${to}'`);
  }
  return out;
}

/** A `select count(*) as n …` (or any single `n`) as a number. */
export async function count(database: Database, query: string): Promise<number> {
  const [row] = await database.query<{ n: number }>(sql.raw(query));
  return Number(row!.n);
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Pace and colour of every active goal the test can recompute without FX (glossary §3.3–§3.4). */
export async function goalColours(database: Database, anchor: string) {
  const goals = await database.query<{ id: number; period_id: string; start: string; end_: string; target: string; actual: string | number | null }>(sql`
    select g.id, g.period_id, g.period_start::text as start, g.period_end::text as end_, g.target,
      case
        when g.metric_id = 'gmv' and g.scope_level = 'store' then (select sum(s.gross_sales) from fact_sales_daily s
          where s.workspace_id = g.workspace_id and s.store_id = g.scope_id and s.date between g.period_start and least(${anchor}::date, g.period_end))
        when g.metric_id = 'gmv' and g.scope_level = 'person' then (select sum(s.gross_sales) from fact_sales_daily s
          join ownership o on o.workspace_id = s.workspace_id and o.scope_type = 'store' and o.scope_id = s.store_id and o.user_id = g.scope_id
            and s.date >= o.valid_from and (o.valid_to is null or s.date < o.valid_to)
          where s.workspace_id = g.workspace_id and s.date between g.period_start and least(${anchor}::date, g.period_end))
        when g.metric_id = 'units' and g.scope_level = 'company' then (select sum(s.units_ordered) from fact_sales_daily s
          where s.workspace_id = g.workspace_id and s.date between g.period_start and least(${anchor}::date, g.period_end))
        when g.metric_id = 'orders' and g.scope_level = 'team' then (select sum(v.orders_distinct) from fact_service_daily v
          join stores st on st.workspace_id = v.workspace_id and st.id = v.store_id
          where v.workspace_id = g.workspace_id and st.team_id = g.scope_id and v.date between g.period_start and least(${anchor}::date, g.period_end))
      end as actual
    from goals g where g.workspace_id = 'demo' and g.status = 'active'
      and (g.metric_id in ('units', 'orders') or (g.metric_id = 'gmv' and g.scope_level in ('store', 'person')))`);
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  return goals.map((g) => {
    const periodDays = day(g.end_) - day(g.start) + 1;
    const elapsed = Math.min(periodDays, day(anchor) - day(g.start) + 1);
    const pace = Number(g.actual) / (Number(g.target) * (elapsed / periodDays));
    const rag = elapsed < 3 ? 'grey' : pace >= 1 ? 'green' : pace >= 0.85 ? 'amber' : 'red';
    return { period: g.period_id, pace, rag };
  });
}

/** Red, amber and green all present among the non-grey goals, each at one of the story's paces. */
export function expectAllColours(paces: { pace: number; rag: string }[]): void {
  const coloured = paces.filter((p) => p.rag !== 'grey');
  expect(new Set(coloured.map((p) => p.rag))).toEqual(new Set(['red', 'amber', 'green']));
  // Each goal was aimed at one of the story's paces on this anchor (targets are rounded).
  for (const p of coloured) expect(Math.min(...Object.values(GOAL_PACE).map((x) => Math.abs(x - p.pace)))).toBeLessThan(0.01);
}
