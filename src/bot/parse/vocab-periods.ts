/**
 * Period and season words of glossary §5 as data: fixed words → ARCHITECTURE.md period ids, and
 * season aliases → the `season_calendar` names the demo calendar writes (src/demo/calendar.ts,
 * src/demo/cn-holidays.ts), which the KPI engine matches case-insensitively by name.
 */

/** `@day_before_yesterday` is computed from `now` (前天 → custom:D..D). */
export const DAY_BEFORE_YESTERDAY = '@day_before_yesterday';

const FIXED: Record<string, string[]> = {
  today: ['今天', '今日', 'today', 'td'],
  yesterday: ['昨天', '昨日', 'yesterday', 'yday', 'yda'],
  [DAY_BEFORE_YESTERDAY]: ['前天', '前日', 'day before yesterday'],
  this_week: ['本周', '这周', '这一周', '本星期', '这星期', '这个星期', '本礼拜', 'this week', 'wtd', 'this_week', 'week to date'],
  last_week: ['上周', '上星期', '上个星期', '上一周', '上礼拜', 'last week', 'prev week', 'previous week', 'last_week'],
  this_month: ['本月', '这个月', '这月', '当月', '月初至今', '本月至今', 'this month', 'mtd', 'this_month', 'month to date'],
  last_month: ['上月', '上个月', '上一个月', '上一月', 'last month', 'prev month', 'previous month', 'last_month'],
  this_quarter: ['本季度', '这季度', '这个季度', '本季', '当季', 'this quarter', 'qtd', 'this_quarter', 'quarter to date'],
  last_quarter: ['上季度', '上个季度', '上一季度', '上季', 'last quarter', 'prev quarter', 'previous quarter', 'last_quarter'],
  this_year: ['今年', '本年', '本年度', '年初至今', '今年以来', 'this year', 'ytd', 'this_year', 'year to date'],
  last_year: ['去年', '上一年', '上年', 'last year', 'prev year', 'previous year', 'last_year'],
};

/** Every fixed period word (lower case) → its period id, longest first. */
export const FIXED_PERIOD_WORDS: readonly [string, string][] = Object.entries(FIXED)
  .flatMap(([id, words]) => words.map((w): [string, string] => [w.toLowerCase(), id]))
  .sort((a, b) => b[0].length - a[0].length);

/**
 * Season aliases → canonical season names. Names match the demo calendar's rows; a workspace
 * calendar with other names can still be asked for with `season:<name>`.
 */
const SEASONS: Record<string, string[]> = {
  bfcm: ['黑五', '黑五网一', '黑色星期五', '网一', '网络星期一', 'bfcm', 'black friday', 'cyber monday', 'blackfriday'],
  prime_day: ['prime day', 'primeday', '会员日', 'prime会员日', '亚马逊会员日', 'prime_day'],
  prime_big_deal_days: ['prime big deal days', '秋季会员日', 'pbdd', 'prime_big_deal_days'],
  big_spring_sale: ['big spring sale', '春季大促', 'big_spring_sale'],
  q4: ['旺季', 'peak season', '圣诞季', 'q4旺季'],
  holiday_returns: ['退货季', 'holiday returns', 'holiday_returns'],
  payday: ['payday', '发薪日大促', '发薪日'],
  chinese_new_year: ['农历新年', 'chinese new year', 'lunar new year', 'chinese_new_year'],
  '9.9': ['9.9', '99大促', '九九大促'],
  '10.10': ['10.10', '双十', '双10'],
  '11.11': ['11.11', '双11', '双十一'],
  '12.12': ['12.12', '双12', '双十二'],
  春节: ['春节', '过年', 'spring festival'],
  国庆节: ['国庆', '国庆节', 'national day'],
  劳动节: ['五一', '劳动节', 'labour day', 'labor day'],
  元旦: ['元旦', "new year's day"],
};

export const SEASON_WORDS: readonly [string, string][] = Object.entries(SEASONS)
  .flatMap(([name, words]) => words.map((w): [string, string] => [w.toLowerCase(), name]))
  .sort((a, b) => b[0].length - a[0].length);

/** English month names and abbreviations → 1..12. */
export const EN_MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};

/** Alternation of EN_MONTHS keys for regexes, longest first so `november` wins over `nov`. */
export const EN_MONTH_RE = Object.keys(EN_MONTHS).sort((a, b) => b.length - a.length).join('|');

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Chinese numerals used in periods (一 … 九十九) or ASCII digits → a number; undefined otherwise. */
export function cnNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十]{1,3}$/.test(s)) return undefined;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? CN_DIGITS[s] : undefined;
  if (s.indexOf('十', ten + 1) >= 0) return undefined;
  const tens = ten === 0 ? 1 : CN_DIGITS[s.slice(0, ten)];
  const ones = ten === s.length - 1 ? 0 : CN_DIGITS[s.slice(ten + 1)];
  return tens === undefined || ones === undefined ? undefined : tens * 10 + ones;
}

/** Regex fragment for a number written in digits or Chinese numerals. */
export const NUM_RE = '\\d{1,6}|[零〇一二两三四五六七八九十]{1,3}';
