/**
 * "On a fresh start, `alert list` in the console shows open demo alerts with Acknowledge buttons,
 * and a click updates the card in GET /console/api/messages": the demo seeded, the engine's
 * start-up evaluation run, then the lifecycle in the console.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAtStart } from '../../src/alerts/jobs.ts';
import { ENGINES } from '../helpers/db.ts';
import { buttonsOf, chatLog, click, closeDemoWorld, openDemoWorld, say, type DemoWorld, type Msg } from './bot-kpi-helpers.ts';

describe.each(ENGINES)('demo alerts in the console on %s', (engine) => {
  let w: DemoWorld | undefined;
  beforeAll(async () => {
    w = await openDemoWorld(engine);
    await evaluateAtStart(w.database, pino({ level: 'silent' }));
  }, 180_000);
  afterAll(() => closeDemoWorld(w));

  it('lists open demo alerts with Acknowledge buttons; a click edits that card', { timeout: 60_000 }, async () => {
    const { app, built } = w!;
    const cards = (await say(app, 'amazon-us', 'carol', '预警 列表')).filter((m) => m.card);
    expect(cards.length).toBeGreaterThan(0);
    const first = cards[0]!;
    expect(buttonsOf(first).some((b) => b.actionId === 'alert.ack' && b.label === '确认')).toBe(true);
    await click(app, 'amazon-us', 'carol', first, '确认');
    let after: Msg = first;
    for (let i = 0; i < 100 && buttonsOf(after).length > 0; i++) {
      await built.messaging.outbox.runOnce();
      after = (await chatLog(app, 'amazon-us')).find((m) => m.id === first.id)!;
      if (buttonsOf(after).length > 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(after.card!.fallbackText).toMatch(/✅ 陈晨 已于 .+ 确认/);
  });
});
