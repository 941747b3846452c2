/**
 * `kpi_score` asked as a metric in chat (绩效得分 上月 按负责人): the KPI answer reads the Scores
 * feature's lookup with its privacy rules — a manager sees each person of the team, an operator
 * is refused (operators read their own score with `score`, in a DM); several people have no total, which is not reported as missing data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, dropCreatedDatabases } from '../helpers/db.ts';
import { closeDemoWorld, openDemoWorld, say, type DemoWorld } from './bot-kpi-helpers.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('kpi_score in chat on %s', (engine) => {
  let w: DemoWorld | undefined;
  beforeAll(async () => {
    w = await openDemoWorld(engine);
  }, 240_000);
  afterAll(() => closeDemoWorld(w));

  it('answers last month’s scores by person for a manager, and refuses an operator', { timeout: 180_000 }, async () => {
    const [bob] = await say(w!.app, '@bob', 'bob', 'kpi_score last month by owner');
    const rows = [...(bob!.card?.fallbackText ?? '').matchAll(/^\d+\. (\w+): ([\d.]+)$/gm)].map((m) => ({ key: m[1]!, value: m[2]! }));
    // bob's team: bob, carol, frank, henry, kate each have last month's score goals in the demo.
    expect(rows.length, bob!.card?.fallbackText).toBeGreaterThanOrEqual(4);
    for (const r of rows) expect(Number(r.value)).toBeGreaterThan(0);
    // Several people have no total, and that is not reported as missing data.
    expect(bob!.card?.fallbackText).not.toMatch(/Performance score: no data/);
    // Operators read their own score through `score` (DM only); the metric path refuses them.
    const [carol] = await say(w!.app, '@carol', 'carol', 'kpi_score last month by owner');
    expect(carol!.card?.title).toBe('Not permitted');
    expect(carol!.card?.fallbackText).not.toMatch(/\d+\.\d/);
  });
});
