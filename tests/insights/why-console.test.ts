/**
 * "Why did it move" through the console on the demo, as a person asks it: `why gmv 7d`,
 * `为什么 GMV 下降` (with and without a space) give a card whose numbers are the API's, whose
 * drivers are traffic, conversion and order value, with the stores and SKUs behind the change
 * and a bridge chart. On the demo's story it finds the ad spike (ACoS at us-main) and the
 * stockout (the SKU that stopped selling). Also: ratios it cannot split are refused with the
 * list of what it can, profit stays out of group chats, and KPI cards mark provisional values.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStory } from '../../src/demo/story.ts';
import { explainChange } from '../../src/insights/why/explain.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { ENGINES, dropCreatedDatabases } from '../helpers/db.ts';
import { apiKpi, chatLog, closeDemoWorld, field, lastSeq, openDemoWorld, resetRateBuckets, say, shows, visible, type DemoWorld, type Msg } from '../integration/bot-kpi-helpers.ts';

afterAll(dropCreatedDatabases);

/** The text blocks of a card, one string. */
const body = (m: Msg) => m.card!.blocks.filter((b) => b.type === 'text').map((b) => b.markdown).join('\n');
/** `• key: +¥1.2K · 45 % of the change` lines under a heading. */
function section(m: Msg, heading: string): { key: string; change: string; share: string }[] {
  const text = body(m);
  const start = text.indexOf(`**${heading}**`);
  if (start < 0) return [];
  const lines = text.slice(start).split('\n').slice(1);
  const out: { key: string; change: string; share: string }[] = [];
  for (const line of lines) {
    const x = /^• (\S+): (\S+) · (?:占变化 )?(\S+ %)/.exec(line);
    if (!x) break;
    out.push({ key: x[1]!, change: x[2]!, share: x[3]! });
  }
  return out;
}

/** `• Traffic (sessions): 173K → 150K (-13.4 %) ⇒ -¥181K · 630.1 % of the change` lines. */
function drivers(m: Msg): { name: string; effect: string; share: string }[] {
  const text = body(m);
  return [...text.matchAll(/^• (.+?): .+ ⇒ (\S+) · (?:占变化 )?(\S+ %)/gm)].map((x) => ({ name: x[1]!, effect: x[2]!, share: x[3]! }));
}

