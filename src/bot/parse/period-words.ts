/**
 * Period words of glossary §5 → ARCHITECTURE.md period ids: 本周, 7d, 近30天, L7D, 2026-11, 11月,
 * Nov 2026, Q4, 第四季度, W45, 第45周, 3.1-3.15, 前天, 黑五, 双11 … Impossible periods (`-30d`,
 * `2026-13`, `0d`, more than 5 years) come back as `{bad}` so the bot can say why.
 */
import { addDays, isoWeekStart } from '../../kpi/dates.ts';
import { MAX_PERIOD_DAYS, parsePeriod } from '../../kpi/periods.ts';
import type { BadPeriodReason, Clock } from './period-clock.ts';
import { makeClock, yearOk } from './period-clock.ts';
import { scanDateRange } from './period-dates.ts';
import { endsAtBoundary, WordIndex } from './vocab-match.ts';
import {
  cnNumber, DAY_BEFORE_YESTERDAY, EN_MONTH_RE, EN_MONTHS, FIXED_PERIOD_WORDS, NUM_RE, SEASON_WORDS,
} from './vocab-periods.ts';

export type { BadPeriodReason } from './period-clock.ts';

/** A period found in text: its id, or why it is impossible; `consumed` is the matched text. */
export type PeriodMatch =
  | { period: string; consumed: string; bad?: undefined }
  | { period?: undefined; bad: BadPeriodReason; consumed: string };

type Built = string | { bad: BadPeriodReason };

interface Rule {
  re: RegExp;
  build: (m: RegExpExecArray, clock: Clock) => Built;
}

const bad = (reason: BadPeriodReason) => ({ bad: reason });
const pad = (n: number) => String(n).padStart(2, '0');

function lastDays(sign: string | undefined, n: number | undefined): Built {
  if (n === undefined) return bad('not_positive');
  if (sign === '-' || n <= 0) return bad('not_positive');
  return n > MAX_PERIOD_DAYS ? bad('too_long') : `last_${n}d`;
}

/** `今年`/`去年`/`前年` or a 4-digit year → the year; undefined when neither was typed. */
function yearOf(typed: string | undefined, rel: string | undefined, clock: Clock): number | undefined {
  if (typed) return Number(typed);
  const y = Number(clock.today.slice(0, 4));
  if (rel === '今年' || rel === 'this year') return y;
  if (rel === '去年' || rel === 'last year') return y - 1;
  if (rel === '前年') return y - 2;
  return undefined;
}

function month(year: number | undefined, m: number | undefined, clock: Clock): Built {
  if (m === undefined || m < 1 || m > 12) return bad('no_such_month');
  let y = year ?? Number(clock.today.slice(0, 4));
  // A bare month is the latest one with a complete day (11月 on Nov 23 is this November).
  if (year === undefined && `${y}-${pad(m)}-01` > clock.yesterday) y -= 1;
  return yearOk(y) ? `month:${y}-${pad(m)}` : bad('year_out_of_range');
}

function quarter(year: number | undefined, q: number | undefined, clock: Clock): Built {
  if (q === undefined || q < 1 || q > 4) return bad('no_such_quarter');
  let y = year ?? Number(clock.today.slice(0, 4));
  if (year === undefined && `${y}-${pad((q - 1) * 3 + 1)}-01` > clock.yesterday) y -= 1;
  return yearOk(y) ? `quarter:${y}-Q${q}` : bad('year_out_of_range');
}

/** ISO years have 53 weeks when Dec 28 falls in week 53. */
function weeksIn(y: number): number {
  return isoWeekStart(y + 1, 1) > addDays(isoWeekStart(y, 1), 52 * 7) ? 53 : 52;
}

function week(year: number | undefined, w: number | undefined, clock: Clock): Built {
  if (w === undefined || w < 1 || w > 53) return bad('no_such_week');
  let y = year ?? Number(clock.yesterday.slice(0, 4)) + 1;
  if (year === undefined) {
    // The latest ISO week numbered w that has started by yesterday.
    while (w > weeksIn(y) || isoWeekStart(y, w) > clock.yesterday) y -= 1;
  }
  if (!yearOk(y)) return bad('year_out_of_range');
  return w > weeksIn(y) ? bad('no_such_week') : `week:${y}-W${pad(w)}`;
}

