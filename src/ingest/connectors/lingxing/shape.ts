/**
 * Strict readers for LingXing answers: a field missing or of the wrong type is a
 * `malformed_response` naming the endpoint and field (never a silently wrong number). Amounts
 * stay exact decimal strings (src/ingest/values/decimal.ts); LingXing sends numbers or numeric
 * strings for the same field, sometimes padded ("USD  ").
 */
import { ConnectorError } from '../types.ts';
import type { Envelope } from './client.ts';

export type Row = Record<string, unknown>;

const bad = (path: string, what: string) => new ConnectorError('malformed_response', `LingXing ${path}: ${what}`);

function at(env: Envelope, keys: string[]): unknown {
  let v: unknown = env;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Row)[k] : undefined;
  return v;
}

/** The row list at `data`, `data.records` or `data.list`, and the total when the answer has one. */
export function page(env: Envelope, path: string, list: string, total: string | null): { rows: Row[]; total: number | null } {
  const rows = at(env, list.split('.'));
  if (!Array.isArray(rows)) throw bad(path, `${list} is not a list`);
  for (const r of rows) if (!r || typeof r !== 'object' || Array.isArray(r)) throw bad(path, `${list} holds a non-object`);
  if (total === null) return { rows: rows as Row[], total: null };
  const t = at(env, total.split('.'));
  const n = typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : t;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(path, `${total} is not a count`);
  return { rows: rows as Row[], total: n };
}

export function text(r: Row, field: string, path: string): string {
  const v = r[field];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v.trim() === '') throw bad(path, `${field} is missing`);
  return v.trim();
}

export function day(r: Row, field: string, path: string): string {
  const v = r[field];
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) throw bad(path, `${field} is not a YYYY-MM-DD date`);
  return v.trim();
}

/** A decimal literal; null/absent reads as 0 only when `optional`. */
export function dec(r: Row, field: string, path: string, optional = false): string {
  const v = r[field];
  if ((v === undefined || v === null || v === '') && optional) return '0';
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? String(v) : v.toFixed(6);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return v.trim();
  throw bad(path, `${field} is not a number`);
}

export function int(r: Row, field: string, path: string, optional = false): number {
  const d = dec(r, field, path, optional);
  if (!/^-?\d+$/.test(d)) throw bad(path, `${field} is not a whole number`);
  return Number(d);
}

/** Inclusive YYYY-MM-DD days from `from` to `to`. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
