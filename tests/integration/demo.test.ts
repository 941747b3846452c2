/**
 * The demo workspace on both engines: what a seed contains, that the story's events are where
 * `buildStory` says, that goals show red, amber and green, that (seed, anchor) fixes every row,
 * that rolling forward equals seeding later, and that purge removes the demo and nothing else.
 * Expected values come from the declared story and the glossary formulas, computed here in SQL.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { addDays } from '../../src/demo/dates.ts';
import { purgeDemo, rollDemoForward, seedDemo, type DemoSummary } from '../../src/demo/lifecycle.ts';
import { buildStory } from '../../src/demo/story.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase, truncateAll } from '../helpers/db.ts';
import { count, demoDump, digest, expectAllColours, factDigests, goalColours, median, workspaceTables } from '../helpers/demo.ts';

afterAll(dropCreatedDatabases);

const SEED = 7;
/** Three anchors in different months: mid-November, the 2nd day of a quarter, mid-July. */
const A1 = '2026-11-20';
const A2 = '2026-04-02';
const A3 = '2025-07-17';
const STORES = ['us-main', 'us-outlet', 'de-main', 'jp-main', 'shopee-sg', 'shopee-my', 'lazada-my', 'tiktok-us', 'shopify-dtc', 'walmart-us'];

async function timedSeed(database: Database, engine: string, anchor: string, seed = SEED): Promise<DemoSummary> {
  const started = performance.now();
  const summary = await seedDemo(database, { anchor, seed });
  const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
  console.log(`[demo] seed ${seed} anchor ${anchor} on ${engine}: ${rows} rows in ${Math.round(performance.now() - started)} ms`);
  return summary;
}

