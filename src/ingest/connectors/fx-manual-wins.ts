/**
 * "A manual `fx` import still wins" (glossary §2.3; src/db/schema/finance.ts): fx_rates has one
 * row per (date, pair) whatever its source, and an upsert would replace an admin's rate with the
 * feed's. So before a connector's fx rows are imported, those whose (date, from, to) already has
 * a rate from another source (`manual`, `cfets`, a file) are dropped. A later manual import still
 * replaces a feed row, since file imports upsert as before.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { SourceRow } from '../source/csv.ts';

export async function dropRatesOwnedElsewhere(database: Database, workspaceId: string, rows: SourceRow[]): Promise<{ rows: SourceRow[]; dropped: number }> {
  const header = rows[0]?.cells.map((c) => String(c ?? '')) ?? [];
  const [iDate, iFrom, iTo, iSource] = ['date', 'from_ccy', 'to_ccy', 'source'].map((c) => header.indexOf(c));
  if (rows.length < 2 || iDate! < 0 || iFrom! < 0 || iTo! < 0) return { rows, dropped: 0 };
  const dates = rows.slice(1).map((r) => String(r.cells[iDate!] ?? '')).filter(Boolean).sort();
  const owned = await database.query<{ k: string; source: string }>(sql`select date::text || '|' || from_ccy || '|' || to_ccy as k, source from fx_rates
    where workspace_id = ${workspaceId} and date between ${dates[0]!}::date and ${dates[dates.length - 1]!}::date`);
  const kept: SourceRow[] = [rows[0]!];
  const bySource = new Map(owned.map((o) => [o.k, o.source]));
  let dropped = 0;
  for (const r of rows.slice(1)) {
    const existing = bySource.get(`${String(r.cells[iDate!])}|${String(r.cells[iFrom!])}|${String(r.cells[iTo!])}`);
    const mine = iSource! >= 0 ? String(r.cells[iSource!] ?? '') : '';
    if (existing !== undefined && existing !== mine) dropped++;
    else kept.push(r);
  }
  return { rows: kept, dropped };
}
