/**
 * Fetches every daily-sum part a question needs with one statement per fact table: the period,
 * its comparison, ODR's trailing 60 days and the stock snapshot with its 30 days of sales are
 * ranges tagged with their part in one VALUES list. A morning digest then costs three statements
 * (sales, ads, service) instead of one per part and table; on a busy database the round trips and
 * plans, not the rows, were most of its time.
 */
import type { Database } from '../db/client.ts';
import { BASES } from './bases.ts';
import { addDays } from './dates.ts';
import type { Filters, GroupDimension } from './dimensions.ts';
import { fetchDaily, type DailyRow, type StoreRange } from './fetch-daily.ts';
import type { DataScopeIds } from './slice.ts';
import type { FactTable, MetricDef } from './types.ts';

export type Part = 'main' | 'roll' | 'snap';

interface Want {
  tag: string;
  defs: MetricDef[];
  ranges: StoreRange[];
  only?: FactTable;
}

/** The parts one slice (`main` or `cmp`) needs for its daily metrics. */
export function wantsFor(slice: string, defs: MetricDef[], ranges: StoreRange[]): Want[] {
  const regular = defs.filter((d) => !d.window);
  const rolling = defs.filter((d) => d.window === 'roll60');
  const snapshots = defs.filter((d) => d.window === 'snapshot');
  const at = (part: Part, rs: StoreRange[]) => rs.map((r) => ({ ...r, tag: `${slice}:${part}` }));
  const out: Want[] = [];
  if (regular.length) out.push({ tag: `${slice}:main`, defs: regular, ranges: at('main', ranges) });
  // ODR over the 60 days ending at each store's period end (trap 13).
  if (rolling.length) out.push({ tag: `${slice}:roll`, defs: rolling, ranges: at('roll', ranges.map((r) => ({ ...r, from: addDays(r.to, -59) }))) });
  if (snapshots.length) {
    // Stock at each store's period end, with units sold over the 30 days ending there (velocity30).
    out.push({ tag: `${slice}:snap`, defs: snapshots, ranges: at('snap', ranges.map((r) => ({ ...r, from: r.to }))), only: 'I' });
    out.push({ tag: `${slice}:snap`, defs: snapshots, ranges: at('snap', ranges.map((r) => ({ ...r, from: addDays(r.to, -29) }))), only: 'S' });
  }
  return out;
}

/** Rows per tag and table. */
export async function fetchWants(
  database: Database,
  slice: { workspaceId: string; groupBy?: GroupDimension; filters: Filters; scope?: DataScopeIds },
  wants: Want[],
): Promise<Map<string, Map<FactTable, DailyRow[]>>> {
  const byTable = new Map<FactTable, { bases: Set<string>; ranges: StoreRange[] }>();
  for (const w of wants) {
    const tables = new Set<FactTable>();
    for (const d of w.defs) for (const id of d.needs) {
      const t = BASES[id]!.table;
      if (w.only && t !== w.only) continue;
      const entry = byTable.get(t) ?? { bases: new Set<string>(), ranges: [] };
      byTable.set(t, entry);
      entry.bases.add(id);
      tables.add(t);
    }
    for (const t of tables) byTable.get(t)!.ranges.push(...w.ranges);
  }
  const fetched = await Promise.all(
    [...byTable].map(async ([table, e]) => [table, await fetchDaily(database, { ...slice, table, bases: [...e.bases], ranges: e.ranges })] as const),
  );
  const out = new Map<string, Map<FactTable, DailyRow[]>>();
  for (const w of wants) if (!out.has(w.tag)) out.set(w.tag, new Map());
  for (const [table, rows] of fetched) {
    for (const row of rows) {
      const m = out.get(row.tag!)!;
      if (!m.has(table)) m.set(table, []);
      m.get(table)!.push(row);
    }
  }
  return out;
}