describe.each(ENGINES)('why did it move in the console on %s', (engine) => {
  let w: DemoWorld;
  let story: ReturnType<typeof buildStory>;
  beforeAll(async () => {
    w = await openDemoWorld(engine);
    const [ws] = await w.database.query<{ seed: number; anchor: string }>(sql`select demo_seed as seed, demo_anchor::text as anchor from workspaces where id = 'demo'`);
    story = buildStory(ws!.seed, addDays(ws!.anchor, -179), ws!.anchor);
  }, 180_000);
  afterAll(() => closeDemoWorld(w));
  beforeEach(() => resetRateBuckets(w.database));

  it('why gmv 7d: the API’s numbers, traffic × conversion × order value, stores and SKUs, a chart', async () => {
    const [m] = await say(w.app, '@alice', 'alice', 'why gmv 7d');
    expect(m!.card!.title).toMatch(/^Why GMV (fell|rose) · Last 7 days$/);
    const api = await apiKpi(w.app, 'metrics=gmv&period=last_7d&compare=prev');
    const [now] = field(m!, 'GMV')!.split(' (');
    expect(shows(now!, api.total.gmv!)).toBe(true);
    expect(shows(field(m!, 'Before')!, api.compare!.total.gmv!)).toBe(true);
    expect(shows(field(m!, 'Change')!.replace('+', ''), api.total.gmv! - api.compare!.total.gmv!)).toBe(true);
    // The drivers are named, and they add up to the change (checked on the same numbers).
    expect(drivers(m!).map((x) => x.name)).toEqual(['Traffic (sessions)', 'Conversion (orders ÷ sessions)', 'Average order value']);
    const loopback = { kind: 'loopback' as const, workspaceId: 'demo', role: 'admin' as const, scope: { all: true as const }, memberAccess: 'sales' as const, operatorSeesMargins: true, operatorSeesCogs: true };
    const a = await explainChange(w.database, { workspaceId: 'demo', metric: 'gmv', period: 'last_7d', principal: loopback });
    expect(a.drivers.reduce((s, d) => s + d.effect, 0)).toBeCloseTo(a.change!, 6);
    expect(a.change).toBeCloseTo(api.total.gmv! - api.compare!.total.gmv!, 6);
    // Stores and SKUs: the three largest moves, in that order, each with its share.
    expect(section(m!, 'Stores').map((x) => x.key)).toEqual(a.stores.top.map((c) => c.key));
    expect(section(m!, 'SKUs').map((x) => x.key)).toEqual(a.skus.top.map((c) => c.key));
    for (const [i, c] of a.stores.top.entries()) expect(section(m!, 'Stores')[i]!.share).toBe(`${Math.round(c.share! * 1000) / 10} %`);
    expect(body(m!)).toMatch(/^Mainly (Traffic|Conversion|Average order value)/m);
    expect(m!.card!.blocks.find((b) => b.type === 'image')).toBeDefined();
    expect(m!.card!.fallbackText).toContain('Before:');
  });

  it('为什么 GMV 下降, with or without a space: the same card in Chinese', async () => {
    const [spaced] = await say(w.app, '@alice', 'alice', '为什么 GMV 下降');
    const [glued] = await say(w.app, '@alice', 'alice', '为什么GMV下降');
    for (const m of [spaced!, glued!]) {
      expect(m.card!.title).toMatch(/^GMV 为什么(下降|上升) · 近7天$/);
      expect(drivers(m).map((x) => x.name)).toEqual(['流量', '转化率', '客单价']);
      expect(section(m, '店铺贡献').length).toBeGreaterThan(0);
      expect(body(m)).toMatch(/^主要因为/m);
    }
    expect(body(glued!)).toBe(body(spaced!));
  });

  it('finds the demo’s ad spike: ACoS at us-main', async () => {
    const spike = [...story.adSpike.days].reverse().find((d) => d > addDays(story.from, 1))!;
    const [m] = await say(w.app, '@alice', 'alice', `why ad_spend ${spike}`);
    expect(m!.card!.title).toMatch(/^Why Ad spend rose/);
    expect(body(m!)).toMatch(/^Mainly ACoS .*biggest rise at us-main/m);
    const [top] = section(m!, 'Stores');
    expect(top!.key).toBe('us-main');
    expect(parseFloat(top!.share)).toBeGreaterThan(50);
  });

  it('finds the demo’s stockout: the SKU that stopped selling', async () => {
    const out = story.stockout;
    const start = out.days.find((d) => !out.days.includes(addDays(d, -1)) && d >= addDays(story.from, 14))!;
    const [m] = await say(w.app, '@alice', 'alice', `why gmv ${start}..${addDays(start, 6)} store:${out.store}`);
    const [sku] = section(m!, 'SKUs');
    expect(sku!.key).toBe(out.sku);
    expect(sku!.change.startsWith('-')).toBe(true);
  });

  it('refuses what it cannot explain; in groups shows only what the chat and the asker may see', async () => {
    const [ratio] = await say(w.app, '@alice', 'alice', 'why cvr 7d');
    expect(ratio!.card!.title).toBe('Cannot explain this metric');
    expect(body(ratio!)).toContain('gmv, orders, ad_sales, ad_spend, acos');
    const [unknown] = await say(w.app, '@alice', 'alice', 'why gvm 7d');
    expect(unknown!.card!.title).toBe('Not understood');
    // Finance asks about profit in a group: a notice without numbers there, the answer by DM.
    const dmBefore = await lastSeq(w.app, '@dave');
    const [notice] = await say(w.app, 'general', 'dave', 'why net_profit 7d');
    expect(visible(notice!)).toMatch(/已私信|Sent you a DM/);
    expect(visible(notice!)).not.toMatch(/\d/);
    const [privately] = (await chatLog(w.app, '@dave', dmBefore)).filter((m) => !m.userId);
    expect(privately!.card!.title).toMatch(/净利润|Net profit/);
    expect(drivers(privately!)).toEqual([]); // net profit has no driver identity: stores and SKUs only
    expect(section(privately!, '店铺贡献').length + section(privately!, 'Stores').length).toBeGreaterThan(0);
    // A guest gets nothing; an operator in a group only her own store.
    const [guest] = await say(w.app, 'general', 'guest', 'why net_profit 7d');
    expect(guest!.card!.title).toMatch(/^(无权限|Not permitted)$/);
    const [carol] = await say(w.app, 'general', 'carol', 'why gmv 7d');
    expect([...section(carol!, '店铺贡献'), ...section(carol!, 'Stores')].map((x) => x.key)).toEqual(['us-main']);
  });

  it('marks provisional values on KPI cards: ACoS of the last 3 days, not GMV', async () => {
    const [m] = await say(w.app, '@alice', 'alice', 'acos gmv 7d');
    const lastDays = ['America/Los_Angeles', 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Singapore', 'Asia/Kuala_Lumpur'].map((tz) => addDays(localDate(tz, new Date()), -1)).sort();
    const until = addDays(lastDays.at(-1)!, 3);
    expect(field(m!, 'ACoS')).toContain(`(provisional until ${Number(until.slice(5, 7))}/${Number(until.slice(8, 10))})`);
    expect(field(m!, 'GMV')).not.toContain('provisional');
    expect(m!.card!.blocks.some((b) => b.type === 'note' && b.text?.startsWith('Provisional:'))).toBe(true);
  });
});
