/**
 * The demo's one writer: raw multi-row INSERTs in chunks of a few thousand rows. drizzle's
 * insert().values() manages ~31 k rows/s, raw multi-row INSERT ~84 k/s on PGlite and ~140 k/s on
 * Postgres (pitfalls.md "Database"); literals instead of bind parameters also keep a chunk clear
 * of the 65,535-parameter limit. Values are our own generated data, quoted anyway.
 */
import { sql } from 'drizzle-orm';
import { normalizeRows, resultRows } from '../db/normalize.ts';
import { ident, literal, type SqlExecutor } from '../db/sql-literal.ts';

export type { SqlExecutor };

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
  ident(table);
  const columns = Object.keys(rows[0]!).map(ident);
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
