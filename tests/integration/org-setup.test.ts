/**
 * `setup` reflects reality. On the freshly seeded demo (anchor = yesterday): only a real chat
 * platform is missing (the demo runs on the console); unbinding a team's group and adding an
 * unowned store without data turn those items red with the command that fixes them. On an empty
 * workspace every item is missing, each with its fix.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { seedDemo } from '../../src/demo/lifecycle.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { setupChecklist } from '../../src/org/setup.ts';
import { ENGINES, dropCreatedDatabases, insertWorkspace, openTestDatabase } from '../helpers/db.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { sayCard } from '../helpers/org-demo.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('setup checklist on %s', (engine) => {
  let d!: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seedDemo(d, { anchor: addDays(localDate('Asia/Shanghai', new Date()), -1) });
  }, 300_000);
  afterAll(async () => d?.close());

  const status = async (ws: { id: string; timezone: string }) =>
    Object.fromEntries((await setupChecklist(d, ws)).map((i) => [i.id, i.done ? 'done' : i.fix]));

  it('on the demo: everything but a real chat platform is done, and the card says so', async () => {
    expect(await status({ id: 'demo', timezone: 'Asia/Shanghai' })).toEqual({
      platform: 'kpibot workspace bind demo --platform feishu --tenant <tenant key>',
      groups: 'done', owners: 'done', data: 'done', goals: 'done', digest: 'done',
    });
    const { app } = await buildTestApp(d);
    const c = await sayCard(app, '@alice', 'alice', 'setup');
    expect(c.title).toBe('Setup: 5 of 6 done');
    expect(c.fallbackText).toContain('kpibot workspace bind demo');
    // Only admins see it.
    expect((await sayCard(app, '@bob', 'bob', 'setup')).title).toBe('Not permitted');
  });

  it('on the demo after changes: an unbound team group and a new store without owner or data', async () => {
    const { app } = await buildTestApp(d);
    expect((await sayCard(app, 'amazon-eu', 'alice', 'unbind')).title).toBe('Group unbound');
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone, team_id)
      values ('demo', 'mx-main', 'Amazon MX', 'amazon', 'MX', 'MXN', 'America/Mexico_City', 'amazon-us')`);
    await d.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id) values ('feishu', 'tk-demo', 'demo')`);
    expect(await status({ id: 'demo', timezone: 'Asia/Shanghai' })).toEqual({
      platform: 'done',
      groups: 'bind team:amazon-eu',
      owners: 'store owner store:mx-main @<user>',
      data: 'kpibot import <orders file> --dataset orders',
      goals: 'done',
      digest: 'done',
    });
    const c = await sayCard(app, '@alice', 'alice', '配置清单');
    expect(c.title).toBe('配置清单：已完成 3/6');
    expect(c.fallbackText).toContain('以下团队还没有绑定群：amazon-eu');
  });

  it('on an empty workspace: every item missing, each with its fix', async () => {
    await insertWorkspace(d, { id: 'empty', timezone: 'Europe/Berlin' });
    const today = localDate('Europe/Berlin', new Date());
    expect(await status({ id: 'empty', timezone: 'Europe/Berlin' })).toEqual({
      platform: 'kpibot workspace bind empty --platform feishu --tenant <tenant key>',
      groups: 'team add <id> <name>',
      owners: 'kpibot import stores.csv --dataset stores',
      data: 'kpibot import stores.csv --dataset stores',
      goals: `goal set gmv <target> month:${today.slice(0, 7)} team:<id> owner:@<user>`,
      digest: 'digest subscribe 09:00',
    });
  });
});
