/**
 * Reads a team's working calendar: `teams.working_hours.days` (default Monday to Friday), the
 * holidays and 调休 make-up days of `season_calendar` for the team's `holiday_calendar` (e.g. `CN`)
 * and for the team itself, and 大小周 from `working_hours.alternate_saturdays_from` (a worked
 * Saturday; every other Saturday from it is worked too).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { addDays } from '../kpi/dates.ts';
import { datesOf, MONDAY_TO_FRIDAY, workCalendar, type WorkCalendar, type WorkCalendarSpec } from './work-calendar.ts';

const OFF_KINDS = new Set(['holiday', 'spring_festival']);

interface StoredHours {
  days?: number[];
  alternate_saturdays_from?: string;
}

/** The spec of a team's calendar over [from, to] (local dates); no team → Monday to Friday. */
export async function loadWorkCalendarSpec(
  database: Database,
  workspaceId: string,
  teamId: string | null,
  range: { from: string; to: string },
): Promise<WorkCalendarSpec> {
  const [team] = teamId
    ? await database.query<{ working_hours: StoredHours | null; holiday_calendar: string | null }>(sql`
        select working_hours, holiday_calendar from teams where workspace_id = ${workspaceId} and id = ${teamId}`)
    : [];
  const hours = team?.working_hours ?? {};
  const scopes: string[] = [...(team?.holiday_calendar ? [team.holiday_calendar] : []), ...(teamId ? [teamId] : [])];
  const rows = scopes.length
    ? await database.query<{ kind: string; start_date: string; end_date: string }>(sql`
        select kind, start_date::text as start_date, end_date::text as end_date from season_calendar
        where workspace_id = ${workspaceId} and scope_id in ${scopes}
          and kind in ('holiday', 'spring_festival', 'makeup_workday')
          and start_date <= ${range.to} and end_date >= ${range.from}`)
    : [];
  const span = (r: { start_date: string; end_date: string }) => ({ start: r.start_date, end: r.end_date });
  const days = Array.isArray(hours.days) && hours.days.length ? hours.days.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7) : [...MONDAY_TO_FRIDAY];
  return {
    weekdays: days,
    holidays: datesOf(rows.filter((r) => OFF_KINDS.has(r.kind)).map(span)),
    makeupDays: datesOf(rows.filter((r) => r.kind === 'makeup_workday').map(span)),
    ...(typeof hours.alternate_saturdays_from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(hours.alternate_saturdays_from)
      ? { alternateSaturdayFrom: hours.alternate_saturdays_from }
      : {}),
  };
}

/** Calendars per team, loaded once per tick for the days around `today`. */
export function workCalendarCache(database: Database, workspaceId: string, today: string): (teamId: string | null) => Promise<WorkCalendar> {
  const cache = new Map<string, Promise<WorkCalendar>>();
  return (teamId) => {
    const key = teamId ?? '';
    let hit = cache.get(key);
    if (!hit) {
      hit = loadWorkCalendarSpec(database, workspaceId, teamId, { from: addDays(today, -45), to: addDays(today, 45) }).then(workCalendar);
      cache.set(key, hit);
    }
    return hit;
  };
}
