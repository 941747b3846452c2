/**
 * The words after `digest subscribe`: a time (`09:00`, `9:30`, `9点半` is not accepted on
 * purpose: one unambiguous form), a cadence (`daily`, `weekly [mon]`, `biweekly [wed]`, `monthly
 * [day 2]`, `review [mon]`, Chinese 每天/每周/双周/每月/复盘), `workdays`/`工作日`, `kpis:gmv,acos`,
 * `tz:Asia/Shanghai` and `me`/`我` for the personal morning DM. Anything it cannot read is refused
 * with the reason, never guessed (issue "Bad input": 25:00, an unknown zone, an unknown cadence).
 */
import { isTimeZone } from '../config.ts';
import { metricById, METRICS } from '../kpi/catalogue/index.ts';
import { closest } from '../shared/edit-distance.ts';
import { TIME_RE } from '../scheduler/schedule.ts';
import type { SubscriptionKind } from './subscriptions.ts';

export interface SubscribeArgs {
  kind: SubscriptionKind;
  time: string;
  weekday?: number;
  dayOfMonth?: number;
  workingDaysOnly: boolean;
  kpis?: string[];
  timezone?: string;
  teamId?: string;
  personal: boolean;
}

export type SubscribeError =
  | { error: 'no_time' }
  | { error: 'bad_time'; word: string }
  | { error: 'bad_timezone'; word: string }
  | { error: 'bad_kpi'; word: string; suggestion?: string }
  | { error: 'bad_day'; word: string }
  | { error: 'unknown_word'; word: string; suggestion?: string };

const CADENCE_WORDS: Record<string, SubscriptionKind> = {
  daily: 'daily', 每天: 'daily', 每日: 'daily', 日报: 'daily',
  weekly: 'weekly', week: 'weekly', 每周: 'weekly', 周报: 'weekly',
  biweekly: 'biweekly', fortnightly: 'biweekly', 双周: 'biweekly', 每两周: 'biweekly', 双周报: 'biweekly',
  monthly: 'monthly', month: 'monthly', 每月: 'monthly', 月报: 'monthly',
  review: 'review_pack', 复盘: 'review_pack', 周会: 'review_pack',
};

const WEEKDAYS: Record<string, number> = {
  mon: 1, monday: 1, 周一: 1, 星期一: 1, tue: 2, tuesday: 2, 周二: 2, 星期二: 2, wed: 3, wednesday: 3, 周三: 3, 星期三: 3,
  thu: 4, thursday: 4, 周四: 4, 星期四: 4, fri: 5, friday: 5, 周五: 5, 星期五: 5, sat: 6, saturday: 6, 周六: 6, 星期六: 6,
  sun: 7, sunday: 7, 周日: 7, 周天: 7, 星期日: 7, 星期天: 7,
};

const WORKDAYS = new Set(['workdays', 'weekdays', 'working-days', '工作日']);
const ME = new Set(['me', 'mine', '我', '个人', '我的']);

/** Every word the parser knows, for "did you mean". */
export const SUBSCRIBE_VOCABULARY = [...Object.keys(CADENCE_WORDS), ...Object.keys(WEEKDAYS), ...WORKDAYS, ...ME, 'kpis:', 'tz:', 'day', 'team:'];

/** `9:00`, `09:00`, full-width `０９：００` → `09:00`; anything else undefined. */
export function normaliseTime(word: string): string | undefined {
  const w = word.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace('：', ':');
  const m = /^(\d{1,2}):(\d{2})$/.exec(w);
  if (!m) return undefined;
  const t = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return TIME_RE.test(t) ? t : undefined;
}

const looksLikeTime = (w: string) => /^[\d０-９]{1,2}[:：][\d０-９]{1,2}$/.test(w);

export function parseSubscribeArgs(args: readonly string[]): SubscribeArgs | SubscribeError {
  let time: string | undefined;
  let kind: SubscriptionKind | undefined;
  const out: Omit<SubscribeArgs, 'kind' | 'time'> = { workingDaysOnly: false, personal: false };
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    const w = raw.toLowerCase();
    if (looksLikeTime(raw)) {
      time = normaliseTime(raw);
      if (!time) return { error: 'bad_time', word: raw.slice(0, 20) };
    } else if (CADENCE_WORDS[w]) {
      kind = CADENCE_WORDS[w];
    } else if (WEEKDAYS[w] !== undefined) {
      out.weekday = WEEKDAYS[w];
    } else if (WORKDAYS.has(w)) {
      out.workingDaysOnly = true;
    } else if (ME.has(w)) {
      out.personal = true;
    } else if (w === 'day' || /^(\d{1,2})(号|日)$/.test(w)) {
      const n = w === 'day' ? Number(args[++i]) : Number(/^(\d{1,2})/.exec(w)![1]);
      if (!Number.isInteger(n) || n < 1 || n > 28) return { error: 'bad_day', word: (w === 'day' ? (args[i] ?? '') : raw).slice(0, 20) };
      out.dayOfMonth = n;
    } else if (/^(kpis?|指标)[:：]/.test(w)) {
      const ids = w.replace(/^(kpis?|指标)[:：]/, '').split(/[,，、]/).map((x) => x.trim()).filter(Boolean);
      for (const id of ids) {
        if (!metricById(id)) return { error: 'bad_kpi', word: id.slice(0, 40), suggestion: closest(id, METRICS.map((m) => m.id)) };
      }
      out.kpis = [...new Set(ids)];
    } else if (/^(tz|时区)[:：]/.test(w)) {
      const tz = raw.replace(/^(tz|时区)[:：]/i, '');
      if (!isTimeZone(tz) || !(tz.includes('/') || tz === 'UTC')) return { error: 'bad_timezone', word: tz.slice(0, 60) };
      out.timezone = tz;
    } else if (/^(team|团队)[:：]/.test(w)) {
      out.teamId = raw.replace(/^(team|团队)[:：]/i, '');
    } else {
      return { error: 'unknown_word', word: raw.slice(0, 40), suggestion: closest(w, SUBSCRIBE_VOCABULARY) };
    }
  }
  if (!time) return { error: 'no_time' };
  const resolved: SubscriptionKind = out.personal ? 'personal' : (kind ?? (out.weekday ? 'weekly' : out.dayOfMonth ? 'monthly' : 'daily'));
  return { ...out, kind: resolved, time };
}
