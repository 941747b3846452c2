/**
 * Numbers, money, percentages and dates as the reader expects them (kpi-glossary.md conventions):
 * zh 1.2万 / 3.4亿, en 12K / 1.2M; currency symbols follow the currency, never the language;
 * percentages arrive as fractions. Each formatter has a twin that emits a vega expression, so axis
 * ticks (computed inside vega) read exactly like the direct labels computed here; a test checks
 * that the two agree. The minus sign is ASCII: the CJK font draws U+2212 a full em wide.
 */
import type { Lang, ValueFormat } from './types.ts';

export const MINUS = '-';

const SYMBOLS: Record<string, string> = {
  CNY: '¥',
  RMB: '¥',
  JPY: 'JP¥',
  USD: '$',
  EUR: '€',
  GBP: '£',
  SGD: 'S$',
  MYR: 'RM',
  HKD: 'HK$',
  TWD: 'NT$',
  AUD: 'A$',
  CAD: 'CA$',
  MXN: 'MX$',
  BRL: 'R$',
  KRW: '₩',
  INR: '₹',
  THB: '฿',
  PHP: '₱',
  VND: '₫',
  IDR: 'Rp',
};

/** `¥` for CNY, `JP¥` for JPY, `S$`, `RM`…; unknown codes print as `AED ` (code and a space). */
export function currencySymbol(currency: string | undefined): string {
  if (!currency) return '';
  const code = currency.toUpperCase();
  return SYMBOLS[code] ?? `${code} `;
}

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** d3-format's `,.{p}~f`: fixed decimals, trailing zeros trimmed, thousands grouped. */
function fixed(x: number, decimals: number): string {
  let s = x.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  const [i, f] = s.split('.');
  return f ? `${group(i!)}.${f}` : group(i!);
}

/** Plain magnitude: 2 decimals under 10, 1 under 1,000, none above. */
function plain(abs: number): string {
  return abs < 10 ? fixed(abs, 2) : abs < 1000 ? fixed(abs, 1) : fixed(abs, 0);
}

const COMPACT: Record<Lang, [number, string][]> = {
  zh: [
    [1e8, '亿'],
    [1e4, '万'],
  ],
  en: [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ],
};

/** A non-negative magnitude in compact form: 12,345 → 1.2万 (zh) / 12.3K (en). */
function compact(abs: number, lang: Lang): string {
  for (const [div, suffix] of COMPACT[lang]) {
    if (abs >= div) {
      const x = abs / div;
      return (x < 100 ? fixed(x, 1) : fixed(x, 0)) + suffix;
    }
  }
  return plain(abs);
}

/** 12345 → `1.2万` / `12.3K`; −0.5 → `−0.5`. */
export function formatNumber(value: number, lang: Lang): string {
  return (value < 0 ? MINUS : '') + compact(Math.abs(value), lang);
}

const UNIT_SUFFIX: Record<Lang, Partial<Record<ValueFormat['unit'], string>>> = {
  zh: { multiple: '×', days: '天', hours: '小时', minutes: '分钟', rating: '★' },
  en: { multiple: '×', days: ' d', hours: ' h', minutes: ' min', rating: '★' },
};

/** A value in its unit; null → `—` (no data is never shown as 0). */
export function formatValue(value: number | null | undefined, fmt: ValueFormat, lang: Lang): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const sign = value < 0 ? MINUS : '';
  const abs = Math.abs(value);
  switch (fmt.unit) {
    case 'money':
      return sign + currencySymbol(fmt.currency) + compact(abs, lang);
    case 'percent':
      return `${sign}${fixed(abs * 100, 1)} %`;
    case 'multiple':
    case 'rating':
      return sign + fixed(abs, abs < 10 ? 2 : 1) + UNIT_SUFFIX[lang][fmt.unit];
    case 'count':
    case 'score':
      return sign + compact(abs, lang);
    default:
      return sign + plain(abs) + (UNIT_SUFFIX[lang][fmt.unit] ?? '');
  }
}

