/**
 * The insight commands through the console on the demo, on both engines: `ads tags` with its
 * Done button (the card updates in place), the demo's ad spike found as 花费突增 and by
 * `anomalies`, `补货` with the low-cover SKU, the stockout SKU and an Ordered button, `health`,
 * and bad input answered with a hint (never a stack trace), `ads spend 7d` still a KPI question.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStory } from '../../src/demo/index.ts';
import { DEFAULT_DEMO_SEED } from '../../src/demo/org.ts';
import { addDays, daysBetween, localDate } from '../../src/kpi/dates.ts';
import { formatDay } from '../../src/render/index.ts';
import { ENGINES, dropCreatedDatabases } from '../helpers/db.ts';
import { buttonsOf, chatLog, click, closeDemoWorld, openDemoWorld, say, visible, type DemoWorld, type Msg } from './bot-kpi-helpers.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('insights in the console on %s', (engine) => {
  let w: DemoWorld;
  beforeAll(async () => {
    w = await openDemoWorld(engine);
  }, 120_000);
  afterAll(async () => closeDemoWorld(w));

  const now = new Date();
  const usLast = addDays(localDate('America/Los_Angeles', now), -1);
  const anchor = addDays(localDate('Asia/Shanghai', now), -1);
  const story = buildStory(DEFAULT_DEMO_SEED, addDays(anchor, -179), anchor);
  const after = async (chatId: string, m: Msg) => (await chatLog(w.app, chatId)).find((x) => x.id === m.id)!;

  it('ads tags: one card of tagged lines with the rule, and Done updates it in place', { timeout: 60_000 }, async () => {
    const [m] = await say(w.app, '@alice', 'alice', 'ads tags');
    expect(m!.card!.title).toBe('Ad tags · all stores · last 14 days');
    expect(m!.card!.fallbackText).toMatch(/降竞价 Lower bids|否定\/关停 Negate|加预算 Raise budget/);
    expect(m!.card!.fallbackText).toContain('Rules: 否定/关停 ≥ 20 clicks and 0 orders');
    const [zh] = await say(w.app, '@alice', 'alice', '广告标签 近7天 店铺:us-main');
    expect(zh!.card!.title).toBe('广告优化建议 · Amazon US 主店 · 近7天');
    const first = buttonsOf(m!)[0]!;
    expect(first.label).toBe('Done 1');
    await click(w.app, '@alice', 'alice', m!, 'Done 1');
    const updated = await after('@alice', m!);
    expect(visible(updated)).toMatch(/✓ done by (王丽|Alice Wang|alice)/);
    expect(buttonsOf(updated).map((b) => b.label)).not.toContain('Done 1');
    const [row] = await w.database.query<{ n: number }>(sql`select count(*)::int as n from insight_actions where kind = 'ad_tag' and action = 'done'`);
    expect(Number(row!.n)).toBe(1);
  });

  it('finds the demo ad spike as 花费突增 on its campaign and as an ad_spend anomaly', { timeout: 60_000 }, async () => {
    // The latest spike with eight weeks of data before it (the weekday baseline's lookback).
    const spike = [...story.adSpike.days].reverse().find((d) => d >= addDays(story.from, 56))!;
    expect(spike).toBeDefined();
    const n = daysBetween(spike, usLast) + 1;
    const [m] = await say(w.app, '@alice', 'alice', `ads tags ${n}d store:us-main`);
    const text = visible(m!);
    const label = formatDay(spike, 'en', { weekday: true });
    expect(text).toMatch(new RegExp(`花费突增 Spend spike\\*?\\*? us-main · [^\\n]*\\n${label} spend`));
    const [a] = await say(w.app, '@alice', 'alice', 'anomalies ad spend 180d store:us-main');
    expect(a!.card!.title).toBe('Anomalies · Ad spend · Amazon US 主店 · last 180 days');
    expect(visible(a!)).toContain(`${label} `);
    expect(visible(a!)).toMatch(/expected .+ · z \+\d+\.\d/);
  });

  it('补货: low-cover SKUs with quantity and owner, the stockout, capacity, and Ordered', { timeout: 60_000 }, async () => {
    const lastOut = story.stockout.days.at(-1)!;
    const days = daysBetween(lastOut, usLast) + 1;
    const [m] = await say(w.app, '@alice', 'alice', `补货 ${days}天`);
    expect(m!.card!.title).toBe('补货建议 · 全部店铺');
    const text = visible(m!);
    // The demo's low-cover SKU is under 14 days of cover on every date; its owner is carol (陈晨).
    expect(text).toMatch(new RegExp(`\\*\\*${story.lowCover.sku}\\*\\*[^\\n]*补 \\*\\*[\\d,]+\\*\\* 件 · 可售 \\d+\\.\\d 天 · 陈晨`));
    expect(text).toContain(`**${story.stockout.sku}**`);
    expect(text).toMatch(new RegExp(`${story.stockout.sku}\\*\\* [^\\n]*（us-main）：断货 \\d+ 天，最近 ${formatDay(lastOut, 'zh')}`));
    expect(text).toContain('仓容利用率');
    const ordered = buttonsOf(m!).find((b) => /^已下单 \d+$/.test(b.label))!;
    expect(ordered).toBeDefined();
    await click(w.app, '@alice', 'alice', m!, ordered.label);
    expect(visible(await after('@alice', m!))).toContain('已下单');
    const [row] = await w.database.query<{ q: number | null }>(sql`select quantity as q from insight_actions where kind = 'reorder'`);
    expect(Number(row!.q)).toBeGreaterThan(0);
    // In the amazon-us team group: that team's stores only.
    const [g] = await say(w.app, 'amazon-us', 'bob', '补货');
    expect(g!.card!.title).toBe('补货建议 · 本团队店铺');
    expect(visible(g!)).not.toMatch(/shopee|lazada|tiktok-us|jp-main/);
  });

  it('health: ad and account health per store with their parts', { timeout: 60_000 }, async () => {
    const [m] = await say(w.app, '@alice', 'alice', 'health store:us-main');
    expect(m!.card!.title).toBe('Health scores · Amazon US 主店 · last 30 days');
    expect(visible(m!)).toMatch(/Ad health \*\*\d+\.\d\*\* \([SABC]\): ACoS/);
    expect(visible(m!)).toMatch(/Account health \*\*\d+\.\d\*\* \([SABC]\)/);
  });

  it('REST: the same data for the caller, 400 with the reason for bad input', { timeout: 60_000 }, async () => {
    const get = async (url: string, token?: string) => w.app.inject({ method: 'GET', url: `/api/v1/insights/${url}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const spike = [...story.adSpike.days].reverse().find((d) => d >= addDays(story.from, 56))!;
    const an = await get('anomalies?metric=ad_spend&period=last_180d&store=us-main');
    expect(an.statusCode).toBe(200);
    const us = an.json().stores[0];
    expect(us.store).toBe('us-main');
    expect(us.anomalies).toContain(spike);
    expect(us.days.find((d: { date: string }) => d.date === spike)).toMatchObject({ anomalous: true, direction: 'up', baseline: { status: 'ok' } });
    const tags = (await get('ad-tags?period=last_14d')).json();
    expect(tags.tags.length).toBeGreaterThan(0);
    expect(tags.tags[0]).toHaveProperty('tag.kind');
    const rep = (await get('replenishment?store=us-main')).json();
    expect(rep.lines.map((l: { skuId: string }) => l.skuId)).toContain(story.lowCover.sku);
    const health = (await get('health?store=us-main&period=last_30d')).json();
    expect(health.stores[0].ads.score).toBeGreaterThan(0);
    // carol operates us-main only: another store is simply not hers to read.
    expect((await get('health?store=shopee-sg', w.tokens.carol)).json().stores).toEqual([]);
    for (const [url, field] of [['anomalies?metric=nope', 'metric'], ['anomalies?metric=gmv&period=this_month', 'period'], ['ad-tags?period=last_999d', 'period'], ['anomalies', 'metric']] as const) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.body, url).toContain(field);
    }
  });

  it('answers bad input with a hint, scope refusals politely, and leaves `ads spend` to the KPI parser', { timeout: 60_000 }, async () => {
    const [a] = await say(w.app, '@alice', 'alice', '补货 foo');
    expect(a!.card!.title).toBe('没看懂');
    expect(visible(a!)).toContain('看不懂“foo”');
    const [b] = await say(w.app, '@alice', 'alice', 'anomalies 30d');
    expect(visible(b!)).toContain('Name a metric');
    const [c] = await say(w.app, '@alice', 'alice', 'anomalies gmv 999d');
    expect(visible(c!)).toContain('at most 366 days');
    const [e] = await say(w.app, '@alice', 'alice', 'ads tags store:nowhere');
    expect(visible(e!)).toMatch(/No store "nowhere"/);
    const [f] = await say(w.app, 'amazon-us', 'bob', 'ads tags store:shopee-sg');
    expect(visible(f!)).toContain('may not see');
    const [g] = await say(w.app, '@alice', 'alice', 'ads spend 7d');
    expect(g!.card!.title).not.toMatch(/Not understood|Ad tags/);
    expect(visible(g!)).toMatch(/Ad spend|广告花费/);
    const forged = await click(w.app, '@alice', 'alice', { ...a!, card: { ...a!.card!, blocks: [{ type: 'actions', buttons: [{ actionId: 'insights.ad_done', label: 'x', value: '{"bad":1}' }] }] } }, 'x');
    expect(visible(forged.at(-1)!)).toContain('这个按钮已失效');
    // A value naming a tag this chat does not see is refused and records nothing.
    const before = await w.database.query<{ n: number }>(sql`select count(*)::int as n from insight_actions`);
    const value = JSON.stringify({ a: ['tags'], k: 'ad_group:shopee-sg-search-sg-kt-001', t: 'lower_bid', d: '2026-01-01', l: 'en' });
    const other = await click(w.app, 'amazon-us', 'bob', { ...a!, card: { ...a!.card!, blocks: [{ type: 'actions', buttons: [{ actionId: 'insights.ad_done', label: 'x', value }] }] } }, 'x');
    expect(visible(other.at(-1)!)).toContain('That tag no longer applies here.');
    expect(await w.database.query<{ n: number }>(sql`select count(*)::int as n from insight_actions`)).toEqual(before);
  });

  it('thresholds: everyone sees them, only an admin sets one (audited, range-checked)', { timeout: 60_000 }, async () => {
    const [c] = await say(w.app, '@carol', 'carol', 'insights set adTagMinClicks 30');
    expect(visible(c!)).toContain('Only an admin');
    const [bad] = await say(w.app, '@alice', 'alice', 'insights set coverThresholdDays 999');
    expect(visible(bad!)).toContain('coverThresholdDays takes 1 to 365');
    const [ok] = await say(w.app, '@alice', 'alice', 'insights set adBudgetCappedShare 90%');
    expect(visible(ok!)).toContain('adBudgetCappedShare: 0.95 → 0.9');
    const [shown] = await say(w.app, '@carol', 'carol', 'insights settings');
    expect(visible(shown!)).toContain('adBudgetCappedShare: 0.9');
    const audit = await w.database.query<{ after: unknown }>(sql`select after from audit_log where entity = 'workspace' and after ? 'insights.adBudgetCappedShare'`);
    expect(audit.map((a) => a.after)).toEqual([{ 'insights.adBudgetCappedShare': 0.9 }]);
  });
});