const NUM = `(${NUM_RE})`;
const REL_YEAR = '(今年|去年|前年)';

const RULES: Rule[] = [
  // N days: 近30天, 最近7天, 过去7天, 7天, 7d, last 7d, L7D, last_7d, -30d (bad).
  { re: new RegExp(`(?:近|最近|过去|前)?\\s*([-+]?)${NUM}\\s*(?:个)?(?:天|日|自然日)`, 'y'), build: (m) => lastDays(m[1], cnNumber(m[2]!)) },
  { re: /(?:(?:last|past|l|previous)[\s_]*)?([-+]?)(\d{1,6})[\s_]*(?:d|days?)(?![a-z])/iy, build: (m) => lastDays(m[1], Number(m[2])) },
  // N weeks / months / years back: 近两周 = last_14d, 近3个月 = last_90d (30-day months).
  { re: new RegExp(`(?:近|最近|过去)?\\s*${NUM}\\s*(?:个)?(?:周|星期|礼拜)`, 'y'), build: (m) => lastDays('', mul(cnNumber(m[1]!), 7)) },
  { re: new RegExp(`(?:(?:近|最近|过去)\\s*${NUM}\\s*个?月|${NUM}\\s*个月)`, 'y'), build: (m) => lastDays('', mul(cnNumber(m[1] ?? m[2]!), 30)) },
  { re: new RegExp(`(?:近|最近|过去)\\s*${NUM}\\s*年`, 'y'), build: (m) => lastDays('', mul(cnNumber(m[1]!), 365)) },
  { re: /(?:last|past)\s+(\d{1,4})\s*(weeks?|wks?|months?|years?)(?![a-z])/iy, build: (m) => lastDays('', mul(Number(m[1]), /^w/i.test(m[2]!) ? 7 : /^m/i.test(m[2]!) ? 30 : 365)) },
  // Months: 2026-11, 2026/11, 2026年11月, 11月, 十一月, 去年11月, Nov 2026, 2026 Nov.
  { re: /(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})(?:\s*月份?)?(?!\d)/y, build: (m, c) => month(Number(m[1]), Number(m[2]), c) },
  { re: new RegExp(`${REL_YEAR}?\\s*${NUM}\\s*月份?`, 'y'), build: (m, c) => month(yearOf(undefined, m[1], c), cnNumber(m[2]!), c) },
  { re: new RegExp(`(${EN_MONTH_RE})\\.?(?![a-z])(?:[\\s,-]*(\\d{4})(?!\\d))?`, 'iy'), build: (m, c) => month(m[2] ? Number(m[2]) : undefined, EN_MONTHS[m[1]!.toLowerCase()], c) },
  { re: new RegExp(`(\\d{4})[\\s-]*(${EN_MONTH_RE})(?![a-z])`, 'iy'), build: (m, c) => month(Number(m[1]), EN_MONTHS[m[2]!.toLowerCase()], c) },
  // Quarters: Q4, 2026Q4, 2026-Q4, Q4 2026, 第四季度, 四季度, 2026年第4季度, 去年Q4.
  { re: new RegExp(`(?:(\\d{4})\\s*(?:年|-|/)?|${REL_YEAR})?\\s*q(\\d)(?!\\d)`, 'iy'), build: (m, c) => quarter(yearOf(m[1], m[2], c), Number(m[3]), c) },
  { re: /q(\d)[\s/-]*(\d{4})(?!\d)/iy, build: (m, c) => quarter(Number(m[2]), Number(m[1]), c) },
  { re: new RegExp(`(?:(\\d{4})\\s*年?|${REL_YEAR})?\\s*(?:第\\s*${NUM}\\s*季度?|${NUM}\\s*季度)`, 'y'), build: (m, c) => quarter(yearOf(m[1], m[2], c), cnNumber(m[3] ?? m[4]!), c) },
  // ISO weeks: W45, 2026-W45, 2026W45, week 45, wk45, 第45周, 2026年第45周.
  { re: /(?:(\d{4})\s*(?:年|-|\/)?\s*)?w(?:k|eek)?\s*(\d{1,2})(?!\d)/iy, build: (m, c) => week(m[1] ? Number(m[1]) : undefined, Number(m[2]), c) },
  { re: new RegExp(`(?:(\\d{4})\\s*年?|${REL_YEAR})?\\s*第\\s*${NUM}\\s*(?:周|星期)`, 'y'), build: (m, c) => week(yearOf(m[1], m[2], c), cnNumber(m[3]!), c) },
  // Canonical ids typed as such: month:2026-11, custom:…, season:prime_day.
  { re: /(?:month|week|quarter|custom):[0-9a-z.-]{1,40}/iy, build: (m) => canonical(m[0]) },
  { re: /season:([^\s"'`]{1,60})/iy, build: (m) => `season:${m[1]}` },
];

function mul(n: number | undefined, k: number): number | undefined {
  return n === undefined ? undefined : n * k;
}

function canonical(id: string): Built {
  const lower = id.replace(/^(\w+):/, (p) => p.toLowerCase()).replace(/-w(\d)/, '-W$1').replace(/-q(\d)/, '-Q$1');
  try {
    parsePeriod(lower);
    return lower;
  } catch {
    return bad(/^month/.test(lower) ? 'no_such_month' : /^week/.test(lower) ? 'no_such_week' : /^quarter/.test(lower) ? 'no_such_quarter' : 'no_such_date');
  }
}

const SEASON_INDEX = new WordIndex(SEASON_WORDS);
const FIXED_INDEX = new WordIndex(FIXED_PERIOD_WORDS);

/**
 * The longest period expression starting exactly at `pos` of already-normalized text (NFKC,
 * control characters removed). Ties go to seasons, then fixed words, then patterns, so `11.11`
 * is Singles' Day and not November 11.
 */
export function periodAt(text: string, pos: number, clock: Clock): { end: number; result: Built } | undefined {
  let best: { end: number; result: Built } | undefined;
  const offer = (end: number, result: Built) => {
    if (end > pos && endsAtBoundary(text, end) && (!best || end > best.end)) best = { end, result };
  };
  const season = SEASON_INDEX.longestAt(text, pos);
  if (season) offer(season.end, `season:${season.value}`);
  const fixed = FIXED_INDEX.longestAt(text, pos);
  if (fixed) offer(fixed.end, fixed.value === DAY_BEFORE_YESTERDAY ? dayBeforeYesterday(clock) : fixed.value);
  for (const rule of RULES) {
    rule.re.lastIndex = pos;
    const m = rule.re.exec(text);
    if (m && m[0].trim() !== '') offer(rule.re.lastIndex, rule.build(m, clock));
  }
  const range = scanDateRange(text, pos, clock);
  if (range && !(range.dottedSingle && season && season.end === range.end)) offer(range.end, range.result);
  return best;
}

function dayBeforeYesterday(clock: Clock): string {
  const d = addDays(clock.yesterday, -1);
  return `custom:${d}..${d}`;
}

/**
 * Full-width forms become ASCII (NFKC); tabs and line breaks become spaces; other control, bidi
 * (U+202A–U+202E, U+2066–U+2069) and zero-width characters are removed, so they can neither
 * split nor disguise a word, nor reach an echoed hint.
 */
export function normalizeChatText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

function toMatch(text: string, from: number, hit: { end: number; result: Built }): PeriodMatch {
  const consumed = text.slice(from, hit.end);
  return typeof hit.result === 'string' ? { period: hit.result, consumed } : { bad: hit.result.bad, consumed };
}

/**
 * The period that starts `text` (leading spaces skipped), longest match; `consumed` is the matched
 * part of the normalized text. `now`/`timeZone` decide "latest past" months, weeks and dates.
 */
export function parsePeriodWords(text: string, now?: Date, timeZone?: string): PeriodMatch | undefined {
  if (typeof text !== 'string') return undefined;
  const t = normalizeChatText(text.slice(0, 500));
  const pos = t.length - t.trimStart().length;
  const hit = periodAt(t, pos, makeClock(now, timeZone));
  return hit ? toMatch(t, pos, hit) : undefined;
}

/** A whole token (or quoted phrase) that is exactly one period; undefined when it is anything else. */
export function periodFromToken(token: string, now?: Date, timeZone?: string): PeriodMatch | undefined {
  if (typeof token !== 'string') return undefined;
  const t = normalizeChatText(token.slice(0, 200)).trim();
  const hit = periodAt(t, 0, makeClock(now, timeZone));
  return hit && hit.end === t.length ? toMatch(t, 0, hit) : undefined;
}
