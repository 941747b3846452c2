/**
 * `alert rule add|list|test|remove` and `alert mute|unmute` in the console on both engines (the
 * demo organisation without facts): the grammar, refusals with the reason (unknown
 * metric, ACoS on a ROAS store, bad input, no permission), and a test run that sends nothing.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { databaseHooks, ENGINES } from '../helpers/db.ts';
import { seedGoalOrg } from '../helpers/goals-fixture.ts';
import { say, type Msg } from './bot-kpi-helpers.ts';

const textOf = (m: Msg[]) => m.map((x) => x.text ?? x.card?.fallbackText ?? '').join('\n');

describe.each(ENGINES)('alert rule commands on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);

  it('adds, lists, tests and removes a rule; mutes and unmutes a store', { timeout: 120_000 }, async () => {
    const { app } = await buildTestApp(d);
    const added = textOf(await say(app, 'amazon-us', 'alice', 'alert rule add acos > 1.2x target min:spend>=500 store:us-main'));
    expect(added).toMatch(/Alert rule added|预警规则已添加/);
    const [rule] = await d.query<{ id: number; metric_id: string; condition: unknown; scope: unknown; created_by: string }>(sql`select id, metric_id, condition, scope, created_by from alert_rules where created_by = 'alice'`);
    expect(rule).toMatchObject({ metric_id: 'acos', condition: { op: '>', value: 1.2, of: 'target', min: { metric: 'ad_spend', value: 500 } }, scope: { store: ['us-main'], per: 'store' } });

    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert rule list'))).toContain(`#${rule!.id}`);
    const before = await d.query<{ n: number }>(sql`select count(*)::int as n from deliveries where source_type = 'alert'`);
    const tested = textOf(await say(app, 'amazon-us', 'alice', `alert rule test ${rule!.id}`));
    expect(tested).toMatch(/Computed only|仅试算/);
    expect(await d.query(sql`select count(*)::int as n from deliveries where source_type = 'alert'`)).toEqual(before);

    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert mute store:us-main until 2026-12-31 清仓'))).toMatch(/2026-12-31/);
    expect(await d.query(sql`select scope_key, until::text as until, reason from alert_mutes`)).toEqual([{ scope_key: 'store:us-main', until: '2026-12-31', reason: '清仓' }]);
    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert unmute store:us-main'))).toMatch(/unmuted|取消静音/);
    expect(await d.query(sql`select * from alert_mutes`)).toEqual([]);

    expect(textOf(await say(app, 'amazon-us', 'alice', `alert rule remove ${rule!.id}`))).toMatch(/removed|已删除/);
    expect(await d.query(sql`select id from alert_rules where created_by = 'alice'`)).toEqual([]);
  });

  it('refuses with the reason', { timeout: 120_000 }, async () => {
    const { app } = await buildTestApp(d);
    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert rule add gmvv > 3'))).toMatch(/Unknown metric|未知指标/);
    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert rule add acos > 30% store:shopee-sg'))).toMatch(/ROAS/);
    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert rule add acos > 30 store:us-main'))).toMatch(/30%/);
    expect(textOf(await say(app, 'amazon-us', 'alice', "alert rule add acos > 30% store:us-main'; drop table alerts"))).toMatch(/understand|无法理解/);
    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert rule remove 99999999999999999999'))).toMatch(/alert rule remove <id>/);
    expect(textOf(await say(app, 'amazon-us', 'alice', 'alert mute store:us-main until 2020-01-01'))).toMatch(/end date|结束日期/);
    // dave (finance) is read-only for rules.
    expect(textOf(await say(app, 'amazon-us', 'dave', 'alert rule add roas < 2 store:shopee-sg'))).toMatch(/Only admins|只有管理员/);
    expect(await d.query(sql`select id from alert_rules where created_by is distinct from 'demo'`)).toEqual([]);
  });
});