describe.each(ENGINES)('demo workspace on %s', (engine) => {
  let database: Database;
  let firstDump: Awaited<ReturnType<typeof demoDump>>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => database?.close());

  it('seeds 180 days of every dataset for every store, with the fixed org and console', { timeout: 120_000 }, async () => {
    await truncateAll(database);
    const summary = await timedSeed(database, engine, A1);
    const from = addDays(A1, -179);
    expect(summary.from).toBe(from);
    const [ws] = await database.query<{ name: string; is_demo: boolean; demo_anchor: string; demo_seed: number; timezone: string; currency: string }>(
      sql`select name, is_demo, demo_anchor::text as demo_anchor, demo_seed, timezone, currency from workspaces where id = 'demo'`,
    );
    expect(ws).toEqual({ name: '演示 Demo', is_demo: true, demo_anchor: A1, demo_seed: SEED, timezone: 'Asia/Shanghai', currency: 'CNY' });

    const stores = await database.query<{ id: string; currency: string; timezone: string; prices_include_tax: boolean; tax_rate: string | null; team_id: string }>(
      sql`select id, currency, timezone, prices_include_tax, tax_rate, team_id from stores where workspace_id = 'demo' order by id`,
    );
    expect(stores.map((s) => s.id).sort()).toEqual([...STORES].sort());
    expect(stores.find((s) => s.id === 'de-main')).toMatchObject({ currency: 'EUR', timezone: 'Europe/Berlin', prices_include_tax: true, tax_rate: '0.1900' });
    expect(stores.find((s) => s.id === 'jp-main')).toMatchObject({ currency: 'JPY', timezone: 'Asia/Tokyo', prices_include_tax: true, tax_rate: '0.1000' });
    expect(stores.find((s) => s.id === 'us-main')).toMatchObject({ currency: 'USD', timezone: 'America/Los_Angeles', team_id: 'amazon-us' });
    expect(new Set(stores.map((s) => s.currency))).toEqual(new Set(['USD', 'EUR', 'JPY', 'SGD', 'MYR']));

    const people = await database.query<{ id: string; display_name: string; role: string; team: string | null }>(sql`
      select u.id, u.display_name, r.role, r.team_id as team from users u join role_assignments r on r.workspace_id = u.workspace_id and r.user_id = u.id
      where u.workspace_id = 'demo' and u.id in ('alice', 'bob', 'carol', 'dave', 'erin') order by u.id`);
    expect(people).toEqual([
      { id: 'alice', display_name: '王丽', role: 'admin', team: null },
      { id: 'bob', display_name: '李强', role: 'manager', team: 'amazon-us' },
      { id: 'carol', display_name: '陈晨', role: 'operator', team: null },
      { id: 'dave', display_name: '赵伟', role: 'finance', team: null },
      { id: 'erin', display_name: '刘芳', role: 'manager', team: 'asia-social' },
    ]);
    expect(await count(database, `select count(*) as n from ownership where workspace_id = 'demo' and user_id = 'carol' and scope_type = 'store' and scope_id = 'us-main' and valid_to is null`)).toBe(1);
    expect(await count(database, `select count(*) as n from users where workspace_id = 'demo' and team_id = 'amazon-us' and id = 'carol'`)).toBe(1);
    const chats = await database.query<{ chat_id: string; team_id: string | null }>(sql`select chat_id, team_id from chats where platform = 'console' and workspace_id = 'demo' order by chat_id`);
    expect(chats).toEqual([
      { chat_id: 'amazon-eu', team_id: 'amazon-eu' }, { chat_id: 'amazon-us', team_id: 'amazon-us' },
      { chat_id: 'asia-social', team_id: 'asia-social' }, { chat_id: 'general', team_id: null },
    ]);
    expect(await count(database, `select count(*) as n from chat_identities where platform = 'console' and workspace_id = 'demo' and user_id = platform_user_id`)).toBeGreaterThanOrEqual(5);
    expect(await count(database, `select count(*) as n from platform_tenants where platform = 'console' and tenant_key = 'console' and workspace_id = 'demo'`)).toBe(1);

    // At least 60 SKUs, some launched in the 60 days before the anchor.
    expect(await count(database, `select count(*) as n from skus where workspace_id = 'demo'`)).toBeGreaterThanOrEqual(60);
    expect(await count(database, `select count(*) as n from skus where workspace_id = 'demo' and launch_date > date '${A1}' - 60 and launch_date <= '${A1}'`)).toBeGreaterThan(0);
    expect(await count(database, `select count(distinct category_id) as n from skus where workspace_id = 'demo'`)).toBeGreaterThanOrEqual(5);

    // Every fact table has rows for every store (content exists for the TikTok store only, by design).
    for (const [table, day] of [['fact_sales_daily', 'date'], ['fact_refund_lines', 'refund_date'], ['fact_ads_daily', 'date'],
      ['fact_inventory_daily', 'snapshot_date'], ['fact_service_daily', 'date'], ['fact_team_events', 'occurred_at']] as const) {
      const rows = await database.query<{ store_id: string; lo: string; hi: string }>(sql.raw(
        `select store_id, min(${day})::date::text as lo, max(${day})::date::text as hi from ${table} where workspace_id = 'demo' group by store_id`));
      expect(rows.map((r) => r.store_id).filter(Boolean).sort(), table).toEqual([...STORES].sort());
      if (table !== 'fact_refund_lines' && table !== 'fact_team_events') {
        expect(rows.every((r) => r.lo === from && r.hi === A1), table).toBe(true);
      }
    }
    expect(await count(database, `select count(distinct store_id) as n from fact_content_daily where workspace_id = 'demo' and store_id = 'tiktok-us'`)).toBe(1);
    expect(await count(database, `select count(*) as n from fact_content_daily where workspace_id = 'demo' and content_type = 'live'`)).toBeGreaterThan(0);
    expect(await count(database, `select count(*) as n from fx_rates where workspace_id = 'demo' and to_ccy = 'CNY'`)).toBe(180 * 5);
    expect(await count(database, `select count(*) as n from budget_fx_rates where workspace_id = 'demo'`)).toBeGreaterThanOrEqual(5);
    for (const table of ['fact_sales_daily', 'fact_refund_lines', 'fact_ads_daily', 'fact_inventory_daily', 'fact_service_daily', 'fact_content_daily', 'fact_team_events']) {
      expect(await count(database, `select count(*) as n from ${table} where workspace_id = 'demo' and source <> 'demo'`), table).toBe(0);
    }

    // Glossary invariants: gmv ex tax on DE/JP, age buckets sum to on_hand, S refunds = Σ R lines.
    const tax = await database.query<{ store_id: string; share: string }>(sql`
      select store_id, round(sum(tax_amount) / sum(gross_sales), 3)::text as share from fact_sales_daily where workspace_id = 'demo' group by 1`);
    expect(Object.fromEntries(tax.map((t) => [t.store_id, Number(t.share)]))).toMatchObject({ 'de-main': 0.19, 'jp-main': 0.1, 'us-main': 0 });
    expect(await count(database, `select count(*) as n from fact_inventory_daily where workspace_id = 'demo'
      and age_0_30 + age_31_60 + age_61_90 + age_91_180 + age_181_365 + age_365_plus <> on_hand_units`)).toBe(0);
    expect(await count(database, `select count(*) as n from fact_sales_daily s full join
        (select store_id, sku_id, refund_date, sum(amount) as amount, sum(units) as units from fact_refund_lines where workspace_id = 'demo' group by 1, 2, 3) r
        on r.store_id = s.store_id and r.sku_id = s.sku_id and r.refund_date = s.date
      where s.workspace_id = 'demo' and (coalesce(r.amount, 0) <> s.refund_amount or coalesce(r.units, 0) <> s.units_returned)`)).toBe(0);

    // data status: a sync run per dataset and store, complete through the anchor.
    const runs = await database.query<{ dataset: string; stores: number }>(sql`
      select dataset, count(distinct store_id) as stores from sync_runs where workspace_id = 'demo' and status = 'ok'
        and data_through_date = ${A1} group by 1`);
    const byDataset = Object.fromEntries(runs.map((r) => [r.dataset, Number(r.stores)]));
    expect(byDataset).toMatchObject({ orders: 10, costs: 10, ads: 10, inventory: 10, service: 10, content: 1 });
    expect(Object.keys(byDataset)).toEqual(expect.arrayContaining(['activity', 'fx', 'calendar', 'stores', 'skus', 'goals']));

    // Calendar: 春节 and 调休 days, and the promotions.
    const kinds = await database.query<{ kind: string }>(sql`select distinct kind from season_calendar where workspace_id = 'demo'`);
    expect(kinds.map((k) => k.kind).sort()).toEqual(['double_day', 'holiday', 'makeup_workday', 'promo', 'season', 'spring_festival']);

    // Alert rules: ACoS and ROAS never cover the same platform (glossary trap 2).
    const rules = await database.query<{ key: string; scope: { platform?: string[] } }>(sql`select key, scope from alert_rules where workspace_id = 'demo'`);
    const acos = rules.find((r) => r.key === 'default:acos')!.scope.platform!;
    const roas = rules.find((r) => r.key === 'default:roas')!.scope.platform!;
    expect(acos).toEqual(expect.arrayContaining(['amazon', 'walmart']));
    expect(roas).toEqual(expect.arrayContaining(['shopee', 'lazada', 'tiktok_shop']));
    expect(acos.filter((p) => roas.includes(p))).toEqual([]);
    expect(rules.map((r) => r.key)).toEqual(expect.arrayContaining(['default:days_of_cover', 'default:odr', 'default:pace', 'default:freshness', 'default:sudden_change:gmv']));
    firstDump = await demoDump(database);
  });

  it('puts the promo peak, stockout, ad spike and service dip where the story says', async () => {
    const story = buildStory(SEED, addDays(A1, -179), A1);
    expect(story.promoPeaks.length).toBeGreaterThan(0);
    for (const p of story.promoPeaks) {
      const days = await database.query<{ date: string; gmv: string }>(sql`
        select date::text as date, sum(gross_sales) as gmv from fact_sales_daily where workspace_id = 'demo' and store_id = ${p.store} group by 1`);
      const peak = Number(days.find((d) => d.date === p.date)!.gmv);
      expect(peak, `${p.store} ${p.event}`).toBeGreaterThan(1.8 * median(days.map((d) => Number(d.gmv))));
    }

    expect(story.stockout.days.length).toBeGreaterThanOrEqual(3);
    const out = await database.query<{ date: string; available: number; units: number }>(sql`
      select i.snapshot_date::text as date, i.on_hand_units - i.reserved_units as available, s.units_ordered as units
      from fact_inventory_daily i join fact_sales_daily s on s.workspace_id = i.workspace_id and s.store_id = i.store_id and s.sku_id = i.sku_id and s.date = i.snapshot_date
      where i.workspace_id = 'demo' and i.store_id = ${story.stockout.store} and i.sku_id = ${story.stockout.sku} and i.warehouse_id = ${story.stockout.warehouse}`);
    for (const d of story.stockout.days) expect(out.find((r) => r.date === d), d).toMatchObject({ available: 0, units: 0 });
    // A selling SKU: it sells on most other days.
    expect(out.filter((r) => !story.stockout.days.includes(r.date) && r.units > 0).length).toBeGreaterThan(150);

    expect(story.adSpike.days.length).toBeGreaterThan(0);
    const spend = await database.query<{ date: string; spend: string }>(sql`
      select date::text as date, sum(spend) as spend from fact_ads_daily where workspace_id = 'demo' and store_id = ${story.adSpike.store} group by 1`);
    const medianSpend = median(spend.map((s) => Number(s.spend)));
    for (const d of story.adSpike.days) expect(Number(spend.find((s) => s.date === d)!.spend), d).toBeGreaterThanOrEqual(2 * medianSpend);

    expect(story.serviceDip.days.length).toBeGreaterThan(0);
    const service = await database.query<{ date: string; late: number; response: number }>(sql`
      select date::text as date, shipped_late::float / nullif(orders_shipped, 0) as late,
        first_response_minutes_sum::float / nullif(threads_first_responded, 0) as response
      from fact_service_daily where workspace_id = 'demo' and store_id = ${story.serviceDip.store}`);
    const lateMedian = median(service.map((s) => s.late));
    const responseMedian = median(service.map((s) => s.response));
    for (const d of story.serviceDip.days) {
      const row = service.find((s) => s.date === d)!;
      expect(row.late, d).toBeGreaterThan(3 * lateMedian);
      expect(row.response, d).toBeGreaterThan(2 * responseMedian);
    }

    // Standing issues on the anchor: low cover, an aged slow mover, ODR past 0.7 %, ROAS below break-even.
    const cover = async (store: string, sku: string) => (await database.query<{ doc: number; aged: number }>(sql`
      select (select sum(on_hand_units - reserved_units) from fact_inventory_daily where workspace_id = 'demo' and store_id = ${store} and sku_id = ${sku} and snapshot_date = ${A1})
        / ((select sum(units_ordered) from fact_sales_daily where workspace_id = 'demo' and store_id = ${store} and sku_id = ${sku} and date > ${A1}::date - 30 and date <= ${A1}) / 30.0)::float as doc,
        (select sum(age_91_180 + age_181_365 + age_365_plus)::float / sum(on_hand_units) from fact_inventory_daily
          where workspace_id = 'demo' and store_id = ${store} and sku_id = ${sku} and snapshot_date = ${A1}) as aged`))[0]!;
    expect((await cover(story.lowCover.store, story.lowCover.sku)).doc).toBeLessThan(14);
    const slow = await cover(story.slowMover.store, story.slowMover.sku);
    expect(slow.doc).toBeGreaterThan(120);
    expect(slow.aged).toBeGreaterThan(0.4);
    const [odr] = await database.query<{ odr: number }>(sql`select sum(defect_orders)::float / sum(orders_distinct) as odr from fact_service_daily
      where workspace_id = 'demo' and store_id = ${story.highOdrStore} and date > ${A1}::date - 60 and date <= ${A1}`);
    expect(odr!.odr).toBeGreaterThanOrEqual(0.007);
    expect(odr!.odr).toBeLessThan(0.01);
    // Break-even ACoS = (contribution profit + ad spend) / net sales over the alert's 7 days.
    const ads7 = async (store: string) => (await database.query<{ acos: number; break_even: number }>(sql`
      select (select sum(spend) / sum(attributed_sales) from fact_ads_daily where workspace_id = 'demo' and store_id = ${store} and date > ${A1}::date - 7 and date <= ${A1})::float as acos,
        (select (sum(gross_sales) - sum(refund_amount) - sum(cogs) - sum(platform_fees) - sum(promo_fees) - sum(fulfillment_fees) - sum(first_leg_cost) - sum(storage_fees))
          / (sum(gross_sales) - sum(refund_amount)) from fact_sales_daily where workspace_id = 'demo' and store_id = ${store} and date > ${A1}::date - 7 and date <= ${A1})::float as break_even`))[0]!;
    const lowRoas = await ads7(story.lowRoasStore);
    expect(1 / lowRoas.acos).toBeLessThan(1 / lowRoas.break_even);
    expect(1 / lowRoas.acos).toBeGreaterThan(1.5);
    const highAcos = await ads7(story.highAcosStore);
    expect(highAcos.acos).toBeGreaterThan(highAcos.break_even);
    expect(highAcos.acos).toBeLessThan(0.5);
  });

  it('shows red, amber and green goals on the first anchor', async () => {
    const paces = await goalColours(database, A1);
    const periods = new Set(paces.map((p) => p.period.split(':')[0]));
    expect(periods).toEqual(new Set(['month', 'quarter', 'custom']));
    expectAllColours(paces);
  });

  it('gives the same rows for the same (seed, anchor), other rows for another seed', { timeout: 120_000 }, async () => {
    await purgeDemo(database);
    await timedSeed(database, engine, A1);
    expect(await demoDump(database)).toEqual(firstDump);
    await purgeDemo(database);
    await timedSeed(database, engine, A1, SEED + 1);
    const other = await demoDump(database);
    expect(other.fact_sales_daily!.md5).not.toBe(firstDump.fact_sales_daily!.md5);
    expect(other.fact_ads_daily!.md5).not.toBe(firstDump.fact_ads_daily!.md5);
  });

  it('rolls forward into exactly the rows a later seed makes, with the new period goals', { timeout: 300_000 }, async () => {
    await purgeDemo(database);
    await timedSeed(database, engine, '2026-03-30');
    const rolled = await rollDemoForward(database, { today: addDays(A2, 1) });
    expect(rolled).toMatchObject({ status: 'rolled', from: '2026-03-31', anchor: A2, days: 3 });
    expect(await rollDemoForward(database, { today: addDays(A2, 1) })).toMatchObject({ status: 'current' });
    const overlapFrom = addDays(A2, -179);
    const afterRoll = await factDigests(database, overlapFrom, A2);
    for (const [table, d] of Object.entries(afterRoll)) expect(d.rows, table).toBeGreaterThan(table === 'fx_rates' ? 800 : 1000);
    const rolledSkus = await database.query<{ id: string; r: string }>(sql`
      select id, (to_jsonb(s) - array['created_at', 'updated_at'])::text as r from skus s where workspace_id = 'demo'`);
    const goalPeriods = await database.query<{ period_id: string; status: string }>(sql`
      select distinct period_id, status from goals where workspace_id = 'demo' order by 1`);
    expect(goalPeriods).toEqual(expect.arrayContaining([
      { period_id: 'month:2026-03', status: 'closed' }, { period_id: 'quarter:2026-Q1', status: 'closed' },
      { period_id: 'month:2026-04', status: 'active' }, { period_id: 'quarter:2026-Q2', status: 'active' },
    ]));
    const items = await digest(database, 'content_items', `workspace_id = 'demo' and published_at >= '${overlapFrom}' and published_at < '${A2}'`);

    await purgeDemo(database);
    await timedSeed(database, engine, A2);
    expect(await factDigests(database, overlapFrom, A2)).toEqual(afterRoll);
    expect(await digest(database, 'content_items', `workspace_id = 'demo' and published_at >= '${overlapFrom}' and published_at < '${A2}'`)).toEqual(items);
    const freshSkus = await database.query<{ id: string; r: string }>(sql`
      select id, (to_jsonb(s) - array['created_at', 'updated_at'])::text as r from skus s where workspace_id = 'demo'`);
    const rolledById = new Map(rolledSkus.map((s) => [s.id, s.r]));
    for (const s of freshSkus) expect(rolledById.get(s.id), s.id).toBe(s.r);

    // The 2nd of a quarter: month and quarter are grey, the custom 30-day goals carry the colours.
    const paces = await goalColours(database, A2);
    expect(paces.filter((p) => !p.period.startsWith('custom')).every((p) => p.rag === 'grey')).toBe(true);
    expectAllColours(paces);
  });

  it('shows red, amber and green goals on a third anchor in another month', { timeout: 120_000 }, async () => {
    await purgeDemo(database);
    await timedSeed(database, engine, A3);
    expectAllColours(await goalColours(database, A3));
  });

  it('purges the demo and nothing else; real workspaces never get demo rows', { timeout: 120_000 }, async () => {
    await purgeDemo(database);
    await database.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('acme', 'Acme', 'UTC', 'USD', 'en')`);
    await database.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('acme', 'us-main', 'Acme US', 'amazon', 'US', 'USD', 'UTC')`);
    await database.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source)
      values ('acme', ${A1}, 'us-main', 'A-1', 'fba', 3, '29.97', 'USD', 'manual')`);
    const tables = await workspaceTables(database);
    const acmeCounts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(database, `select count(*) as n from ${t} where workspace_id = 'acme'`)])));
    const before = await acmeCounts();
    await timedSeed(database, engine, A1);
    expect(await acmeCounts()).toEqual(before);
    expect(await count(database, `select count(*) as n from fact_sales_daily where workspace_id = 'demo'`)).toBeGreaterThan(10_000);

    await purgeDemo(database);
    expect(await acmeCounts()).toEqual(before);
    for (const t of tables) expect(await count(database, `select count(*) as n from ${t} where workspace_id = 'demo'`), t).toBe(0);
    expect(await count(database, `select count(*) as n from workspaces`)).toBe(1);
    expect(await count(database, `select count(*) as n from audit_log where workspace_id = 'demo' and action = 'purge'`)).toBeGreaterThan(0);
    await expect(purgeDemo(database)).rejects.toThrow(/no demo workspace/);
  });
});
