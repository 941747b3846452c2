/**
 * Subscriptions as scheduler jobs: each enabled row becomes `<kind>:<id>` with its local time in
 * its own zone (the subscription's, else the chat's, the team's, the person's for a personal DM,
 * else the workspace's), its cadence, its team's working calendar when it runs on working days
 * only, and a catch-up window that fits its cadence. Read again on every tick, so `digest
 * subscribe` takes effect within a minute on every replica.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { isTimeZone } from '../config.ts';
import type { Database } from '../db/client.ts';
import { localDate } from '../kpi/dates.ts';
import type { JobSource, JobSpec } from '../scheduler/engine.ts';
import type { Schedule } from '../scheduler/schedule.ts';
import { workCalendarCache } from '../scheduler/work-calendar-load.ts';
import type { Subscription, SubscriptionKind } from './subscriptions.ts';

const H = 3_600_000;

/** A digest read at 15:00 still helps; one from yesterday does not (weekly and monthly keep longer). */
export const CATCH_UP_WINDOW_MS: Record<SubscriptionKind, number> = {
  daily: 6 * H,
  personal: 4 * H,
  weekly: 24 * H,
  biweekly: 24 * H,
  review_pack: 24 * H,
  monthly: 48 * H,
};

interface Row extends Record<string, unknown> {
  id: number;
  kind: SubscriptionKind;
  time: string;
  weekday: number | null;
  day_of_month: number | null;
  working_days_only: boolean;
  workspace_id: string;
  own_tz: string | null;
  chat_tz: string | null;
  team_tz: string | null;
  user_tz: string | null;
  ws_tz: string;
  calendar_team: string | null;
  created_ms: number;
  updated_ms: number;
}

export function scheduleCadence(kind: SubscriptionKind): Schedule['cadence'] {
  if (kind === 'personal') return 'daily';
  if (kind === 'review_pack') return 'weekly';
  return kind;
}

export function subscriptionJobs(deps: { database: Database; logger: Logger; run: (subscriptionId: number, slot: Date) => Promise<void> }): JobSource {
  const { database } = deps;
  return async (now) => {
    const rows = await database.query<Row>(sql`
      select s.id, s.kind, s.time, s.weekday, s.day_of_month, s.working_days_only, s.workspace_id,
        s.timezone as own_tz, c.timezone as chat_tz, t.timezone as team_tz, u.timezone as user_tz, w.timezone as ws_tz,
        coalesce(s.team_id, c.team_id, u.team_id) as calendar_team,
        (extract(epoch from s.created_at) * 1000)::float8 as created_ms, (extract(epoch from s.updated_at) * 1000)::float8 as updated_ms
      from subscriptions s
      join workspaces w on w.id = s.workspace_id
      left join chats c on c.platform = s.platform and c.tenant_key = s.tenant_key and c.chat_id = s.chat_id
      left join users u on u.workspace_id = s.workspace_id and u.id = s.user_id
      left join teams t on t.workspace_id = s.workspace_id and t.id = coalesce(s.team_id, c.team_id, u.team_id)
      where s.enabled
      order by s.id`);
    const calendars = new Map<string, ReturnType<typeof workCalendarCache>>();
    const jobs: JobSpec[] = [];
    for (const r of rows) {
      const tz = r.own_tz ?? (r.kind === 'personal' ? (r.user_tz ?? r.team_tz) : (r.chat_tz ?? r.team_tz)) ?? r.ws_tz;
      if (!isTimeZone(tz)) {
        deps.logger.warn({ subscription: r.id, timezone: tz }, 'digest subscription with an unknown time zone skipped');
        continue;
      }
      const schedule: Schedule = {
        cadence: scheduleCadence(r.kind),
        time: r.time,
        timezone: tz,
        ...(r.weekday ? { weekday: Number(r.weekday) } : {}),
        ...(r.day_of_month ? { dayOfMonth: Number(r.day_of_month) } : {}),
        // Every other week counts from the week the subscription was made.
        biweeklyFrom: localDate(tz, new Date(Number(r.created_ms))),
      };
      if (r.working_days_only) {
        let cache = calendars.get(r.workspace_id);
        if (!cache) calendars.set(r.workspace_id, (cache = workCalendarCache(database, r.workspace_id, localDate(tz, now))));
        schedule.calendar = await cache(r.calendar_team);
      }
      jobs.push({
        id: `${r.kind}:${r.id}`,
        schedule,
        catchUpWindowMs: CATCH_UP_WINDOW_MS[r.kind],
        // A changed time or cadence starts afresh: no catch-up of a slot from before the change.
        since: new Date(Number(r.updated_ms)),
        run: (slot) => deps.run(Number(r.id), slot),
      });
    }
    return jobs;
  };
}

export type { Subscription };
