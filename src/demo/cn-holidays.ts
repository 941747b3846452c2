/**
 * Chinese public holidays and 调休 make-up working days (glossary §3.4: escalation, working-day
 * jobs and the team's activity follow them). The demo team sits in China, so its activity stops
 * on holidays and runs on make-up Saturdays/Sundays. 2024–2026 follow the State Council notices;
 * other years use an approximation (fixed-date holidays, 春节 from the lunar new year table),
 * which is enough for demo data and says so in the row names' absence of lunar holidays.
 */
import { dayOf, toDay, weekday } from './dates.ts';

/** One holiday block or make-up day, inclusive, as day numbers. */
export interface CnHoliday {
  kind: 'holiday' | 'spring_festival' | 'makeup_workday';
  name: string;
  aliases: string[];
  start: number;
  end: number;
}

/** 农历新年 (day 1 of the lunar year); also drives the SEA Chinese New Year dip. */
export const LUNAR_NEW_YEAR: Record<number, string> = {
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
};

type Block = [name: string, from: string, to: string];

/** Official blocks: [name, first day, last day] as MM-DD, plus make-up working days. */
const OFFICIAL: Record<number, { blocks: Block[]; makeup: string[] }> = {
  2024: {
    blocks: [
      ['元旦', '01-01', '01-01'], ['春节', '02-10', '02-17'], ['清明节', '04-04', '04-06'], ['劳动节', '05-01', '05-05'],
      ['端午节', '06-08', '06-10'], ['中秋节', '09-15', '09-17'], ['国庆节', '10-01', '10-07'],
    ],
    makeup: ['02-04', '02-18', '04-07', '04-28', '05-11', '09-14', '09-29', '10-12'],
  },
  2025: {
    blocks: [
      ['元旦', '01-01', '01-01'], ['春节', '01-28', '02-04'], ['清明节', '04-04', '04-06'], ['劳动节', '05-01', '05-05'],
      ['端午节', '05-31', '06-02'], ['国庆节、中秋节', '10-01', '10-08'],
    ],
    makeup: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  },
  2026: {
    blocks: [
      ['元旦', '01-01', '01-03'], ['春节', '02-15', '02-23'], ['清明节', '04-04', '04-06'], ['劳动节', '05-01', '05-05'],
      ['端午节', '06-19', '06-21'], ['中秋节', '09-25', '09-27'], ['国庆节', '10-01', '10-07'],
    ],
    makeup: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
  },
};

const ALIASES: Record<string, string[]> = {
  春节: ['春节', '过年', 'Spring Festival', 'CNY'],
  国庆节: ['国庆', '十一', 'National Day'],
  '国庆节、中秋节': ['国庆', '十一', '中秋', 'National Day'],
  劳动节: ['五一', 'Labour Day'],
  元旦: ['元旦', "New Year's Day"],
};

function at(y: number, mmdd: string): number {
  return toDay(`${y}-${mmdd}`);
}

function approximate(y: number): { blocks: CnHoliday[]; makeup: number[] } {
  const blocks: CnHoliday[] = [
    { kind: 'holiday', name: '元旦', aliases: ALIASES['元旦']!, start: dayOf(y, 1, 1), end: dayOf(y, 1, 1) },
    { kind: 'holiday', name: '劳动节', aliases: ALIASES['劳动节']!, start: dayOf(y, 5, 1), end: dayOf(y, 5, 5) },
    { kind: 'holiday', name: '国庆节', aliases: ALIASES['国庆节']!, start: dayOf(y, 10, 1), end: dayOf(y, 10, 7) },
  ];
  const makeup: number[] = [];
  const lny = LUNAR_NEW_YEAR[y];
  if (lny) {
    // Eve to the sixth day, with the weekend days around it worked back (the usual pattern).
    const start = toDay(lny) - 1;
    blocks.push({ kind: 'spring_festival', name: '春节', aliases: ALIASES['春节']!, start, end: start + 7 });
    makeup.push(start - ((weekday(start) % 7) || 7), start + 8 + ((6 - weekday(start + 8) + 7) % 7));
  }
  makeup.push(dayOf(y, 10, 8) + ((6 - weekday(dayOf(y, 10, 8)) + 7) % 7));
  return { blocks, makeup };
}

/** Holidays and make-up days of one year. */
export function cnHolidaysOfYear(y: number): CnHoliday[] {
  const official = OFFICIAL[y];
  const { blocks, makeup } = official
    ? {
        blocks: official.blocks.map(([name, from, to]): CnHoliday => ({
          kind: name === '春节' ? 'spring_festival' : 'holiday',
          name,
          aliases: ALIASES[name] ?? [name],
          start: at(y, from),
          end: at(y, to),
        })),
        makeup: official.makeup.map((d) => at(y, d)),
      }
    : approximate(y);
  return [
    ...blocks,
    ...makeup.map((d): CnHoliday => ({ kind: 'makeup_workday', name: '调休上班', aliases: ['调休', 'make-up workday'], start: d, end: d })),
  ];
}

const dayTypeCache = new Map<number, 'holiday' | 'makeup' | 'normal'>();

function dayType(day: number): 'holiday' | 'makeup' | 'normal' {
  let t = dayTypeCache.get(day);
  if (t === undefined) {
    const y = new Date(day * 86_400_000).getUTCFullYear();
    t = 'normal';
    for (const h of cnHolidaysOfYear(y)) {
      if (day >= h.start && day <= h.end) t = h.kind === 'makeup_workday' ? 'makeup' : 'holiday';
    }
    dayTypeCache.set(day, t);
  }
  return t;
}

/**
 * How much of a normal working day the China-based team works: 1 on weekdays and make-up days,
 * 0.3 on Saturdays (many cross-border teams work alternate Saturdays, 大小周), 0 on Sundays and
 * public holidays.
 */
export function cnWorkShare(day: number): number {
  const t = dayType(day);
  if (t === 'holiday') return 0;
  if (t === 'makeup') return 1;
  const wd = weekday(day);
  return wd === 7 ? 0 : wd === 6 ? 0.3 : 1;
}
