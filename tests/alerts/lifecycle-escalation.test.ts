import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import pino from 'pino';
import { alertLifecycleJobs } from '../../src/alerts/lifecycle/jobs.ts';
import { sweepAlertLifecycle } from '../../src/alerts/lifecycle/sweep.ts';
import { createScheduler } from '../../src/scheduler/index.ts';
import { workingMinutesBetween } from '../../src/alerts/lifecycle/working-minutes.ts';
import { workCalendar } from '../../src/scheduler/work-calendar.ts';
import { databaseHooks, ENGINES } from '../helpers/db.ts';
import { seedGoalOrg, WS } from '../helpers/goals-fixture.ts';
import { seedAlert, seedCopy } from './lifecycle-fixture.ts';

/**
 * Team amazon-us: Mon–Fri 09:00–18:30 Asia/Shanghai (UTC+8), `CN` calendar. Fixture week:
 * Fri 2026-12-18, weekend 19–20, Mon 2026-12-21 declared a holiday, Tue 2026-12-22 working.
 * Alert opened Fri 17:30 local (09:30Z): Friday counts 17:30→18:30 = 60 min; Sat, Sun and the
 * holiday count 0; Tuesday from 09:00 needs 240 − 60 = 180 min → escalates at 12:00 local (04:00Z).
 */
const OPENED = '2026-12-18T09:30:00Z';

describe('working minutes (pure)', () => {
  const spec = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:30', calendar: workCalendar({ weekdays: [1, 2, 3, 4, 5], holidays: new Set(['2026-12-21']), makeupDays: new Set(['2026-12-19']) }) };
  it('counts only working hours of working days; a 调休 Saturday counts', () => {
    // Fri 60 + Sat (make-up day) 09:00–18:30 = 570, Sun 0, Mon holiday 0, Tue 09:00–10:00 = 60 → 690.
    expect(workingMinutesBetween(new Date(OPENED), new Date('2026-12-22T02:00:00Z'), spec)).toBe(690);
    expect(workingMinutesBetween(new Date('2026-12-22T02:00:00Z'), new Date(OPENED), spec)).toBe(0);
  });
});

describe.each(ENGINES)('alert escalation on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await seedGoalOrg(x);
    await x.query(sql`insert into season_calendar (workspace_id, scope_type, scope_id, kind, name, start_date, end_date)
      values (${WS}, 'marketplace', 'CN', 'holiday', '假日', '2026-12-21', '2026-12-21')`);
  });

  const escalationsTo = (userId: string) =>
    d.query<{ source_id: string; fallback: string }>(sql`select source_id, payload->'card'->>'fallbackText' as fallback from deliveries
      where target->>'chatId' = ${`user:${userId}`} and source_type = 'alert' order by id`);

  it('escalates to the team manager after 240 working minutes, across a weekend and a holiday', async () => {
    const id = await seedAlert(d, { openedAt: OPENED });
    await seedCopy(d, id, { platform: 'console', tenantKey: 'console', chatId: 'amazon-us', messageId: 'm1' });
    expect((await sweepAlertLifecycle(d, new Date('2026-12-21T04:00:00Z'))).escalated).toBe(0); // Mon (holiday) 12:00: 60 min
    expect((await sweepAlertLifecycle(d, new Date('2026-12-22T03:59:00Z'))).escalated).toBe(0); // Tue 11:59: 239 min
    expect((await sweepAlertLifecycle(d, new Date('2026-12-22T04:00:00Z'))).escalated).toBe(1); // Tue 12:00: 240 min
    expect((await sweepAlertLifecycle(d, new Date('2026-12-22T05:00:00Z'))).escalated).toBe(0); // once
    const dms = await escalationsTo('bob');
    expect(dms.map((m) => m.source_id)).toEqual([String(id)]);
    expect(dms[0]!.fallback).toContain('升级提醒：已超过 240 个工作分钟无人确认');
    expect(await escalationsTo('carol')).toEqual([]);
  });

  it('runs as a 15-minute scheduler job, once per slot', async () => {
    const id = await seedAlert(d, { openedAt: OPENED });
    let now = new Date('2026-12-22T03:50:00Z'); // Tue 11:50 local: 230 working minutes
    const scheduler = createScheduler({ database: d, logger: pino({ level: 'silent' }), node: 'n1', sources: [alertLifecycleJobs({ database: d, clock: () => now })], clock: () => now, sleep: async () => {} });
    await scheduler.tick();
    expect(await escalationsTo('bob')).toEqual([]);
    now = new Date('2026-12-22T04:00:30Z'); // the 12:00 slot
    const report = await scheduler.tick();
    expect(report.ran.map((r) => [r.jobId, r.ok])).toEqual([['alert-lifecycle:04:00', true]]);
    expect((await escalationsTo('bob')).map((m) => m.source_id)).toEqual([String(id)]);
  });

  it('does not escalate an acknowledged or snoozed alert', async () => {
    const acked = await seedAlert(d, { openedAt: OPENED, status: 'acknowledged' });
    const snoozed = await seedAlert(d, { openedAt: OPENED, status: 'snoozed', scopeKey: 'store:us-outlet' });
    await d.query(sql`update alerts set snoozed_until = '2026-12-30T00:00:00Z' where id = ${snoozed}`);
    expect((await sweepAlertLifecycle(d, new Date('2026-12-23T04:00:00Z'))).escalated).toBe(0);
    expect(acked).toBeGreaterThan(0);
  });
});
