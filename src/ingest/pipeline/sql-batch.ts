/**
 * Multi-row upserts as raw SQL with literal values: drizzle's insert().values() manages ~31 k
 * rows/s while a raw multi-row INSERT does 84–142 k/s (pitfalls.md "Database"), and literals keep a
 * chunk clear of the 65,535-parameter limit. Every value has been parsed and typed by then; text
 * is quoted, NUL refused. `ON CONFLICT … DO UPDATE` replaces a natural key's row, and the
 * statement-level rollup triggers (drizzle/0004, 0006) see it as one delete plus one insert.
 */
import { sql, type SQL } from 'drizzle-orm';
import { normalizeRows, resultRows } from '../../db/normalize.ts';

export interface SqlExecutor {
  execute(query: SQL): Promise<unknown>;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function quote(s: string): string {
  return `'${s.replaceAll('\0', '').replaceAll("'", "''")}'`;
}

export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : 'NULL';
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'string':
      return quote(v);
    case 'object':
      if (v instanceof Date) return `${quote(v.toISOString())}::timestamptz`;
      if (Array.isArray(v)) return v.length === 0 ? `'{}'::text[]` : `ARRAY[${v.map((x) => quote(String(x))).join(',')}]::text[]`;
      return `${quote(JSON.stringify(v))}::jsonb`;
    default:
      throw new TypeError(`unsupported value of type ${typeof v}`);
  }
}

export function ident(name: string): string {
  if (!IDENT.test(name)) throw new RangeError(`bad identifier ${name}`);
  return name;
}

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
