/**
 * Numbers as people type them in chat (glossary §5 "number form"): 3k, 1.2万, 1.2m, 1亿,
 * 1,200,000, 12.5万元, $1.2m, JP¥300, 35%, 百分之35, 5‰, +2pp, and durations (2h, 30分钟).
 * Pure; anything that is not clearly one number returns undefined, never NaN or Infinity.
 */
import type { Amount } from './types.ts';

/** Longest mark first, so `JP¥` is tried before `¥` and `块钱` before `块`. */
function byLength<T>(rows: [string, T][]): [string, T][] {
  return rows.sort((a, b) => b[0].length - a[0].length);
}

/** Largest magnitude we accept (above any plausible KPI target); keeps 1e309-style input out. */
const MAX_ABS = 1e15;

/** Currency marks before the number, longest first (JP¥ before ¥, US$ before $). */
const PREFIX_CURRENCY: [string, string][] = byLength<string>([
  ['jp¥', 'JPY'], ['us$', 'USD'], ['s$', 'SGD'], ['hk$', 'HKD'], ['rm', 'MYR'],
  ['rmb', 'CNY'], ['cny', 'CNY'], ['usd', 'USD'], ['eur', 'EUR'], ['gbp', 'GBP'], ['jpy', 'JPY'], ['sgd', 'SGD'],
  ['$', 'USD'], ['¥', 'CNY'], ['€', 'EUR'], ['£', 'GBP'],
]);

/** Currency words after the number. ¥/元 mean CNY; yen needs 円, 日元 or JPY (glossary §5). */
const SUFFIX_CURRENCY: [string, string][] = byLength<string>([
  ['人民币', 'CNY'], ['块钱', 'CNY'], ['元', 'CNY'], ['块', 'CNY'], ['rmb', 'CNY'], ['cny', 'CNY'],
  ['美元', 'USD'], ['美金', 'USD'], ['刀', 'USD'], ['usd', 'USD'],
  ['日元', 'JPY'], ['円', 'JPY'], ['jpy', 'JPY'],
  ['欧元', 'EUR'], ['eur', 'EUR'], ['英镑', 'GBP'], ['gbp', 'GBP'],
  ['新币', 'SGD'], ['新加坡元', 'SGD'], ['sgd', 'SGD'], ['令吉', 'MYR'], ['myr', 'MYR'],
]);

/** Multiplier words as powers of ten; `m` is million only outside a duration slot. */
const MULTIPLIERS: [string, number][] = byLength<number>([
  ['百万', 6], ['千万', 7], ['亿', 8], ['万', 4], ['千', 3], ['百', 2],
  ['k', 3], ['w', 4], ['m', 6], ['mn', 6], ['b', 9], ['bn', 9],
]);

/** Full-width digits, ％, ￥, ＄ and ideographic space become ASCII; case folded. */
export function normalizeNumberText(token: string): string {
  return token.normalize('NFKC').trim().toLowerCase();
}

/** `1,200,000.5` / `12.5` / `.5` → the digits as a decimal string; separators must be thousands groups. */
function decimalCore(s: string): { digits: string; rest: string } | undefined {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?/.exec(s);
  if (!m || (!m[1] && !m[2])) return undefined;
  return { digits: `${(m[1] ?? '0').replace(/,/g, '')}${m[2] ?? ''}`, rest: s.slice(m[0].length) };
}

/** Scale a decimal string by 10^exp without binary rounding noise (1.1万 is 11000, not 11000.000000000002). */
function scaled(digits: string, exp: number): number | undefined {
  const v = Number(`${digits}e${exp}`);
  return Number.isFinite(v) && Math.abs(v) <= MAX_ABS ? v : undefined;
}

function stripPrefix(s: string, table: [string, string][]): { mark?: string; rest: string } {
  for (const [mark, code] of table) if (s.startsWith(mark)) return { mark: code, rest: s.slice(mark.length).trimStart() };
  return { rest: s };
}

function stripSuffix(s: string, table: [string, string][]): { mark?: string; rest: string } {
  for (const [mark, code] of table) if (s.endsWith(mark)) return { mark: code, rest: s.slice(0, -mark.length).trimEnd() };
  return { rest: s };
}

