/**
 * Restatements on digest cards (issue #30 item 9): when a re-import changed a day the digest
 * reports, the KPI line says by how much, like chat answers do; days outside the period and
 * stores outside the chat's team do not mark it. Data: tests/integration/digest-fixture.ts.
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
import { NOW, seedDigestWorkspace } from '../integration/digest-fixture.ts';

afterAll(dropCreatedDatabases);
prepareFonts();
const charts = createChartRenderer({});
const fieldsOf = (c: Card) => Object.fromEntries(c.blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => [f.label, f.value]) : [])));

describe.each(ENGINES)('restated marks on digests on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), (x) => seedDigestWorkspace(x));

  async function digest(chatId = 'g1') {
    const t = await targetForChat(d, { platform: 'console', tenantKey: 'console', chatId });
    const built = await buildDigest({ database: d, charts, goals: createGoalSource(d) }, t!, { cadence: 'daily', now: NOW, kpis: ['gmv', 'orders'] });
    if (built.kind !== 'digest') throw new Error(built.kind);
    return built.card;
  }
  const restate = (store: string, day: string, before: number, after: number) =>
    d.query(sql`insert into restatements (workspace_id, dataset, store_id, date, measure, before_value, after_value, sync_run_id)
      values ('w', 'orders', ${store}, ${day}::date, 'gross_sales', ${before}, ${after}, 1)`);

  it('marks GMV when yesterday’s numbers were restated, and only then', async () => {
    expect(fieldsOf(await digest()).GMV).toBe('$210 (+16.7 % 周环比) · 本月 $440 · 进度 54 % 🔴 红');
    // A restatement of 11-14 is outside "yesterday" (us 11-21, cn 11-22): no mark.
    await restate('us', '2026-11-14', 90, 100);
    expect(fieldsOf(await digest()).GMV).toBe('$210 (+16.7 % 周环比) · 本月 $440 · 进度 54 % 🔴 红');
    // us 11-21 went from 120 to 150: (150 − 120) / 120 = +25.0 % over the restated days.
    await restate('us', '2026-11-21', 120, 150);
    const c = await digest();
    expect(fieldsOf(c).GMV).toBe('$210 (+16.7 % 周环比)（已重述 +25.0%） · 本月 $440 · 进度 54 % 🔴 红');
    // Orders rest on order counts, not on gross sales: unmarked.
    expect(fieldsOf(c)['订单量']).toBe('5 (+66.7 % 周环比) · 本月 9');
    await d.query(sql`update chats set locale = 'en' where chat_id = 'g1'`);
    expect(fieldsOf(await digest()).GMV).toMatch(/^\$210 \(\+16\.7 % .*\) \(restated \+25\.0%\) · /);
  });
});
