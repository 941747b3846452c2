/**
 * The REST side of scores on both engines: `GET /api/v1/scores`, the HR export
 * (`GET /api/v1/scores/export` and the `scores` dataset of `/api/v1/exports`, which the CLI's
 * `kpibot export --dataset scores --month … --format xlsx` streams) read back with the import's
 * own XLSX reader and compared with the API's numbers, `kpi_score` through the ScoreLookup, bad
 * input as 4xx naming the rule, and the adjustment card's 批准 button in the console.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { xlsxRows } from '../../src/ingest/source/xlsx-read.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { EXPECTED, MONTH, seedScoreWorld } from '../scores/fixture.ts';

afterAll(dropCreatedDatabases);

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'kpibot-scores-'));
  try {
    const file = join(dir, 'scores.xlsx');
    await writeFile(file, bytes);
    const rows: string[][] = [];
    for await (const r of xlsxRows(file)) rows.push(r.cells.map((c) => (c === null || c === undefined ? '' : String(c))));
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each(ENGINES)('score API and HR export on %s', (engine) => {
  let d!: Database;
  let ids: Record<string, number> = {};
  databaseHooks(engine, (x) => (d = x), async (x) => {
    ids = await seedScoreWorld(x);
  });

  it('exports an XLSX whose numbers equal the API’s', { timeout: 120_000 }, async () => {
    const { app } = await buildTestApp(d, { DEMO: 'off' });
    const api = await app.inject({ method: 'GET', url: `/api/v1/scores?user=carol&period=${MONTH}` });
    expect(api.statusCode).toBe(200);
    const score = api.json();
    expect(score).toMatchObject({ userId: 'carol', month: MONTH, score: EXPECTED.score, grade: 'A', rank: { place: 1, of: 1 } });

    for (const url of [`/api/v1/scores/export?team=amazon-us&month=${MONTH}`, `/api/v1/exports/scores?format=xlsx&from=${MONTH}-01&to=${MONTH}-31`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('spreadsheetml');
      const [header, ...rows] = await readXlsx(res.rawPayload);
      const col = (name: string) => header!.indexOf(name);
      const carol = rows.filter((r) => r[col('user_id')] === 'carol');
      expect(carol.map((r) => r[col('kpi')]), url).toEqual(score.lines.map((l: { metricId: string }) => l.metricId));
      for (const [i, r] of carol.entries()) {
        const l = score.lines[i];
        expect(Number(r[col('weight_pct')])).toBe(l.weight);
        expect(Number(r[col('target')])).toBe(l.originalTarget);
        expect(Number(r[col('adjusted_target')])).toBe(l.target);
        expect(Number(r[col('actual')])).toBe(l.actual);
        expect(Number(r[col('achievement')])).toBe(l.achievement);
        expect(Number(r[col('capped_score')])).toBe(l.points);
        expect(Number(r[col('score')])).toBe(score.score);
        expect(r[col('grade')]).toBe(score.grade);
      }
      expect(carol.map((r) => Number(r[col('capped_score')]))).toEqual([EXPECTED.gmvPoints, EXPECTED.unitsPoints, EXPECTED.listingPoints]);
      // Everyone of the team is in it (bob, frank, henry, kate have no goals: no score, manual review).
      expect(new Set(rows.map((r) => r[col('user_id')]))).toEqual(new Set(url.includes('team=') ? ['bob', 'carol', 'frank', 'henry', 'kate'] : ['bob', 'carol', 'erin', 'frank', 'grace', 'henry', 'ivy', 'jack', 'kate', 'leo']));
    }

    const kpi = await app.inject({ method: 'GET', url: `/api/v1/kpi?metrics=kpi_score&period=month:${MONTH}&owner=carol` });
    expect(kpi.json().total).toEqual({ kpi_score: EXPECTED.score });

    const bad = await app.inject({ method: 'GET', url: '/api/v1/scores?user=carol&period=2026-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('is not a month');
    const weights = await app.inject({ method: 'PUT', url: `/api/v1/scores/templates/${encodeURIComponent('运营')}`, payload: { items: [{ metricId: 'gmv', weight: 60 }, { metricId: 'units', weight: 20 }, { metricId: 'listing_updates', weight: 20 }] } });
    expect(weights.statusCode).toBe(400);
    expect(weights.json().message).toContain('each weight is 5–50 %');
    const noReason = await app.inject({ method: 'POST', url: `/api/v1/scores/close/${MONTH}/reopen`, payload: {} });
    expect([noReason.statusCode, noReason.json().message]).toEqual([400, expect.stringContaining('a reopen needs a reason')]);
    const early = await app.inject({ method: 'POST', url: `/api/v1/scores/close/${MONTH}/reopen`, payload: { reason: 'typo' } });
    expect(early.statusCode).toBe(409); // nothing to reopen before the lock
  });

  it('approves an adjustment from the card in the approver’s DM', { timeout: 120_000 }, async () => {
    const { app } = await buildTestApp(d, { DEMO: 'off' });
    const say = async (chatId: string, userId: string, text: string) => (await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId, userId, text } })).json().messages;
    const [asked] = await say('@carol', 'carol', `adjust request ${ids.units} target 31 reason:stockout "断货 10/1–10/9"`);
    expect(asked.card.title).toMatch(/^调整申请 #\d+ 已提交$/);
    let card: { id: string; card: { title: string; blocks: { buttons?: { actionId: string; value: string }[] }[] } } | undefined;
    for (let i = 0; i < 100 && !card; i++) {
      const msgs = (await app.inject({ method: 'GET', url: '/console/api/messages?chatId=%40bob' })).json().messages;
      card = msgs.find((m: { card?: { title: string } }) => m.card?.title.includes('不可抗力调整申请'));
      if (!card) await new Promise((r) => setTimeout(r, 100));
    }
    expect(card).toBeDefined();
    const button = card!.card.blocks.flatMap((b) => b.buttons ?? []).find((b) => b.actionId === 'score.adjust.approve')!;
    const click = async (user: string) => (await app.inject({ method: 'POST', url: '/console/api/actions', payload: { chatId: `@${user}`, userId: user, messageId: card!.id, actionId: 'score.adjust.approve', value: button.value } })).json().messages;
    expect((await click('carol'))[0].card.fallbackText).toContain('不能审批自己的调整申请');
    expect((await click('bob'))[0].card.title).toMatch(/^已批准：调整申请 #\d+$/);
    const after = (await app.inject({ method: 'GET', url: `/api/v1/scores?user=carol&period=${MONTH}` })).json();
    expect(after.score).toBe(110); // 60 + 30 + 20
  });

  it('runs the admin and manager commands in chat, refusing with the rule named', { timeout: 120_000 }, async () => {
    const { app } = await buildTestApp(d, { DEMO: 'off' });
    const say = async (chatId: string, userId: string, text: string): Promise<{ text?: string; card?: { title: string; fallbackText: string } }> =>
      // The reply to the command; a DM card the outbox delivers meanwhile (the sign-off request) is not it.
      (await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId, userId, text } })).json().messages.find((m: { card?: { title: string } }) => !m.card?.title.includes('请签字确认'));
    expect((await say('@alice', 'alice', '考核 模板 设置 运营 gmv:60 units:20 listing_updates:20')).card!.fallbackText).toContain('每个权重需在 5–50% 之间（gmv 为 60%）');
    expect((await say('@alice', 'alice', '考核 模板 否决项 运营 red_line:odr')).card!.fallbackText).toContain('否决项指向的指标 odr 不在考核表中');
    expect((await say('@bob', 'bob', '考核 模板 设置 运营 gmv:50 units:30 listing_updates:20')).card!.title).toBe('未执行'); // admins only
    expect((await say('@bob', 'bob', `绩效 否决 @carol ${MONTH} fake_orders "刷单证据"`)).card!.title).toBe(`已记录否决项：carol（${MONTH}）`);
    expect((await say('@carol', 'carol', '绩效')).card!.fallbackText).toMatch(/得分: \*\*60\.0\*\*[\s\S]*否决项: 刷单/);
    expect((await say('@alice', 'alice', `绩效 锁定 ${MONTH}`)).card!.title).toBe(`${MONTH} 已定稿`);
    expect((await say('@bob', 'bob', `绩效 签字 团队:amazon-us ${MONTH}`)).card!.fallbackText).toContain('待签字：amazon-eu、asia-social');
    expect((await say('@alice', 'alice', `绩效 重新打开 ${MONTH}`)).card!.fallbackText).toContain('重新打开需要填写原因');
    expect((await say('@alice', 'alice', `绩效 重新打开 ${MONTH} "退款更正"`)).card!.title).toBe(`${MONTH} 已重新打开`);
    expect((await say('@carol', 'carol', '调整 申请 1 原因:force_majeure')).card!.fallbackText).toContain('不可抗力（force_majeure）需要填写说明');
  });
});