/**
 * One amount token. `opts.duration`: the token sits in a duration slot, so a trailing `m` is
 * minutes and not million; such tokens are refused here (use parseDuration).
 */
export function parseAmount(token: string, opts: { duration?: boolean } = {}): Amount | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > 40) return undefined;
  let s = normalizeNumberText(token);
  let sign = 1;
  if (s.startsWith('+') || s.startsWith('-')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1).trimStart();
  }
  // 百分之35 / 千分之5 (percent and per-mille written out).
  const fraction = /^(百分之|千分之)(.+)$/.exec(s);
  if (fraction) {
    const core = decimalCore(fraction[2]!);
    if (!core || core.rest !== '') return undefined;
    const v = scaled(core.digits, fraction[1] === '百分之' ? -2 : -3);
    return v === undefined ? undefined : finish(sign * v, true);
  }
  const pre = stripPrefix(s, PREFIX_CURRENCY);
  s = pre.rest;
  const core = decimalCore(s);
  if (!core) return undefined;
  let rest = core.rest.trim();
  if (rest === '%' || rest === '‰') {
    if (pre.mark) return undefined;
    const v = scaled(core.digits, rest === '%' ? -2 : -3);
    return v === undefined ? undefined : finish(sign * v, true);
  }
  const post = stripSuffix(rest, SUFFIX_CURRENCY);
  if (pre.mark && post.mark && pre.mark !== post.mark) return undefined;
  rest = post.rest;
  let exp = 0;
  if (rest !== '') {
    const mult = MULTIPLIERS.find(([w]) => rest === w);
    if (!mult || (opts.duration && mult[0] === 'm')) return undefined;
    exp = mult[1];
  }
  const v = scaled(core.digits, exp);
  if (v === undefined) return undefined;
  const currency = pre.mark ?? post.mark;
  return finish(sign * v, false, currency);
}

function finish(value: number, percent: boolean, currency?: string): Amount | undefined {
  // `-0` is nonsense people do not mean; refusing it keeps a signed zero out of comparisons and output.
  if (!Number.isFinite(value) || Object.is(value, -0)) return undefined;
  return currency ? { value, percent, currency } : { value, percent };
}

/** `+2pp`, `-1.5pp`, `2个点`, `2个百分点`, `2pts` → a signed change in a rate as a fraction (0.02). */
export function parsePercentPoints(token: string): number | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > 40) return undefined;
  const m = /^([+-]?)\s*(\d+(?:\.\d+)?|\.\d+)\s*(pp|pts?|个百分点|百分点|个点|点)$/.exec(normalizeNumberText(token));
  if (!m) return undefined;
  const v = scaled(m[2]!, -2);
  if (v === undefined) return undefined;
  const signed = m[1] === '-' ? -v : v;
  return Object.is(signed, -0) ? undefined : signed;
}

const DURATION_UNITS: [RegExp, number][] = [
  [/^(s|sec|secs|seconds?|秒|秒钟)$/, 1000],
  [/^(m|min|mins|minutes?|分钟|分)$/, 60_000],
  [/^(h|hr|hrs|hours?|小时|个小时|钟头|个钟头)$/, 3_600_000],
  [/^(d|days?|天|日)$/, 86_400_000],
  [/^(w|wk|wks|weeks?|周|星期|个星期)$/, 7 * 86_400_000],
];

/** Longest duration we accept (a year): snoozes and windows beyond that are typos. */
const MAX_DURATION_MS = 366 * 86_400_000;

/** `2h`, `2小时`, `30m`, `30分钟`, `1d`, `1天`, `1.5h` → milliseconds; 0, negative or > 1 year → undefined. */
export function parseDuration(token: string): number | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > 40) return undefined;
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(\S+)$/.exec(normalizeNumberText(token));
  if (!m) return undefined;
  const unit = DURATION_UNITS.find(([re]) => re.test(m[2]!));
  if (!unit) return undefined;
  const ms = Math.round(Number(m[1]) * unit[1]);
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}
