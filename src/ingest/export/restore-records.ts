/**
 * Restores what a workspace export holds besides data (ARCHITECTURE.md `import --all`): people
 * (users, roles, chat identities, chats, tenant bindings, ownership) and the records features
 * keep (goals, alert rules, alerts, follow-ups). Columns come from the file's header, kept where
 * the target table still has them. Tables with generated ids get new ones — the ids of another
 * database may be taken — and references between them (a goal's parent, an alert's rule, a
 * follow-up's alert) are rewritten to the new ids. Rows that collide with existing ones (a chat
 * identity already bound elsewhere) are left as they are and counted as skipped.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { upsert, type SqlExecutor } from '../pipeline/sql-batch.ts';
import { readTableCsv } from './restore-table.ts';

export interface RecordSpec {
  name: string;
  table: string;
  /** The `id` is generated: new ids, old → new remembered for references. */
  identity?: boolean;
  /** Column → the record (by name) whose old ids it holds. A table may refer to itself. */
  refs?: Record<string, string>;
}

/** Restore order: what later records refer to comes first. */
export const RESTORED_RECORDS: readonly RecordSpec[] = [
  { name: 'users', table: 'users' },
  { name: 'role_assignments', table: 'role_assignments', identity: true },
  { name: 'chat_identities', table: 'chat_identities' },
  { name: 'chats', table: 'chats' },
  { name: 'platform_tenants', table: 'platform_tenants' },
  { name: 'ownership', table: 'ownership', identity: true },
  { name: 'goals', table: 'goals', identity: true, refs: { parent_goal_id: 'goals' } },
  { name: 'alert_rules', table: 'alert_rules', identity: true },
  { name: 'alerts', table: 'alerts', identity: true, refs: { rule_id: 'alert_rules' } },
  { name: 'followups', table: 'followups', identity: true, refs: { alert_id: 'alerts' } },
];

type IdMaps = Map<string, Map<string, number>>;

async function columnTypes(database: Database, table: string): Promise<Map<string, string>> {
  const rows = await database.query<{ column_name: string; data_type: string }>(sql`select column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}`);
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

/** A cell as the column wants it: text[] exported as `a|b`, jsonb as JSON (or `a|b` of strings). */
function value(raw: string, type: string): unknown {
  if (type === 'ARRAY') return raw === '' ? [] : raw.split('|');
  if (type === 'jsonb' || type === 'json') {
    try {
      return JSON.stringify(JSON.parse(raw));
    } catch {
      return JSON.stringify(raw.split('|'));
    }
  }
  return raw;
}

/** Parents before children for a self-reference; rows whose parent is missing go last, unlinked. */
function parentsFirst(rows: Record<string, string | null>[], column: string | undefined): Record<string, string | null>[] {
  if (!column) return rows;
  const ids = new Set(rows.map((r) => r.id));
  const placed = new Set<string | null>();
  const out: Record<string, string | null>[] = [];
  let rest = rows;
  while (rest.length) {
    const ready = rest.filter((r) => r[column] === null || !ids.has(r[column]!) || placed.has(r[column]!));
    if (ready.length === 0) {
      out.push(...rest);
      break;
    }
    for (const r of ready) placed.add(r.id ?? null);
    out.push(...ready);
    rest = rest.filter((r) => !ready.includes(r));
  }
  return out;
}

/** Restores one record file; returns rows written and rows skipped as conflicting. */
export async function restoreRecords(database: Database, workspaceId: string, spec: RecordSpec, path: string, maps: IdMaps): Promise<{ rows: number; skipped: number }> {
  const { header, rows } = await readTableCsv(path);
  if (rows.length === 0) return { rows: 0, skipped: 0 };
  const types = await columnTypes(database, spec.table);
  const columns = header.filter((h) => types.has(h) && h !== 'workspace_id' && !(spec.identity && h === 'id'));
  const selfRef = Object.entries(spec.refs ?? {}).find(([, target]) => target === spec.name)?.[0];
  const map = new Map<string, number>();
  maps.set(spec.name, map);
  let written = 0;
  try {
    await database.db.transaction(async (tx) => {
    const db = tx as unknown as SqlExecutor;
    for (const r of parentsFirst(rows, selfRef)) {
      const row: Record<string, unknown> = { workspace_id: workspaceId };
      for (const c of columns) {
        const raw = r[c];
        if (raw === null || raw === undefined) continue; // the column's default (or null)
        const target = spec.refs?.[c];
        if (target) {
          const mapped = maps.get(target)?.get(raw);
          if (mapped !== undefined) row[c] = mapped;
          continue;
        }
        row[c] = value(raw, types.get(c)!);
      }
      const out = await upsert(db, { table: spec.table, columns: Object.keys(row), update: [], ...(spec.identity ? { returning: 'id' } : {}) }, [row]);
      if (spec.identity) {
        if (out[0] && r.id) map.set(r.id, Number(out[0].id));
        if (out[0]) written++;
      } else written++;
    }
    });
  } catch (err) {
    // A row the target refuses (e.g. an owner missing from users.csv): name the file, keep nothing of it.
    const detail = ((err as { cause?: Error }).cause ?? (err as Error)).message;
    throw new AppError('invalid_argument', `${spec.name}.csv could not be restored: ${String(detail).slice(0, 200)}`);
  }
  if (!spec.identity) {
    // Without generated ids, a conflicting row was silently kept: count what is really there.
    const [{ n }] = (await database.query<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(spec.table)} where workspace_id = ${workspaceId}`)) as [{ n: number }];
    return { rows: n, skipped: rows.length - n };
  }
  return { rows: written, skipped: rows.length - written };
}
