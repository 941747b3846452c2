/**
 * The demo on a fresh start (both engines): the six templates are stored, and every person of
 * bob's team (bob 店长, carol and frank 运营, henry 投手, kate 客服) has last month's goal for every
 * KPI of their card with data behind it, so `score @carol` answers with a number and no grey line;
 * after a roll-forward into a new month, the new last month gets them too.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { rollDemoForward, seedDemo } from '../../src/demo/index.ts';
import { refreshScore } from '../../src/scores/store.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const ANCHOR = '2026-11-22';
const NOW = new Date('2026-11-23T02:00:00Z'); // 10:00 in Shanghai the day after the anchor

describe.each(ENGINES)('demo scores on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seedDemo(d, { anchor: ANCHOR, seed: 1111 });
  }, 180_000);
  afterAll(async () => d?.close());

  it('scores every KPI of bob’s team for last month', { timeout: 120_000 }, async () => {
    const templates = await d.query<{ position: string }>(sql`select position from score_templates where workspace_id = 'demo' order by position`);
    expect(templates.map((t) => t.position).sort()).toEqual(['内容', '客服', '店长', '投手', '运营', '采购'].sort());
    for (const user of ['bob', 'carol', 'frank', 'henry', 'kate']) {
      const r = await refreshScore(d, { workspaceId: 'demo', userId: user, month: '2026-10', now: NOW });
      expect(r.score, user).toBeGreaterThan(60);
      expect(r.lines.filter((l) => l.excluded).map((l) => l.metricId), user).toEqual([]);
      expect(r.lines.every((l) => l.goalId !== undefined && l.actual !== null), user).toBe(true);
    }
  });

  it('adds the new last month’s score goals when the demo rolls into another month', { timeout: 180_000 }, async () => {
    expect(await rollDemoForward(d, { today: '2026-12-03' })).toMatchObject({ status: 'rolled', anchor: '2026-12-02' });
    const r = await refreshScore(d, { workspaceId: 'demo', userId: 'carol', month: '2026-11', now: new Date('2026-12-03T02:00:00Z') });
    expect(r.score).toBeGreaterThan(60);
    expect(r.lines.filter((l) => l.excluded).map((l) => l.metricId)).toEqual([]);
  });
});
