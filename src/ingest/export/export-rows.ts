/**
 * Rows for exports, streamed page by page (keyset on ctid — a TID range scan from PG 14 on — so
 * neither memory nor OFFSET cost grows with the table; rows come in storage order): a dataset in its template columns — what an import reads
 * back — or any other table the workspace owns (goals, alerts, follow-ups, audit…) as stored.
 * Fact exports hold the counted source only, unless the whole workspace is being moved
 * (`includeSource`), which keeps every source and says which.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { DatasetDef } from '../datasets/types.ts';
import { ident } from '../pipeline/sql-batch.ts';
import type { OutCell } from './csv-write.ts';

const PAGE = 5000;

export interface ExportFilter {
  workspaceId: string;
  from?: string;
  to?: string;
  /** Only these stores (scoped roles). */
  storeIds?: readonly string[];
}

export function exportColumns(def: DatasetDef, includeSource: boolean): { name: string; db: string }[] {
  return def.columns
    .filter((c) => !c.virtual && (c.name !== 'source' || includeSource))
    .map((c) => ({ name: c.name, db: c.db ?? c.name }));
}

function text(v: unknown): OutCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  // text[] as `a|b`; a JSON array of objects (jsonb) stays JSON so it can be read back.
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object' || x === null) ? v.join('|') : JSON.stringify(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

async function* pages(database: Pick<Database, 'query'>, select: SQL, from: string, where: SQL[]): AsyncGenerator<Record<string, unknown>> {
  let last: string | null = null;
  for (;;) {
    const after: SQL = last === null ? sql`true` : sql`f.ctid > ${last}::tid`;
    const rows: Record<string, unknown>[] = await database.query<Record<string, unknown>>(sql`
      select ${select}, f.ctid::text as _ctid from ${sql.raw(from)} f
      where ${sql.join([...where, after], sql` and `)} order by f.ctid limit ${PAGE}`);
    for (const r of rows) yield r;
    if (rows.length < PAGE) return;
    last = String(rows[rows.length - 1]!._ctid);
  }
}

/** A dataset's rows in template columns. */
export async function* datasetRows(database: Pick<Database, 'query'>, def: DatasetDef, f: ExportFilter & { includeSource?: boolean }): AsyncGenerator<OutCell[]> {
  const cols = exportColumns(def, f.includeSource === true);
  const where: SQL[] = [sql`f.workspace_id = ${f.workspaceId}`];
  const dateCol = def.exportDate ? `f.${ident(def.exportDate)}` : null;
  if (dateCol && f.from) where.push(sql`${sql.raw(dateCol)} >= ${f.from}::date`);
  if (dateCol && f.to) where.push(def.exportDate === 'occurred_at' ? sql`${sql.raw(dateCol)} < (${f.to}::date + 1)` : sql`${sql.raw(dateCol)} <= ${f.to}::date`);
  const storeCol = def.columns.find((c) => c.name === 'store_id');
  if (f.storeIds && storeCol) where.push(f.storeIds.length ? sql`${sql.raw(`f.${ident(storeCol.db ?? 'store_id')}`)} in ${[...f.storeIds]}` : sql`false`);
  if (def.priorityDataset && !f.includeSource) {
    where.push(sql`not exists (select 1 from source_priorities sp where sp.workspace_id = f.workspace_id
      and sp.store_id = f.store_id and sp.dataset = ${def.priorityDataset} and sp.primary_source <> f.source)`);
  }
  // Money and dates as text keep numeric exactness and avoid driver date parsing; ids are text already.
  const select = sql.raw(cols.map((c) => {
    const kind = def.columns.find((x) => x.name === c.name)!.kind.type;
    const col = `f.${ident(c.db)}`;
    if (kind === 'money' || kind === 'decimal') return `trim_scale(${col})::text as ${ident(c.name)}`;
    if (kind === 'day' || kind === 'currency') return `trim(${col}::text) as ${ident(c.name)}`;
    if (kind === 'instant') return `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${ident(c.name)}`;
    return `${col} as ${ident(c.name)}`;
  }).join(', '));
  for await (const r of pages(database, select, ident(def.table), where)) yield cols.map((c) => text(r[c.name]));
}

/** Tables exported as stored (not importable datasets), with the column that from/to filter. */
export const TABLE_EXPORTS: Record<string, { table: string; dateColumn?: string }> = {
  goals: { table: 'goals', dateColumn: 'created_at' },
  adjustments: { table: 'goal_adjustments', dateColumn: 'created_at' },
  scores: { table: 'scores' },
  alerts: { table: 'alerts', dateColumn: 'opened_at' },
  alert_rules: { table: 'alert_rules' },
  followups: { table: 'followups', dateColumn: 'created_at' },
  audit: { table: 'audit_log', dateColumn: 'at' },
  teams: { table: 'teams' },
  categories: { table: 'categories' },
  source_priorities: { table: 'source_priorities' },
  sync_runs: { table: 'sync_runs', dateColumn: 'started_at' },
  users: { table: 'users' },
  role_assignments: { table: 'role_assignments' },
  chat_identities: { table: 'chat_identities' },
  chats: { table: 'chats' },
  platform_tenants: { table: 'platform_tenants' },
  ownership: { table: 'ownership' },
};

export async function tableColumns(database: Pick<Database, 'query'>, table: string): Promise<string[]> {
  const rows = await database.query<{ column_name: string }>(sql`select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`);
  return rows.map((r) => r.column_name);
}

export async function* tableRows(database: Pick<Database, 'query'>, name: string, columns: string[], f: ExportFilter): AsyncGenerator<OutCell[]> {
  const spec = TABLE_EXPORTS[name]!;
  const where: SQL[] = [sql`f.workspace_id = ${f.workspaceId}`];
  if (spec.dateColumn && f.from) where.push(sql`${sql.raw(`f.${ident(spec.dateColumn)}`)} >= ${f.from}::date`);
  if (spec.dateColumn && f.to) where.push(sql`${sql.raw(`f.${ident(spec.dateColumn)}`)} < (${f.to}::date + 1)`);
  const select = sql.raw(columns.map((c) => `f.${ident(c)}`).join(', '));
  for await (const r of pages(database, select, ident(spec.table), where)) yield columns.map((c) => text(r[c]));
}
