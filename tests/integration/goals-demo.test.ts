/**
 * The demo's goals rated by the real Goals pipeline (KPI engine → pacing → RAG), on both engines:
 * on two anchors — mid-month, and the 2nd of a quarter when month and quarter goals are still
 * grey — the evaluated goals show red, amber and green, and the colour stored at seeding is the
 * one the evaluation computes for the goals the demo aims.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { purgeDemo, seedDemo } from '../../src/demo/lifecycle.ts';
import { evaluateGoals } from '../../src/goals/evaluate.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('demo goals on %s', (engine) => {
  let d: Database | undefined;
  afterAll(async () => d?.close());

  it.each(['2026-08-19', '2026-10-02'])('shows red, amber and green on %s', { timeout: 240_000 }, async (anchor) => {
    d ??= await openTestDatabase(engine);
    await purgeDemo(d).catch(() => undefined);
    await seedDemo(d, { anchor, seed: 1111 });
    const seeded = await d.query<{ id: number; rag: string | null; metric_id: string; scope_level: string }>(sql`
      select id, rag, metric_id, scope_level from goals where workspace_id = 'demo' and status = 'active'`);
    expect([...new Set(seeded.map((g) => g.rag))]).toEqual(expect.arrayContaining(['red', 'amber', 'green']));
    // 12:00 UTC the day after the anchor: the anchor is the last complete day in every store's zone.
    const next = new Date(Date.parse(`${anchor}T12:00:00Z`) + 86_400_000);
    const evaluated = await evaluateGoals({ database: d, now: () => next }, 'demo');
    const rated = evaluated.filter((e) => e.progress.rag.rag !== 'grey');
    expect(new Set(rated.map((e) => e.progress.rag.rag))).toEqual(new Set(['red', 'amber', 'green']));
    // Store GMV goals are in the store's own currency: what the demo aimed is what the pipeline says.
    const byId = new Map(seeded.map((g) => [g.id, g]));
    const storeGmv = evaluated.filter((e) => byId.get(e.goal.id)?.metric_id === 'gmv' && byId.get(e.goal.id)?.scope_level === 'store');
    expect(storeGmv.length).toBeGreaterThan(10);
    for (const e of storeGmv) expect(e.progress.rag.rag, `goal ${e.goal.id}`).toBe(byId.get(e.goal.id)!.rag);
    const [n] = await d.query<{ n: number }>(sql`select count(*) as n from goal_evaluations`);
    expect(Number(n!.n)).toBe(evaluated.length);
  });
});
