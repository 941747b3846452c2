/**
 * KPI answers in chat through the console API on the demo workspace: each demo user asks the
 * architecture's example questions; the card's numbers are checked against `GET /api/v1/kpi`
 * asked with a token of the same role and scope; profit stays out of groups and away from
 * people who may not see it; charts are real PNGs; drill-down and "more" buttons work.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, dropCreatedDatabases } from '../helpers/db.ts';
import {
  apiKpi, buttonsOf, chatLog, click, closeDemoWorld, field, lastSeq, listed, openDemoWorld, relChange, resetRateBuckets, say, shows, visible,
  type DemoWorld, type Msg,
} from './bot-kpi-helpers.ts';

afterAll(dropCreatedDatabases);

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'guest'] as const;

describe.each(ENGINES)('KPI answers in chat on %s', (engine) => {
  let w: DemoWorld;
  beforeAll(async () => {
    w = await openDemoWorld(engine);
  }, 120_000);
  afterAll(() => closeDemoWorld(w));
  beforeEach(() => resetRateBuckets(w.database));

  /** The headline and every listed row equal the API's numbers for the same question. */
  async function expectSameAsApi(m: Msg, label: string, metric: string, query: string, token?: string) {
    const api = await apiKpi(w.app, query, token);
    const value = field(m, label);
    expect(value, `${m.card?.title}`).toBeDefined();
    const [shown] = value!.split(' (');
    expect(shows(shown!, api.total[metric]!), `${shown} vs ${api.total[metric]}`).toBe(true);
    const rows = listed(m);
    return { api, rows };
  }

  it('answers help for every demo user in their language', async () => {
    for (const u of USERS) {
      const [en] = await say(w.app, `@${u}`, u, 'help');
      expect(en!.card!.title).toBe('Help');
      for (const word of ['`kpi`', '`help`', '`whoami`', '`lang`', '`chart`']) expect(en!.card!.blocks[0]!.markdown).toContain(word);
      const [zh] = await say(w.app, `@${u}`, u, '帮助');
      expect(zh!.card!.title).toBe('帮助 Help');
      expect(zh!.card!.blocks[0]!.markdown).toContain('查询指标');
    }
    const [one] = await say(w.app, '@bob', 'bob', 'help chart');
    expect(one!.card!.blocks[0]!.markdown).toContain('`chart gmv 30d`');
  });

  it('gmv 7d by store: every user gets the API numbers for their own scope', async () => {
    for (const u of USERS) {
      const [m] = await say(w.app, `@${u}`, u, 'gmv 7d by store');
      expect(m!.card!.title).toBe('GMV · Last 7 days · by store');
      const token = u === 'guest' ? undefined : w.tokens[u];
      const { api, rows } = await expectSameAsApi(m!, 'GMV', 'gmv', 'metrics=gmv&period=last_7d&groupBy=store&compare=prev', token);
      expect(field(m!, 'GMV')).toContain(`(${relChange(api.total.gmv!, api.compare!.total.gmv!)} vs prev)`);
      const expected = [...api.rows].sort((a, b) => Number(b.gmv) - Number(a.gmv));
      expect(rows.map((r) => r.key)).toEqual(expected.slice(0, 10).map((r) => r.store));
      for (const r of rows) expect(shows(r.value, Number(expected[r.rank - 1]!.gmv)), `${u} ${r.key}`).toBe(true);
      // Scopes: carol sees her store only, bob his team's, erin hers, the others all ten.
      const count = { carol: 1, bob: 4, erin: 4 }[u as string] ?? 10;
      expect(rows, u).toHaveLength(count);
      const image = m!.card!.blocks.find((b) => b.type === 'image');
      expect(image, 'a chart for 7 days').toBeDefined();
      expect(m!.card!.fallbackText).toContain(rows[0]!.key);
    }
  });

  it('dates the exchange rates of converted money, and says nothing when nothing was converted', async () => {
    const [converted] = await say(w.app, '@alice', 'alice', 'gmv 7d store:us-main');
    const api = await apiKpi(w.app, 'metrics=gmv&period=last_7d&store=us-main', w.tokens.alice);
    expect(api.currency).toBe('CNY');
    const rateDay = (api as { fx?: { latestRateDay?: string } }).fx?.latestRateDay;
    expect(rateDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(visible(converted!)).toContain(`latest rate: ${rateDay}`);
    const [own] = await say(w.app, '@alice', 'alice', 'gmv 7d store:us-main in USD');
    expect(visible(own!)).not.toContain('latest rate');
  });

  it('本周 GMV 按店铺 answers in Chinese with the API numbers', async () => {
    const [m] = await say(w.app, '@bob', 'bob', '本周 GMV 按店铺');
    expect(m!.card!.title).toBe('GMV · 本周 · 按店铺');
    const { api, rows } = await expectSameAsApi(m!, 'GMV', 'gmv', 'metrics=gmv&period=this_week&groupBy=store&compare=prev', w.tokens.bob);
    expect(field(m!, 'GMV')).toMatch(/^¥[\d.]+万 \(.+ 环比\)$/);
    for (const r of rows) expect(shows(r.value, Number(api.rows.find((x) => x.store === r.key)!.gmv))).toBe(true);
  });

  it('acos this month by site in a team group: percentage points, the group’s scope', async () => {
    const [m] = await say(w.app, 'amazon-us', 'bob', 'acos this month by site');
    const { api, rows } = await expectSameAsApi(m!, 'ACoS', 'acos', 'metrics=acos&period=this_month&groupBy=marketplace&compare=prev', w.tokens.bob);
    const pp = (api.total.acos! - api.compare!.total.acos!) * 100;
    expect(field(m!, 'ACoS')).toContain(`${pp >= 0 ? '+' : '-'}${String(Math.round(Math.abs(pp) * 10) / 10)} pp vs prev`);
    expect(rows.map((r) => r.key)).toEqual(['US']);
  });

  it('上月 净利润 同比: finance gets numbers by DM, the group only a notice, a guest nothing', async () => {
    const query = 'metrics=net_profit&period=last_month&compare=yoy';
    const [dm] = await say(w.app, '@dave', 'dave', '上月 净利润 同比');
    await expectSameAsApi(dm!, '净利润', 'net_profit', query, w.tokens.dave);

    const groupBefore = await lastSeq(w.app, 'general');
    const dmBefore = await lastSeq(w.app, '@dave');
    const replies = await say(w.app, 'general', 'dave', '上月 净利润 同比');
    expect(replies).toHaveLength(1);
    const group = await chatLog(w.app, 'general', groupBefore);
    for (const m of group) expect(visible(m), 'no digits in the group').not.toMatch(/\d/);
    expect(visible(replies[0]!)).toContain('已私信');
    const [privately] = (await chatLog(w.app, '@dave', dmBefore)).filter((m) => !m.userId);
    await expectSameAsApi(privately!, '净利润', 'net_profit', query, w.tokens.dave);

    for (const chat of ['general', '@guest']) {
      const before = await lastSeq(w.app, chat);
      const [no] = await say(w.app, chat, 'guest', '上月 净利润 同比');
      expect(no!.card!.title).toBe('无权限');
      for (const m of await chatLog(w.app, chat, before)) expect(visible(m)).not.toMatch(/\d/);
    }
    // And no DM went to the guest from the group question.
    expect((await chatLog(w.app, '@guest')).filter((m) => field(m, '净利润') !== undefined)).toEqual([]);
  });

  it('an operator in a group sees only her own stores, and nothing for a store that is not hers', async () => {
    const [m] = await say(w.app, 'general', 'carol', 'gmv 7d by store');
    expect(listed(m!).map((r) => r.key)).toEqual(['us-main']);
    const [out] = await say(w.app, 'general', 'carol', 'gmv 7d store:de-main');
    expect(out!.card!.tone).toBe('warning');
    expect(visible(out!)).not.toMatch(/¥|\d/);
  });

  it('chart gmv 30d is just the chart: a real PNG and the numbers as text', async () => {
    const [m] = await say(w.app, '@erin', 'erin', 'chart gmv 30d');
    expect(m!.card!.blocks.some((b) => b.type === 'fields')).toBe(false);
    const image = m!.card!.blocks.find((b) => b.type === 'image')!;
    const png = await w.app.inject({ method: 'GET', url: new URL(image.url!, 'http://console.local').pathname }); // console image URLs are relative (same origin)
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(m!.card!.fallbackText.split('\n').length).toBeGreaterThan(5);
  });

  it('one-day answers carry numbers only', async () => {
    const [m] = await say(w.app, '@alice', 'alice', 'gmv yesterday');
    expect(m!.card!.blocks.some((b) => b.type === 'image')).toBe(false);
    await expectSameAsApi(m!, 'GMV', 'gmv', 'metrics=gmv&period=yesterday');
  });

  it('drill-down buttons: by store, then one store by SKU, then the previous period', async () => {
    const [top] = await say(w.app, '@alice', 'alice', 'gmv 7d');
    const [byStore] = await click(w.app, '@alice', 'alice', top!, 'by store');
    const stores = listed(byStore!);
    expect(stores).toHaveLength(10);
    const first = stores[0]!.key;
    const [bySku] = await click(w.app, '@alice', 'alice', byStore!, `${first} · by SKU`);
    const api = await apiKpi(w.app, `metrics=gmv&period=last_7d&compare=prev&groupBy=sku&store=${first}`);
    const skus = [...api.rows].sort((a, b) => Number(b.gmv) - Number(a.gmv));
    expect(listed(bySku!).map((r) => r.key)).toEqual(skus.slice(0, 10).map((r) => r.sku));
    expect(shows(field(bySku!, 'GMV')!.split(' (')[0]!, api.total.gmv!)).toBe(true);
    const [prev] = await click(w.app, '@alice', 'alice', top!, 'Previous period');
    const base = await apiKpi(w.app, 'metrics=gmv&period=last_7d&compare=prev');
    expect(shows(field(prev!, 'GMV')!.split(' (')[0]!, base.compare!.total.gmv!)).toBe(true);
  });

  it('long lists stop at a page with a “more” button that continues the ranking', async () => {
    const [m] = await say(w.app, '@alice', 'alice', 'gmv 30d by sku');
    expect(listed(m!)).toHaveLength(10);
    const [more] = await click(w.app, '@alice', 'alice', m!, 'More');
    const api = await apiKpi(w.app, 'metrics=gmv&period=last_30d&compare=prev&groupBy=sku');
    const ranked = [...api.rows].sort((a, b) => Number(b.gmv) - Number(a.gmv));
    expect(listed(more!).map((r) => r.rank)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(listed(more!).map((r) => r.key)).toEqual(ranked.slice(10, 20).map((r) => r.sku));
    expect(buttonsOf(more!).map((b) => b.label)).toEqual(['More']);
  });

  it('a forged or broken button value shows nothing the clicker may not see', async () => {
    const [m] = await say(w.app, 'general', 'guest', 'gmv 7d');
    const forged = JSON.stringify({ m: ['net_profit'], p: 'last_7d', l: 'en' });
    const [no] = await click(w.app, 'general', 'guest', m!, 'Previous period', forged);
    expect(no!.card!.title).toBe('Not permitted');
    expect(visible(no!)).not.toMatch(/\d/);
    const [broken] = await click(w.app, 'general', 'guest', m!, 'by store', '{"m":["gmv"],"p":"last_7d","g":"drop table"}');
    expect(broken!.text).toMatch(/no longer active|已失效/);
  });
});
