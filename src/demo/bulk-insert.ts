/**
 * The demo's one writer: raw multi-row INSERTs in chunks of a few thousand rows. drizzle's
 * insert().values() manages ~31 k rows/s, raw multi-row INSERT ~84 k/s on PGlite and ~140 k/s on
 * Postgres (pitfalls.md "Database"); literals instead of bind parameters also keep a chunk clear
 * of the 65,535-parameter limit. Values are our own generated data, quoted anyway.
 */
import { sql, type SQL } from 'drizzle-orm';
import { normalizeRows, resultRows } from '../db/normalize.ts';

/** A transaction or database that can run raw SQL (drizzle's `execute`). */
export interface SqlExecutor {
  execute(query: SQL): Promise<unknown>;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function quote(s: string): string {
  if (s.includes('\0')) throw new RangeError('NUL character in a demo value');
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * A SQL literal for a generated value: strings, finite numbers, booleans, Dates (timestamptz),
 * string arrays (text[]) and plain objects (jsonb). Unknown-typed string literals take the
 * column's type in INSERT … VALUES, so dates and numerics need no casts.
 */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) throw new RangeError(`non-finite number in a demo row: ${v}`);
      return String(v);
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'string':
      return quote(v);
    case 'object':
      if (v instanceof Date) return `${quote(v.toISOString())}::timestamptz`;
      if (Array.isArray(v)) return v.length === 0 ? `'{}'::text[]` : `ARRAY[${v.map((x) => quote(String(x))).join(',')}]::text[]`;
      return `${quote(JSON.stringify(v))}::jsonb`;
    default:
      throw new TypeError(`unsupported demo value of type ${typeof v}`);
  }
}

/** Optional clauses of an insert. */
export interface InsertOptions {
  /** Appended after VALUES, e.g. `on conflict do nothing`. */
  onConflict?: string;
  /** `returning …` clause; rows come back normalised. */
  returning?: string;
}

/** Rows per statement: ~60 k cells, between 500 and 5,000 rows. */
function chunkRows(columns: number): number {
  return Math.min(5000, Math.max(500, Math.floor(60_000 / columns)));
}

/**
 * Inserts `rows` (objects keyed by column name; the first row's keys are the column list) and
 * returns the rows of `returning` (none without it).
 */
export async function insertRows(
  db: SqlExecutor,
  table: string,
  rows: Record<string, unknown>[],
  opts: InsertOptions = {},
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  if (!IDENT.test(table)) throw new RangeError(`bad table name ${table}`);
  const columns = Object.keys(rows[0]!);
  for (const c of columns) if (!IDENT.test(c)) throw new RangeError(`bad column name ${c}`);
  const head = `insert into ${table} (${columns.join(', ')}) values `;
  const tail = `${opts.onConflict ? ` ${opts.onConflict}` : ''}${opts.returning ? ` returning ${opts.returning}` : ''}`;
  const size = chunkRows(columns.length);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const values = rows
      .slice(i, i + size)
      .map((r) => {
        // A row with other keys than the first would lose columns silently: refuse it.
        if (Object.keys(r).length !== columns.length) throw new RangeError(`${table}: rows have different columns`);
        return `(${columns.map((c) => literal(r[c])).join(',')})`;
      })
      .join(',\n');
    const result = await db.execute(sql.raw(head + values + tail));
    if (opts.returning) out.push(...normalizeRows<Record<string, unknown>>(resultRows(result)));
  }
  return out;
}
