/**
 * Writes one stretch of the demo inside the caller's transaction: master data (skipping rows that
 * exist), the facts of the days, one sync run per dataset and store that records them (fact
 * rows point at it through sync_run_id), the calendar and budget rates of the years touched.
 * Used by the first seed (180 days) and by every roll-forward (the missing days).
 */
import { calendarRows } from './calendar.ts';
import { addDays, toDay, ymd } from './dates.ts';
import { budgetRateRows } from './fx.ts';
import { FACT_DATASETS, generateFacts, type Actuals, type FactTable } from './generate.ts';
import { insertRows, type SqlExecutor } from './bulk-insert.ts';
import { masterRows } from './master.ts';
import type { Row } from './sales-facts.ts';

/** Calendar entries are written this far past the anchor, so upcoming promotions are known. */
const CALENDAR_AHEAD_DAYS = 120;

/** What a stretch wrote, and the actuals of its days for goals. */
export interface WriteResult {
  /** Rows written per table. */
  rows: Record<string, number>;
  actuals: Actuals;
}

/** Sync runs of the stretch: per (dataset, store) for store facts, per dataset otherwise. */
function runRows(ws: string, from: string, to: string, tables: Record<FactTable, Row[]>, requestedBy: string, startedAt: Date): Row[] {
  const runs = new Map<string, { dataset: string; store: string | null; rows: number }>();
  const bump = (dataset: string, store: string | null, n: number) => {
    const key = `${dataset}|${store ?? ''}`;
    const run = runs.get(key) ?? { dataset, store, rows: 0 };
    run.rows += n;
    runs.set(key, run);
  };
  for (const [table, dataset] of Object.entries(FACT_DATASETS) as [FactTable, string][]) {
    for (const r of tables[table]) {
      const store = table === 'fact_team_events' || table === 'fx_rates' ? null : (r.store_id as string);
      bump(dataset, store, 1);
      // Fees and costs arrive inside the order rows: the costs dataset is as fresh as orders.
      if (table === 'fact_sales_daily') bump('costs', store, 1);
    }
  }
  const finishedAt = new Date();
  return [...runs.values()].map((run) => ({
    workspace_id: ws, kind: 'demo', dataset: run.dataset, source: 'demo', store_id: run.store,
    coverage: run.store ? { [run.store]: { from, through: to, rows: run.rows } } : null,
    status: 'ok', rows_accepted: run.rows, data_from_date: from, data_through_date: to,
    requested_by: requestedBy, started_at: startedAt, finished_at: finishedAt,
  }));
}

/** Runs recording master data and the calendar (first seed only). */
export function masterRunRows(ws: string, to: string, counts: Record<string, number>, requestedBy: string): Row[] {
  const datasets: [string, string][] = [['stores', 'stores'], ['skus', 'skus'], ['campaigns', 'campaigns'], ['warehouses', 'warehouses'], ['calendar', 'season_calendar'], ['goals', 'goals']];
  const now = new Date();
  return datasets.map(([dataset, table]) => ({
    workspace_id: ws, kind: 'demo', dataset, source: 'demo', store_id: null, coverage: null, status: 'ok',
    rows_accepted: counts[table] ?? 0, data_from_date: null, data_through_date: to, requested_by: requestedBy, started_at: now, finished_at: now,
  }));
}

/** Writes master data, facts and runs for the days [from, to] (ISO dates, inclusive). */
export async function writeStretch(
  tx: SqlExecutor,
  o: { ws: string; seed: number; from: string; to: string; requestedBy: string; rollForward: boolean },
): Promise<WriteResult> {
  const startedAt = new Date();
  const rows: Record<string, number> = {};
  const count = (table: string, n: number) => (rows[table] = (rows[table] ?? 0) + n);

  for (const [table, tableRows] of masterRows(o.ws, o.seed, o.from, o.to)) {
    // Rows that exist are kept (master data of earlier days, chats another workspace holds);
    // a buffered video (ready, unpublished) is published once the days roll past its date.
    const onConflict =
      table === 'content_items'
        ? 'on conflict (workspace_id, id) do update set status = excluded.status, published_at = excluded.published_at, updated_at = now()'
        : 'on conflict do nothing';
    // Ownership rows have no natural key to conflict on: written once, at the first seed.
    if (o.rollForward && table === 'ownership') continue;
    await insertRows(tx, table, tableRows, { onConflict });
    // Skipped conflicts are not counted, so a roll-forward reports only its new days.
    if (!o.rollForward) count(table, tableRows.length);
  }

  const batch = generateFacts(o.ws, o.seed, toDay(o.from), toDay(o.to));
  const runs = await insertRows(tx, 'sync_runs', runRows(o.ws, o.from, o.to, batch.tables, o.requestedBy, startedAt), {
    returning: 'id, dataset, store_id',
  });
  count('sync_runs', runs.length);
  const runId = new Map(runs.map((r) => [`${r.dataset}|${r.store_id ?? ''}`, r.id]));
  for (const [table, dataset] of Object.entries(FACT_DATASETS) as [FactTable, string][]) {
    const tableRows = batch.tables[table];
    for (const r of tableRows) {
      const store = table === 'fact_team_events' || table === 'fx_rates' ? '' : (r.store_id as string);
      r.sync_run_id = runId.get(`${dataset}|${store}`) ?? null;
    }
    await insertRows(tx, table, tableRows);
    count(table, tableRows.length);
  }

  const calendar = calendarRows(o.ws, toDay(o.from), toDay(addDays(o.to, CALENDAR_AHEAD_DAYS)));
  await insertRows(tx, 'season_calendar', calendar, { onConflict: 'on conflict do nothing' });
  if (!o.rollForward) count('season_calendar', calendar.length);
  const budget: Row[] = [];
  for (let y = ymd(toDay(o.from)).y; y <= ymd(toDay(o.to)).y; y++) budget.push(...budgetRateRows(o.ws, `year:${y}`));
  await insertRows(tx, 'budget_fx_rates', budget, { onConflict: 'on conflict do nothing' });
  if (!o.rollForward) count('budget_fx_rates', budget.length);
  return { rows, actuals: batch.actuals };
}
