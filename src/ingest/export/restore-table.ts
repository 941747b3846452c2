/**
 * Restores a table exported as stored (teams, categories, source_priorities) into a workspace:
 * the CSV header names the columns, empty cells are null, and tree tables are inserted parents
 * first so their self-references hold.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { unneutralise } from './csv-write.ts';
import { openTabularFile } from '../source/open.ts';
import { upsert } from '../pipeline/sql-batch.ts';

const SPECS: Record<string, { table: string; key: string[]; parent?: string }> = {
  teams: { table: 'teams', key: ['workspace_id', 'id'], parent: 'parent_team_id' },
  categories: { table: 'categories', key: ['workspace_id', 'id'], parent: 'parent_id' },
  source_priorities: { table: 'source_priorities', key: ['workspace_id', 'store_id', 'dataset'] },
};

/** A table export read back: its header (checked to be column names) and rows, empty cells null. */
export async function readTableCsv(path: string): Promise<{ header: string[]; rows: Record<string, string | null>[] }> {
  const src = await openTabularFile(path, { encoding: 'utf8', delimiter: ',' });
  let header: string[] | null = null;
  const rows: Record<string, string | null>[] = [];
  for await (const r of src.rows) {
    if (!header) {
      header = r.cells.map((c) => String(c ?? ''));
      if (header.some((h) => !/^[a-z_][a-z0-9_]*$/.test(h))) throw new AppError('invalid_argument', `${path}: unexpected header`);
      continue;
    }
    const row: Record<string, string | null> = {};
    header.forEach((h, i) => {
      const c = r.cells[i];
      row[h] = typeof c === 'string' ? unneutralise(c) : null;
    });
    rows.push(row);
  }
  return { header: header ?? [], rows };
}

export async function restoreTable(database: Database, workspaceId: string, name: string, path: string): Promise<number> {
  const spec = SPECS[name];
  if (!spec) throw new AppError('invalid_argument', `cannot restore ${name}`);
  const read = await readTableCsv(path);
  const header = read.header.length ? read.header : null;
  const rows: Record<string, unknown>[] = read.rows.map((r) => ({ ...r, workspace_id: workspaceId }));
  if (!header || rows.length === 0) return 0;
  // Parents before children: repeatedly take rows whose parent is absent or already placed.
  const ordered: Record<string, unknown>[] = [];
  if (spec.parent) {
    const placed = new Set<string>();
    let rest = rows;
    while (rest.length > 0) {
      const ready = rest.filter((r) => r[spec.parent!] === null || placed.has(String(r[spec.parent!])));
      if (ready.length === 0) throw new AppError('invalid_argument', `${path}: parent references form a cycle or name missing rows`);
      for (const r of ready) placed.add(String(r.id));
      ordered.push(...ready);
      rest = rest.filter((r) => !ready.includes(r));
    }
  } else ordered.push(...rows);
  const columns = ['workspace_id', ...header.filter((h) => h !== 'workspace_id')];
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < ordered.length; i += 1000) {
      await upsert(tx, { table: spec.table, columns, conflict: { columns: spec.key }, update: columns.filter((c) => !spec.key.includes(c)) }, ordered.slice(i, i + 1000));
    }
  });
  const [{ n }] = (await database.query<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(spec.table)} where workspace_id = ${workspaceId}`)) as [{ n: number }];
  return n;
}
