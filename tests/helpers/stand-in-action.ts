/**
 * Replaces a registered button handler for one test and restores it afterwards. Adapter tests use
 * it for `alert.ack`: what they test is the platform round trip (click → bot → card updated on the
 * platform) with a fixed sample card; the real alert handler (state change, every copy updated
 * through the outbox) has its own tests in tests/integration/alerts-lifecycle-*.test.ts.
 */
import { onTestFinished } from 'vitest';
import type { Bot } from '../../src/bot/bot.ts';
import type { ActionSpec } from '../../src/bot/router.ts';

export function standInAction(bot: Bot, actionId: string, run: ActionSpec['run']): void {
  const spec = bot.actions.get(actionId);
  if (!spec) throw new Error(`no action ${actionId} registered`);
  const real = spec.run;
  spec.run = run;
  onTestFinished(() => {
    spec.run = real;
  });
}
