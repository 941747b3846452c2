/**
 * The weekly review pack: the card in chat (period summary, goals vs pace, best and worst stores,
 * sections added by later features through the seam), the long image button, and the REST
 * export as PNG and PDF that actually open.
 */
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { text } from '../../src/bot/card.ts';
import type { Database } from '../../src/db/client.ts';
import { buildReviewPack } from '../../src/digests/review-pack.ts';
import { createGoalSource } from '../../src/digests/goal-source.ts';
import { targetForChat } from '../../src/digests/target.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { prepareFonts } from '../helpers/render.ts';
import { NOW, seedDigestWorkspace } from './digest-fixture.ts';
import { digestWorld } from './digest-world.ts';

afterAll(dropCreatedDatabases);
prepareFonts();

describe.each(ENGINES)('review pack on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await seedDigestWorkspace(x);
    // A third store so the pack has best and weakest lists: 16–22 Nov GMV 500 vs 9–15 Nov 100.
    await x.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, region, currency, timezone, team_id) values
      ('w', 'big', 'Big Store', 'amazon', 'CN', '中国', 'USD', 'Asia/Shanghai', 'amz'), ('w', 'tiny', 'Tiny Store', 'amazon', 'CN', '中国', 'USD', 'Asia/Shanghai', 'amz')`);
    await x.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, currency, source) values
      ('w', '2026-11-18', 'big', 'C', 'fba', 5, 5, 500, 'USD', 'api'), ('w', '2026-11-10', 'big', 'C', 'fba', 1, 1, 100, 'USD', 'api'),
      ('w', '2026-11-17', 'tiny', 'D', 'fba', 1, 1, 5, 'USD', 'api'), ('w', '2026-11-11', 'tiny', 'D', 'fba', 1, 1, 10, 'USD', 'api')`);
  });

  it('lists the week’s KPIs, goals against pace, best and weakest stores, and sections from later features', async () => {
    const t = (await targetForChat(d, { platform: 'console', tenantKey: 'console', chatId: 'g1' }))!;
    const alertsSection = { id: 'alerts', build: async () => ({ title: '预警与原因', blocks: [text('#1 ACoS 过高 · 原因：竞品降价')] }) };
    const silent = { id: 'scores', build: async () => null };
    const pack = await buildReviewPack({ database: d, goals: createGoalSource(d), sections: [alertsSection, silent] }, t, { teamId: 'amz', period: 'last_week', now: NOW });
    expect(pack.title).toBe('周会复盘 · 亚马逊组 · 11-16 – 11-22');
    const all = pack.card.fallbackText;
    // Week 47 (16–22 Nov) for every store, each up to its last complete day: us 150 (its 22nd has
    // not closed in Los Angeles, so the 999 is out), cn 60, big 500, tiny 5 = 715; week 46: us 100,
    // cn 80, big 100, tiny 10 = 290 → +146.6 %.
    expect(all).toContain('GMV: $715 (+146.6 %)');
    // Big and Tiny stop on the 18th and 17th: stale data turns the team goal grey (glossary §3.4).
    expect(all).toContain('⚪ 灰 GMV · 亚马逊组');
    // Ads never arrived: TACoS is listed as not imported, never 0 %.
    expect(all).toContain('待导入: ACoS、TACoS');
    expect(all).not.toContain('TACoS: 0');
    expect(all).toContain('表现最好的店铺（GMV）\n- Big Store $500 (+400 %)\n- US Store $150 (+50 %)\n- CN Store $60 (-25 %)');
    expect(all).toContain('表现最弱的店铺（GMV）\n- Tiny Store $5 (-50 %)');
    expect(all).toContain('只计到其最近完整的一天');
    expect(all).toContain('预警与原因\n#1 ACoS 过高 · 原因：竞品降价');
    expect(pack.cards.map((c) => c.title)).toEqual([pack.title, '预警与原因']);
  });

  it('answers `review pack` in chat and its Long image button with one tall picture', async () => {
    const w = digestWorld(d, NOW.toISOString());
    const [card] = await w.say('g1', 'bob', '复盘 团队:amz 上周');
    expect(card?.card?.title).toBe('周会复盘 · 亚马逊组 · 11-16 – 11-22');
    const [long] = await w.click('g1', 'bob', card!, 'digest.review_image');
    const img = long?.card?.blocks.find((b) => b.type === 'image') as { url: string; height: number } | undefined;
    // The console shows its own images by same-origin paths (adapters/console/adapter.ts).
    expect(img?.url).toMatch(/^\/images\/[A-Za-z0-9_-]{22}\.png$/);
    expect(img!.height).toBeGreaterThan(300);
    expect(textOf(await w.say('open', 'bob', 'review pack team:nope'))).toContain('No team "nope"');
  });

  it('exports the pack over REST as a PNG and a PDF that open', async () => {
    const { app } = await buildTestApp(d);
    const png = await app.inject({ method: 'GET', url: '/api/v1/digests/review-pack?workspace=w&team=amz&format=png' });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const meta = await sharp(png.rawPayload).metadata();
    expect(meta.format).toBe('png');
    expect(meta.height!).toBeGreaterThan(600);
    const pdf = await app.inject({ method: 'GET', url: '/api/v1/digests/review-pack?workspace=w&team=amz&format=pdf&period=this_month' });
    expect(pdf.statusCode).toBe(200);
    const doc = await PDFDocument.load(pdf.rawPayload);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/digests/review-pack?workspace=w&team=nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found', field: 'team' });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/digests/review-pack?workspace=w&team=amz&period=yesterday' });
    expect(bad.statusCode).toBe(400);
  });
});

function textOf(ms: { card?: { fallbackText: string } | null; text?: string | null }[]): string {
  return ms.map((m) => m.card?.fallbackText ?? m.text ?? '').join('\n');
}
