/**
 * Pushed JSON rows as tabular rows: `[{date, store_id, …}, …]` (or `{rows: […]}`) becomes a header
 * of template column names plus one row per object, so a push goes through exactly the same
 * validation as a file. Row numbers are 1-based item indexes (the header is row 0).
 */
import { AppError } from '../../errors.ts';
import type { SourceRow } from '../source/csv.ts';

export const MAX_PUSH_ROWS = 50_000;

export function jsonRows(body: unknown): SourceRow[] {
  const items = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { rows?: unknown }).rows) ? (body as { rows: unknown[] }).rows : null;
  if (!items) throw new AppError('invalid_argument', 'send a JSON array of rows, or {"rows": [...]}', { field: 'rows' });
  if (items.length === 0) throw new AppError('invalid_argument', 'no rows to push', { field: 'rows' });
  if (items.length > MAX_PUSH_ROWS) throw new AppError('payload_too_large', `at most ${MAX_PUSH_ROWS} rows per push`, { field: 'rows' });
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new AppError('invalid_argument', 'every row must be a JSON object', { field: 'rows' });
    for (const k of Object.keys(item)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  const out: SourceRow[] = [{ row: 0, cells: columns }];
  items.forEach((item, i) => {
    const o = item as Record<string, unknown>;
    out.push({
      row: i + 1,
      cells: columns.map((c) => {
        const v = o[c];
        if (v === null || v === undefined || v === '') return null;
        if (Array.isArray(v)) return v.join('|');
        if (typeof v === 'object') return JSON.stringify(v);
        return String(v);
      }),
    });
  });
  return out;
}

export async function* asAsync<T>(xs: Iterable<T>): AsyncGenerator<T> {
  yield* xs;
}
