/**
 * The daily digest card against numbers worked out by hand from tests/integration/digest-fixture.ts:
 * each store's own "yesterday", month to date, goal pace and RAG, movers, datasets not imported,
 * the setup hint of an empty workspace, and both languages.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/bot/card.ts';
import type { Database } from '../../src/db/client.ts';
import { buildDigest } from '../../src/digests/build.ts';
import { createGoalSource } from '../../src/digests/goal-source.ts';
import { targetForChat } from '../../src/digests/target.ts';
import { createChartRenderer } from '../../src/render/index.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { prepareFonts } from '../helpers/render.ts';
import { NOW, seedDigestWorkspace } from './digest-fixture.ts';

afterAll(dropCreatedDatabases);
prepareFonts();
const charts = createChartRenderer({});

const fieldsOf = (c: Card) => Object.fromEntries(c.blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => [f.label, f.value]) : [])));
const texts = (c: Card) => c.blocks.flatMap((b) => (b.type === 'text' ? [b.markdown] : b.type === 'note' ? [b.text] : []));

describe.each(ENGINES)('daily digest on %s', (engine) => {
  let d: Database;
  describe('with data', () => {
    databaseHooks(engine, (x) => (d = x), (x) => seedDigestWorkspace(x));

    async function digest(chatId: string, kpis: string[] | null = ['gmv', 'orders', 'acos']) {
      const t = await targetForChat(d, { platform: 'console', tenantKey: 'console', chatId });
      return buildDigest({ database: d, charts, goals: createGoalSource(d) }, t!, { cadence: 'daily', now: NOW, kpis });
    }

    it('shows each store’s own yesterday, month to date, goal pace and RAG, movers and what is not imported', async () => {
      const built = await digest('g1');
      expect(built.kind).toBe('digest');
      const c = built.card;
      expect(c.title).toBe('日报 · 亚马逊组 · 11月23日');
      // US 11-21 (LA is still on the 22nd) and CN 11-22, named per site.
      expect(texts(c)[0]).toContain('美国站 11/21；中国站 11/22');
      // GMV: 150 (us 11-21) + 60 (cn 11-22) = 210 vs 100 + 80 = 180 a week earlier: +16.7 %.
      // MTD: us 50 + 100 + 150 = 300, cn 80 + 60 = 140 → 440. The us 11-22 row (999) is not in either.
      // Team goal 1,000 for November: as_of 11-21, actual 300 + 80 = 380, expected 1000 × 21/30 = 700,
      // pace 380 / 700 = 54 % → red.
      expect(fieldsOf(c)).toEqual({
        GMV: '$210 (+16.7 % 周环比) · 本月 $440 · 进度 54 % 🔴 红',
        // Orders: 3 + 2 = 5 vs 2 + 1 = 3 (+66.7 %); MTD 1 + 2 + 3 + 1 + 2 = 9.
        订单量: '5 (+66.7 % 周环比) · 本月 9',
      });
      // ACoS needs ads, never imported: listed, not shown as 0.
      expect(texts(c)).toContain('**待导入**: 广告 (ACoS)');
      // 还需日均 (1000 − 380) / 9 remaining days = 68.89.
      expect(texts(c).find((x) => x.startsWith('**目标进度**'))).toContain('🔴 红 GMV · ');
      expect(texts(c).find((x) => x.startsWith('**目标进度**'))).toContain('进度 54 % · 还需日均 $68.89');
      // Movers of GMV week on week: us +50, cn −20.
      expect(texts(c)).toContain('**变化最大** (GMV, 周环比): US Store +$50，CN Store -$20');
      expect(c.tone).toBe('critical');
      // Two charts (trend, bars by store) inside the one card, and the More button.
      expect(c.blocks.filter((b) => b.type === 'image')).toHaveLength(2);
      const more = c.blocks.find((b) => b.type === 'actions');
      expect(more).toMatchObject({ buttons: [{ actionId: 'digest.more', label: '展开' }] });
      expect(c.fallbackText).toContain('GMV: $210');
    });

    it('leads with the team type’s KPIs when the chat chose none, at most six', async () => {
      const built = await digest('g1', null);
      // An Amazon team: gmv, orders, sessions, cvr, acos, tacos; ads are not imported.
      expect(Object.keys(fieldsOf(built.card))).toEqual(['GMV', '订单量', '流量', '转化率']);
      expect(texts(built.card)).toContain('**待导入**: 广告 (ACoS、TACoS)');
      // Sessions: us 11-21 30 + cn 11-22 50 = 80; CVR 5 / 80 = 6.3 %.
      expect(fieldsOf(built.card)['流量']).toMatch(/^80 /);
      expect(fieldsOf(built.card)['转化率']).toMatch(/^6\.3 %/);
    });

    it('names a store whose data is not complete through its last closed day, by the Data feature’s rule', async () => {
      // The last imports: us complete through 11-21, cn only through 11-20. Before 10:00 team time a
      // store must be complete through the day before its last closed day: us 11-20 (ok), cn 11-21 (late).
      const cover = (store: string, through: string) => JSON.stringify({ [store]: { from: '2026-11-01', through, rows: 3 } });
      await d.query(sql`insert into sync_runs (workspace_id, kind, dataset, source, coverage, status, started_at, finished_at) values
        ('w', 'import', 'orders', 'api', ${cover('us', '2026-11-21')}::jsonb, 'ok', '2026-11-22T23:00:00Z', '2026-11-22T23:01:00Z'),
        ('w', 'import', 'orders', 'api', ${cover('cn', '2026-11-20')}::jsonb, 'ok', '2026-11-22T23:00:00Z', '2026-11-22T23:01:00Z')`);
      const c = (await digest('g1')).card;
      expect(texts(c)).toContain('数据未更新完：CN Store 订单 11月20日（已完整到）');
    });

    it('speaks English in an English chat', async () => {
      await d.query(sql`update chats set locale = 'en' where chat_id = 'g1'`);
      const c = (await digest('g1')).card;
      expect(c.title).toBe('Daily digest · Amazon team · 23 Nov');
      expect(texts(c)[0]).toContain('US 11/21; China 11/22');
      expect(fieldsOf(c).GMV).toBe('$210 (+16.7 % WoW) · MTD $440 · pace 54 % 🔴 red');
      expect(texts(c)).toContain('**Not imported yet**: ads (ACoS)');
      expect(c.blocks.find((b) => b.type === 'actions')).toMatchObject({ buttons: [{ label: 'More' }] });
    });
  });

  describe('without data', () => {
    databaseHooks(engine, (x) => (d = x), (x) => seedDigestWorkspace(x, { withFacts: false }));

    it('gives a fresh workspace the setup hint instead of a digest of dashes', async () => {
      const t = await targetForChat(d, { platform: 'console', tenantKey: 'console', chatId: 'g1' });
      const built = await buildDigest({ database: d, charts }, t!, { cadence: 'daily', now: NOW });
      expect(built.kind).toBe('setup');
      expect(built.card.title).toBe('日报 · 还没有数据');
      expect(built.card.fallbackText).toContain('kpibot import orders.csv --dataset orders');
      expect(built.card.fallbackText).not.toMatch(/\$0|¥0/);
    });
  });
});
