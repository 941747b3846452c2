/**
 * SQL literals for the bulk writers (the demo generator and the import pipeline): raw multi-row
 * INSERTs with literal values run 84–142 k rows/s where drizzle's insert().values() manages ~31 k
 * (pitfalls.md "Database"), and literals keep a chunk clear of the 65,535-parameter limit. Values
 * reaching here are typed already; text is quoted, identifiers checked against a strict pattern.
 */
import type { SQL } from 'drizzle-orm';

/** A transaction or database that can run raw SQL (drizzle's `execute`). */
export interface SqlExecutor {
  execute(query: SQL): Promise<unknown>;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

export function ident(name: string): string {
  if (!IDENT.test(name)) throw new RangeError(`bad identifier ${name}`);
  return name;
}

/** Postgres text cannot hold NUL; it is dropped rather than failing a whole batch. */
function quote(s: string): string {
  return `'${s.replaceAll('\0', '').replaceAll("'", "''")}'`;
}

/**
 * A literal for strings, finite numbers, booleans, Dates (timestamptz), string arrays (text[]) and
 * plain objects (jsonb). Unknown-typed string literals take the column's type in INSERT … VALUES,
 * so dates and numerics need no casts. A non-finite number is a bug upstream: refused.
 */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) throw new RangeError(`non-finite number in a row: ${v}`);
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
      throw new TypeError(`unsupported value of type ${typeof v}`);
  }
}
