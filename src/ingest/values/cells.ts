/**
 * Typed cell parsing shared by every dataset: counts, money, decimals, days, instants,
 * booleans, enums, ids and free text. A cell is a string (CSV, or XLSX values as written), null
 * when empty, or a formula marker from XLSX. Formulas are never evaluated: a formula cell, or a
 * text cell that starts like one (`=HYPERLINK(…)`, `@SUM(…)`), is a row error, so nothing a
 * spreadsheet would execute is stored and later exported.
 */
import { isTimeZone } from '../../config.ts';
import { parseDay, parseInstant, type DateOrder, type Parsed } from './dates.ts';

export interface FormulaCell {
  formula: string;
}

export type Cell = string | null | FormulaCell;

export function isFormula(c: Cell | undefined): c is FormulaCell {
  return typeof c === 'object' && c !== null;
}

/** Currency marks stripped from amounts; the row's currency comes from its column or store. */
const CURRENCY_MARKS = /(US\$|S\$|RM|JP¥|CN¥|HK\$|NT\$|A\$|C\$|R\$|Rp|₱|฿|₫|₩|£|€|¥|円|元|\$|USD|EUR|JPY|CNY|GBP|SGD|MYR)/gi;

export type Sign = 'positive' | 'abs' | 'any';

/** How a column reads its cells. */
export type Kind =
  | { type: 'text'; max?: number }
  | { type: 'id' }
  | { type: 'int'; sign?: Sign }
  | { type: 'money'; sign?: Sign }
  | { type: 'decimal'; sign?: Sign; percent?: boolean }
  | { type: 'day' }
  | { type: 'instant' }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[]; aliases?: Record<string, string> }
  | { type: 'currency' }
  | { type: 'timezone' }
  | { type: 'list' }
  | { type: 'multipliers' };

export interface ParseEnv {
  dateOrder: DateOrder;
  /** Zone for timestamps: the row's store, else the workspace's. */
  timeZone: string;
}

export type Value = string | number | boolean | Date | string[] | Record<string, number>;

const FORMULA_TEXT = /^[=@]|^[+-](?![\d.,\s]*$)|^[\t\r]/;

