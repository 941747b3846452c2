/**
 * The one place where PGlite and postgres.js differ: `db.execute` returns `{rows}` on PGlite and
 * an array on postgres.js, and int8 results (`count(*)`, `sum(int)`) come back as JS numbers on
 * PGlite but as strings on postgres.js (pitfalls.md "PGlite vs postgres.js types"), so the
 * postgres.js client is opened with `parseInt8` for oid 20. Dates and timestamps come back as the
 * server's text on both (drizzle installs transparent parsers), in UTC. Numeric money
 * stays a string on both, on purpose: it is converted with `toDecimal`, never through float math
 * in SQL results that callers add up.
 */

/** Unwraps the driver's result shape into an array of rows. */
export function resultRows(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) {
    return (result as { rows: Record<string, unknown>[] }).rows;
  }
  throw new TypeError('unrecognised database result shape');
}

/**
 * Parses an int8 wire value as postgres.js hands it over (text) into a number when it is a safe
 * integer, so `count(*)` is a number on both drivers; larger values stay exact strings.
 */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** PGlite may hand int8 over as bigint; everything else is already in the shared shape. */
export function normalizeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

export function normalizeRows<T>(rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[k] = normalizeValue(v);
    return out as T;
  });
}

/** A numeric/int column value → number, or null when absent. Use for ratios, never for sums of money. */
export function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
