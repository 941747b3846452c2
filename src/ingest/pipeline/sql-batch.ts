/**
 * Multi-row upserts as raw SQL with literal values: drizzle's insert().values() manages ~31 k
 * rows/s while a raw multi-row INSERT does 84–142 k/s (pitfalls.md "Database"), and literals keep a
 * chunk clear of the 65,535-parameter limit. Every value has been parsed and typed by then
 * (literals: src/db/sql-literal.ts). `ON CONFLICT … DO UPDATE` replaces a natural key's row, and the
 * statement-level rollup triggers (drizzle/0004, 0006) see it as one delete plus one insert.
 */
import { sql } from 'drizzle-orm';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import { ident, literal, type SqlExecutor } from '../../db/sql-literal.ts';

export type { SqlExecutor };
export { ident, literal };

export interface UpsertSpec {
  table: string;
  columns: string[];
  /** `constraint name` or a column list; absent → `do nothing` on any conflict. */
  conflict?: { constraint: string } | { columns: string[] };
  /** Columns replaced on conflict; empty → do nothing. */
  update: string[];
  returning?: string;
}

/** One statement for up to a few thousand rows (the caller chunks). */
export async function upsert(db: SqlExecutor, spec: UpsertSpec, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const cols = spec.columns.map(ident);
  const values = rows.map((r) => `(${cols.map((c) => literal(r[c])).join(',')})`).join(',\n');
  let target = '';
  if (spec.conflict) target = 'constraint' in spec.conflict ? ` on constraint ${ident(spec.conflict.constraint)}` : ` (${spec.conflict.columns.map(ident).join(', ')})`;
  const action = spec.update.length === 0 ? 'do nothing' : `do update set ${spec.update.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}`;
  const text = `insert into ${ident(spec.table)} (${cols.join(', ')}) values ${values} on conflict${spec.update.length ? target : ''} ${action}${spec.returning ? ` returning ${spec.returning}` : ''}`;
  const result = await db.execute(sql.raw(text));
  return spec.returning ? normalizeRows<Record<string, unknown>>(resultRows(result)) : [];
}