function cleanNumber(raw: string): string | null {
  let t = raw.trim().replace(CURRENCY_MARKS, '').replace(/[\s\u00a0\u202f']/g, '');
  let neg = false;
  const paren = /^\((.*)\)$/.exec(t);
  if (paren) {
    neg = true;
    t = paren[1]!;
  }
  if (t.endsWith('-')) {
    neg = !neg;
    t = t.slice(0, -1);
  }
  if (t.startsWith('-')) {
    neg = !neg;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replaceAll(',', '');
  else if (/^\d{1,3}(\.\d{3})+,\d+$/.test(t)) t = t.replaceAll('.', '').replace(',', '.');
  else if (/^\d+,\d{1,2}$/.test(t)) t = t.replace(',', '.');
  if (/^\d+\.$/.test(t)) t = t.slice(0, -1);
  if (/^\.\d+$/.test(t)) t = `0${t}`;
  const sci = /^(\d+(?:\.\d+)?)[eE]([+-]?\d+)$/.exec(t);
  if (sci) {
    const n = Number(t);
    if (!Number.isFinite(n)) return null;
    t = n.toFixed(Math.min(12, Math.max(0, -Number(sci[2]) + 8))).replace(/\.?0+$/, '');
  }
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  t = t.replace(/^0+(?=\d)/, '');
  return neg && !/^0(\.0+)?$/.test(t) ? `-${t}` : t;
}

function signed(lit: string, sign: Sign | undefined, what: string): Parsed<string> {
  if (!lit.startsWith('-')) return { ok: true, value: lit };
  if (sign === 'abs') return { ok: true, value: lit.slice(1) };
  if (sign === 'any') return { ok: true, value: lit };
  return { ok: false, reason: `${what} cannot be negative` };
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '含税', 'x', '✓', 'ja', 'はい']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '不含税', '', 'nein', 'いいえ']);

/** Parses one non-empty cell. */
export function parseCell(cell: string, kind: Kind, env: ParseEnv): Parsed<Value> {
  const raw = cell.trim();
  const numeric = kind.type === 'money' || kind.type === 'int' || kind.type === 'decimal';
  if (/^[=@]/.test(raw) || (!numeric && FORMULA_TEXT.test(cell))) {
    return { ok: false, reason: 'looks like a spreadsheet formula; formulas are not evaluated, paste values' };
  }
  switch (kind.type) {
    case 'text':
      return raw.length > (kind.max ?? 500) ? { ok: false, reason: `longer than ${kind.max ?? 500} characters` } : { ok: true, value: raw };
    case 'id':
      if (raw.length > 200) return { ok: false, reason: 'ids are at most 200 characters' };
      // eslint-disable-next-line no-control-regex -- ids are printable; control characters break CSV and chat output
      return /[\u0000-\u001f]/.test(raw) ? { ok: false, reason: 'control characters in an id' } : { ok: true, value: raw };
    case 'int': {
      const lit = cleanNumber(raw);
      if (lit === null || !/^-?\d+(\.0+)?$/.test(lit)) return { ok: false, reason: `"${raw.slice(0, 30)}" is not a whole number` };
      const s = signed(lit.replace(/\.0+$/, ''), kind.sign, 'a count');
      if (!s.ok) return s;
      const n = Number(s.value);
      return Number.isSafeInteger(n) && Math.abs(n) <= 2_147_483_647 ? { ok: true, value: n } : { ok: false, reason: 'number too large' };
    }
    case 'money':
    case 'decimal': {
      const pct = kind.type === 'decimal' && kind.percent && raw.endsWith('%');
      const lit = cleanNumber(pct ? raw.slice(0, -1) : raw);
      if (lit === null) return { ok: false, reason: `"${raw.slice(0, 30)}" is not a number` };
      const s = signed(lit, kind.sign, kind.type === 'money' ? 'an amount' : 'this value');
      if (!s.ok) return s;
      if (s.value.replace(/^-/, '').split('.')[0]!.length > 14) return { ok: false, reason: 'number too large' };
      return { ok: true, value: pct ? String(Number(s.value) / 100) : s.value };
    }
    case 'day':
      return parseDay(raw, { order: env.dateOrder, timeZone: env.timeZone });
    case 'instant':
      return parseInstant(raw, { order: env.dateOrder, timeZone: env.timeZone });
    case 'bool': {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return { ok: true, value: true };
      if (FALSE.has(v)) return { ok: true, value: false };
      return { ok: false, reason: `"${raw.slice(0, 20)}" is not yes/no (true/false, 是/否)` };
    }
    case 'enum': {
      const v = raw.toLowerCase().replace(/[\s-]+/g, '_');
      const hit = kind.values.find((x) => x === v) ?? kind.aliases?.[v] ?? kind.aliases?.[raw];
      return hit ? { ok: true, value: hit } : { ok: false, reason: `"${raw.slice(0, 30)}" is not one of ${kind.values.join(', ')}` };
    }
    case 'currency':
      return /^[A-Za-z]{3}$/.test(raw) ? { ok: true, value: raw.toUpperCase() } : { ok: false, reason: `"${raw.slice(0, 10)}" is not a 3-letter currency code` };
    case 'timezone':
      return (isTimeZone(raw) && raw.includes('/')) || raw === 'UTC' ? { ok: true, value: raw } : { ok: false, reason: `"${raw.slice(0, 40)}" is not an IANA time zone` };
    case 'list':
      return { ok: true, value: raw.split(/[|,，、;]/).map((x) => x.trim()).filter(Boolean) };
    case 'multipliers': {
      const out: Record<string, number> = {};
      try {
        if (raw.startsWith('{')) {
          for (const [k, v] of Object.entries(JSON.parse(raw) as Record<string, unknown>)) {
            if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(k);
            out[k] = v;
          }
          return { ok: true, value: out };
        }
        for (const part of raw.split(/[;,|]/).map((x) => x.trim()).filter(Boolean)) {
          const [k, v] = part.split(/[=:]/).map((x) => x.trim());
          const n = Number(v);
          if (!k || !Number.isFinite(n) || n <= 0) throw new Error(part);
          out[k] = n;
        }
        return { ok: true, value: out };
      } catch {
        return { ok: false, reason: 'write multipliers as acos=1.3;tacos=1.3 or as JSON' };
      }
    }
  }
}
