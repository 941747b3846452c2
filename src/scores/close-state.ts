/**
 * Where a month stands in its close (glossary §3.6): `open` (no close yet), `preliminary` (day 2),
 * `final` (the lock day: frozen, waiting for managers' sign-off), `locked` (every scored team
 * signed off), `reopened` (an admin reopened it with a reason). Final and locked months are
 * frozen: late data never changes their scores, and adjustments wait for a reopen.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { monthCloses, type TeamSignOff, type WorkspaceSettings } from '../db/schema/index.ts';
import { addDays, localDate } from '../kpi/dates.ts';
import { ScoreError } from './errors.ts';

export type MonthState = 'open' | 'preliminary' | 'final' | 'locked' | 'reopened';

export interface CloseDays {
  preliminaryDay: number;
  lockDay: number;
}

export const DEFAULT_CLOSE_DAYS: CloseDays = { preliminaryDay: 2, lockDay: 15 };

/** The workspace's close days; monthly slots run on days 1–28 (src/scheduler/schedule.ts). */
export function closeDays(settings: WorkspaceSettings | null | undefined): CloseDays {
  const ok = (d: unknown): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 28;
  const preliminaryDay = ok(settings?.score_preliminary_day) ? settings.score_preliminary_day : DEFAULT_CLOSE_DAYS.preliminaryDay;
  const lockDay = ok(settings?.score_lock_day) && settings.score_lock_day > preliminaryDay ? settings.score_lock_day : Math.max(DEFAULT_CLOSE_DAYS.lockDay, preliminaryDay + 1);
  return { preliminaryDay, lockDay };
}

export const isFrozen = (s: MonthState) => s === 'final' || s === 'locked';

export interface CloseRow {
  state: MonthState;
  teamSignOffs: Record<string, TeamSignOff>;
  finalAt: Date | null;
  lockedAt: Date | null;
  reopenedBy: string | null;
  reopenReason: string | null;
}

export async function closeRow(db: Pick<Database['db'], 'select'>, workspaceId: string, month: string): Promise<CloseRow> {
  const [row] = await db.select().from(monthCloses).where(and(eq(monthCloses.workspaceId, workspaceId), eq(monthCloses.month, month)));
  if (!row) return { state: 'open', teamSignOffs: {}, finalAt: null, lockedAt: null, reopenedBy: null, reopenReason: null };
  return { state: row.state, teamSignOffs: row.teamSignOffs, finalAt: row.finalAt, lockedAt: row.lockedAt, reopenedBy: row.reopenedBy, reopenReason: row.reopenReason };
}

export async function monthState(db: Pick<Database['db'], 'select'>, workspaceId: string, month: string): Promise<MonthState> {
  return (await closeRow(db, workspaceId, month)).state;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(s: string): boolean {
  return MONTH_RE.test(s);
}

/** The month before the one containing `day` (`YYYY-MM-DD`). */
export function previousMonth(day: string): string {
  return addDays(`${day.slice(0, 7)}-01`, -1).slice(0, 7);
}

export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** `last_month` in the workspace's zone at `now`. */
export function lastMonth(timezone: string, now: Date): string {
  return previousMonth(localDate(timezone, now));
}

/**
 * A month as people type it: `2026-11`, `month:2026-11`, `last_month`/`上月`, `this_month`/`本月`,
 * `11月` (the latest past November). undefined when it is none of those.
 */
export function parseMonth(word: string | undefined, timezone: string, now: Date): string | undefined {
  const today = localDate(timezone, now);
  const w = (word ?? 'last_month').normalize('NFKC').trim().toLowerCase();
  if (['last_month', 'lastmonth', 'last-month', '上月', '上个月'].includes(w)) return previousMonth(today);
  if (['this_month', 'thismonth', 'this-month', '本月', '这个月', 'mtd'].includes(w)) return today.slice(0, 7);
  const id = w.startsWith('month:') ? w.slice(6) : w;
  if (MONTH_RE.test(id)) return id;
  const zh = /^(?:(\d{4})年)?(\d{1,2})月$/.exec(w);
  if (zh) {
    const m = Number(zh[2]);
    if (m < 1 || m > 12) return undefined;
    if (zh[1]) return `${zh[1]}-${String(m).padStart(2, '0')}`;
    const y = Number(today.slice(0, 4));
    const candidate = `${y}-${String(m).padStart(2, '0')}`;
    return candidate <= today.slice(0, 7) ? candidate : `${y - 1}-${String(m).padStart(2, '0')}`;
  }
  return undefined;
}

export function requireMonth(word: string | undefined, timezone: string, now: Date): string {
  const m = parseMonth(word, timezone, now);
  if (!m) throw new ScoreError('invalid_argument', `"${String(word).slice(0, 40)}" is not a month (use YYYY-MM, e.g. 2026-11, or last_month)`, { field: 'period', zh: `“${String(word).slice(0, 40)}”不是月份（请用 YYYY-MM，例如 2026-11，或 上月）`, rule: 'month' });
  return m;
}
