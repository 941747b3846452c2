/**
 * Custom metrics in chat through the console, on the demo organisation with a few hand-made fact
 * rows: an admin adds one (`metric add`, `指标 新增`), anyone lists them, it is asked like any
 * metric (`ad_margin 7d by store`, with its chart), and non-admins and bad formulas get a reason
 * (with the character position and the closest name), never a stack trace.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { sales, seedGoalOrg, WS } from '../helpers/goals-fixture.ts';
import { field, listed, say, visible } from '../integration/bot-kpi-helpers.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('custom metrics in chat on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);

  /** us-main: gross 100 and 300 with spend 50 and 30 on the last two complete days (Los Angeles). */
  async function seedRecent(): Promise<string[]> {
    const last = addDays(localDate('America/Los_Angeles', new Date()), -1);
    const days = [addDays(last, -1), last];
    await sales(d, 'us-main', 'USD', [[days[0]!, 100], [days[1]!, 300]]);
    await insertRows(d.db, 'fact_ads_daily', days.map((date, i) => ({
      workspace_id: WS, date, store_id: 'us-main', ad_platform: 'amazon_sp', campaign_id: 'c', ad_group_id: 'g', sku_id: 'us-main-sku',
      impressions: 100, clicks: 5, spend: [50, 30][i]!.toFixed(2), attributed_sales: '0', attributed_orders: 0, attributed_units: 0, currency: 'USD', source: 'api',
    })));
    return days;
  }

  it('an admin adds one and everyone asks it like a catalogue metric', async () => {
    await seedRecent();
    const { app } = await buildTestApp(d);
    const [added] = await say(app, '@alice', 'alice', 'metric add ad_margin = (gross_sales - ad_spend) / gross_sales unit:percent direction:up name "Margin after ads"');
    expect(added!.card!.title).toBe('Custom metric ad_margin added');
    expect(field(added!, 'Formula')).toBe('(gross_sales - ad_spend) / gross_sales');
    expect(field(added!, 'Aggregation')).toBe('ratio');
    // (400 − 80) / 400 = 80 % on us-main over the last 7 days.
    const [m] = await say(app, '@alice', 'alice', 'ad_margin 7d by store in USD');
    expect(m!.card!.title).toBe('Margin after ads · Last 7 days · by store');
    expect(field(m!, 'Margin after ads')).toMatch(/^80 %/);
    expect(listed(m!).map((r) => [r.key, r.value])).toEqual([['us-main', '80 %']]);
    expect(m!.card!.blocks.some((b) => b.type === 'image')).toBe(true);
    // The issue's own grammar: name:"…" with spaces inside the quotes.
    const [quoted] = await say(app, '@alice', 'alice', 'metric add ad_net = gross_sales - ad_spend unit:money direction:up name:"Sales after ads"');
    expect(quoted!.card!.title).toBe('Custom metric ad_net added');
    const [net] = await say(app, '@alice', 'alice', 'ad_net 7d in USD');
    expect(field(net!, 'Sales after ads')).toMatch(/^\$320/); // 400 − 80
    const [list] = await say(app, '@carol', 'carol', '指标 列表');
    expect(visible(list!)).toContain('`ad_margin` = (gross_sales - ad_spend) / gross_sales');
    // A goal on the custom metric, typed in chat like any catalogue metric.
    const [goal] = await say(app, '@alice', 'alice', 'goal set ad_net 10000 2027-02 store:us-main owner:@carol');
    const id = /#(\d+)/.exec(goal!.card!.title)?.[1];
    expect(id, goal!.card!.title).toBeDefined();
    const goals = (await app.inject({ method: 'GET', url: '/api/v1/goals' })).json().goals as { id: number | string; metric: string }[];
    expect(goals.find((g) => String(g.id) === id)?.metric).toBe('ad_net');
  });

  it('refuses non-admins and bad formulas with the reason, the position and the closest name', async () => {
    const { app } = await buildTestApp(d);
    const [carol] = await say(app, '@carol', 'carol', 'metric add mine = gmv / orders unit:money');
    expect(carol!.card!.title).toBe('Not done');
    expect(visible(carol!)).toContain('only admins add or remove custom metrics');
    const [typo] = await say(app, '@alice', 'alice', 'metric add ad_margin = (gross_sales - ad_spnd) / gross_sales unit:percent');
    expect(visible(typo!)).toContain('unknown name "ad_spnd" (did you mean ad_spend?) (at character 16)');
    // 600 characters reach the formula check; over 1,000 the bot refuses the message before any parsing (10,000 are refused over REST, custom-metrics-db.test.ts).
    const [long] = await say(app, '@alice', 'alice', `metric add long = ${'gmv+'.repeat(150)}gmv`);
    expect(visible(long!)).toContain('a formula may have at most 500 characters (this one has 603)');
    const [huge] = await say(app, '@alice', 'alice', `metric add huge = ${'gmv+'.repeat(300)}gmv`);
    expect(visible(huge!)).toContain('That message is too long');
    const [cycle] = await say(app, '@alice', 'alice', 'metric add self = self * 2');
    expect(visible(cycle!)).toContain('self refers to itself');
    const [usage] = await say(app, '@alice', 'alice', 'metric add nothing');
    expect(usage!.card!.title).toBe('Not understood');
    const [gone] = await say(app, '@alice', 'alice', 'metric remove nothing_here');
    expect(visible(gone!)).toContain('no custom metric "nothing_here"');
    // Asked in Chinese, the same refusal in Chinese.
    const [zh] = await say(app, '@alice', 'alice', '指标 新增 x1 = (gross_sales - ad_spnd) / gross_sales 单位:percent 方向:up');
    expect(visible(zh!)).toContain('你是不是想用 ad_spend？（第 16 个字符）');
  });
});
