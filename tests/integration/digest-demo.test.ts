/**
 * The demo's morning digest in the console (issue "Done when"): `digest now` in `amazon-us`
 * queues the team's digest, the app's outbox posts it, and the console lists one card with the
 * team's KPIs, two charts, the More button and the demo note; `digest now` in bob's DM is his
 * personal brief, and the demo seeds a daily subscription for every bound console group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { seedDemo } from '../../src/demo/lifecycle.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { dropCreatedDatabases, ENGINES, openTestDatabase } from '../helpers/db.ts';
import { prepareFonts } from '../helpers/render.ts';

afterAll(dropCreatedDatabases);
prepareFonts();

type Msg = { id: string; text?: string; card?: { title: string; fallbackText: string; blocks: { type: string; buttons?: { label: string }[]; text?: string }[] } };

describe.each(ENGINES)('demo digest in the console on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seedDemo(d, { anchor: addDays(localDate('Asia/Shanghai', new Date()), -1) });
  });
  afterAll(async () => d?.close());

  async function waitFor(app: Awaited<ReturnType<typeof buildTestApp>>['app'], chatId: string, pred: (m: Msg) => boolean): Promise<Msg> {
    for (let i = 0; i < 200; i++) {
      const all = (await app.inject({ method: 'GET', url: `/console/api/messages?chatId=${encodeURIComponent(chatId)}` })).json().messages as Msg[];
      const hit = all.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no matching message in ${chatId}`);
  }

  it('posts the amazon-us morning digest for `digest now`, and bob’s personal brief in his DM', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: 'amazon-us', userId: 'bob', text: 'digest now' } });
    expect(res.statusCode).toBe(200);
    const digest = await waitFor(app, 'amazon-us', (m) => Boolean(m.card?.title.startsWith('日报 · 亚马逊美国 · ')));
    const c = digest.card!;
    expect(c.fallbackText).toMatch(/GMV: [$¥]/);
    expect(c.blocks.filter((b) => b.type === 'image')).toHaveLength(2);
    expect(c.blocks.find((b) => b.type === 'actions')?.buttons?.[0]?.label).toBe('展开');
    expect(c.blocks.some((b) => b.type === 'note' && b.text?.startsWith('演示数据'))).toBe(true);
    // The demo's goals are in colour: the digest lists them with their pace.
    expect(c.fallbackText).toContain('目标进度');

    await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: '@bob', userId: 'bob', text: 'digest now' } });
    const brief = await waitFor(app, '@bob', (m) => Boolean(m.card?.title.startsWith('早上好，李强')));
    expect(brief.card!.fallbackText).toContain('我的目标');

    const list = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: 'amazon-us', userId: 'bob', text: '简报 列表' } });
    const listed = (list.json().messages as Msg[]).map((m) => m.card?.fallbackText ?? '').join('\n');
    expect(listed).toContain('每天 09:00 (Asia/Shanghai)');
  });
});
