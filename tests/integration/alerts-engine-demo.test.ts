/**
 * A fresh start on both engines: the start-up steps seed the demo, then evaluate the alert rules
 * once before /readyz, so every bound team chat already has an open alert card (with the
 * Acknowledge button) and `alert list` in the console shows them.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { Readiness } from '../../src/readiness.ts';
import { registerStartupSteps } from '../../src/startup-steps.ts';
import { buildTestApp, testConfig } from '../helpers/build-app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';
import { say } from './bot-kpi-helpers.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('alert engine on a fresh demo start on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  }, 60_000);
  afterAll(async () => database?.close());

  it('every bound team chat has an open alert card right after start', { timeout: 600_000 }, async () => {
    const readiness = new Readiness();
    registerStartupSteps(readiness, { config: testConfig({ DEMO: 'auto' }), database, logger: pino({ level: 'silent' }) });
    await readiness.runAll();
    expect(readiness.report(true)).toMatchObject({ ready: true, steps: { demo: 'done', alerts: 'done' } });
    const chats = await database.query<{ chat_id: string; n: number }>(sql`
      select c.chat_id, count(d.id)::int as n from chats c
      left join deliveries d on d.source_type = 'alert' and d.target->>'chatId' = c.chat_id
        and exists (select 1 from alerts a where a.id::text = d.source_id and a.status = 'open')
      where c.workspace_id = 'demo' and c.kind = 'group' and c.team_id is not null group by 1 order by 1`);
    expect(chats.length).toBeGreaterThan(0);
    for (const c of chats) expect(c.n, c.chat_id).toBeGreaterThan(0);
    expect(chats.map((c) => c.chat_id)).toContain('amazon-us');

    const { app } = await buildTestApp(database);
    const listed = (await say(app, 'amazon-us', 'alice', 'alert list')).filter((m) => m.card);
    expect(listed.length).toBeGreaterThan(0);
    const buttons = listed[0]!.card!.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
    expect(buttons[0]).toMatchObject({ actionId: 'alert.ack' });
  });
});
