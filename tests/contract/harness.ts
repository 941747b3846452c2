/**
 * Shared pieces of the contract assertions: a fresh harness per assertion (always torn down),
 * the sample alert card with its `alert.ack` button, and a real PNG.
 */
import { actions, button, card, fields, image, text, type Card, type ImageSource } from '../../src/bot/card.ts';
import { SinkProbe } from './sink-probe.ts';
import type { AdapterContract, ContractHarness } from './types.ts';

/** A 1×1 PNG (valid signature, IHDR, IDAT, IEND). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export const ALERT_ID = 'alert-42';

/** An alert-shaped card, built here so adapters need no alert feature (style.md §5 item 8). */
export function sampleAlertCard(chart?: ImageSource): Card {
  return card({
    title: 'GMV below goal · GMV 未达目标',
    tone: 'critical',
    blocks: [
      text('**us-main** GMV is 18% under the 7-day goal.'),
      fields({ Metric: 'GMV', Actual: '$41,200', Goal: '$50,000' }),
      ...(chart ? [image(chart, 'GMV trend, last 7 days', 600, 340)] : []),
      actions(button('alert.ack', 'Acknowledge · 确认', ALERT_ID, 'primary')),
    ],
  });
}

export function acknowledgedCard(): Card {
  return card({ title: 'GMV below goal · acknowledged', tone: 'success', blocks: [text('Acknowledged by alice')] });
}

export async function withHarness<T>(
  c: AdapterContract,
  fn: (h: ContractHarness, probe: SinkProbe) => Promise<T>,
  opts: { hang?: boolean } = {},
): Promise<T> {
  const probe = new SinkProbe();
  probe.hang = opts.hang ?? false;
  const h = await c.setup(probe.sink);
  try {
    return await fn(h, probe);
  } finally {
    await h.teardown();
  }
}

/** The newest recorded post of a message (its last edit if edited). */
export async function lastPostOf(h: ContractHarness, messageId: string) {
  const posts = (await h.fake.posts()).filter((p) => p.messageId === messageId);
  const last = posts.at(-1);
  if (!last) throw new Error(`the fake recorded no message ${messageId}`);
  return last;
}