/** A change: relative as `+12.5 %`, percent-point as `+2.1 pp`; null → `—`. */
export function formatChange(change: number | null | undefined, kind: 'relative' | 'pp' = 'relative'): string {
  if (change == null || !Number.isFinite(change)) return '—';
  const sign = change > 0 ? '+' : change < 0 ? MINUS : '±';
  return `${sign}${fixed(Math.abs(change) * 100, 1)}${kind === 'pp' ? ' pp' : ' %'}`;
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_ZH = '日一二三四五六';
export const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → a UTC Date, or null when it is not a real calendar day. */
export function parseDay(iso: string): Date | null {
  const m = ISO_DAY.exec(iso);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCDate() === +m[3]! && d.getUTCMonth() === +m[2]! - 1 ? d : null;
}

/** `2026-11-03` → `11月3日(周二)` / `Tue 3 Nov`; without weekday `11月3日` / `3 Nov`. */
export function formatDay(iso: string, lang: Lang, opts: { weekday?: boolean } = {}): string {
  const d = parseDay(iso);
  if (!d) return iso;
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const dow = d.getUTCDay();
  if (lang === 'zh') return `${m + 1}月${day}日${opts.weekday ? `(周${DAYS_ZH[dow]})` : ''}`;
  return `${opts.weekday ? `${DAYS_EN[dow]} ` : ''}${day} ${MONTHS_EN[m]}`;
}

// ---- vega expressions: the same rules, evaluated by vega for axis ticks -----------------------

const fixedExpr = (x: string, decimals: number) => `format(${x}, ',.${decimals}${decimals ? '~' : ''}f')`;
const plainExpr = (x: string) => `(${x} < 10 ? ${fixedExpr(x, 2)} : ${x} < 1000 ? ${fixedExpr(x, 1)} : ${fixedExpr(x, 0)})`;

function compactExpr(abs: string, lang: Lang): string {
  let out = plainExpr(abs);
  for (const [div, suffix] of [...COMPACT[lang]].reverse()) {
    const x = `(${abs} / ${div})`;
    out = `(${abs} >= ${div} ? (${x} < 100 ? ${fixedExpr(x, 1)} : ${fixedExpr(x, 0)}) + '${suffix}' : ${out})`;
  }
  return out;
}

/** A vega expression formatting `ref` (e.g. `datum.value`) exactly like `formatValue`. */
export function valueExpr(fmt: ValueFormat, lang: Lang, ref = 'datum.value'): string {
  const sign = `(${ref} < 0 ? '${MINUS}' : '')`;
  const abs = `abs(${ref})`;
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  switch (fmt.unit) {
    case 'money':
      return `${sign} + ${quote(currencySymbol(fmt.currency))} + ${compactExpr(abs, lang)}`;
    case 'percent':
      return `${sign} + ${fixedExpr(`${abs} * 100`, 1)} + ' %'`;
    case 'multiple':
    case 'rating':
      return `${sign} + (${abs} < 10 ? ${fixedExpr(abs, 2)} : ${fixedExpr(abs, 1)}) + ${quote(UNIT_SUFFIX[lang][fmt.unit]!)}`;
    case 'count':
    case 'score':
      return `${sign} + ${compactExpr(abs, lang)}`;
    default:
      return `${sign} + ${plainExpr(abs)} + ${quote(UNIT_SUFFIX[lang][fmt.unit] ?? '')}`;
  }
}

/**
 * A vega expression for a UTC day tick, like `formatDay` without the weekday; over long spans
 * (`withYear`) it names the month and year instead: 2026年3月 / Mar 2026.
 */
export function dayExpr(lang: Lang, ref = 'datum.value', withYear = false): string {
  const months = JSON.stringify(MONTHS_EN).replace(/"/g, "'");
  if (withYear) {
    return lang === 'zh' ? `utcyear(${ref}) + '年' + (utcmonth(${ref}) + 1) + '月'` : `${months}[utcmonth(${ref})] + ' ' + utcyear(${ref})`;
  }
  if (lang === 'zh') return `(utcmonth(${ref}) + 1) + '月' + utcdate(${ref}) + '日'`;
  return `utcdate(${ref}) + ' ' + ${months}[utcmonth(${ref})]`;
}
