/**
 * The fan-out of the crash test (tests/reliability/crash-safety.test.ts), shared by the test and
 * its child producer (crash-fanout-child.ts): message i goes to its own chat on one platform,
 * Feishu, Slack and DingTalk interleaved 5 : 2 : 2 (their app-wide send rates, 50/20/20 per
 * second, so all three finish together), each with its own idempotency key.
 */
import type { WireMessage } from '../../src/bot/card.ts';
import type { ConversationRef } from '../../src/bot/events.ts';

export const FANOUT_WORKSPACE = 'crash';

/** Tenant keys of the three fakes (Slack team, Feishu tenant, DingTalk corp). */
export interface FanoutTenants {
  slack: string;
  feishu: string;
  dingtalk: string;
}

export interface FanoutItem {
  target: ConversationRef;
  key: string;
}

const pad = (i: number) => String(i).padStart(6, '0');

export function fanoutItem(i: number, t: FanoutTenants): FanoutItem {
  const slot = i % 9;
  if (slot < 5) return { target: { platform: 'feishu', tenantKey: t.feishu, chatId: `oc_crash${pad(i)}`, kind: 'group' }, key: `crash:${i}` };
  if (slot < 7) return { target: { platform: 'slack', tenantKey: t.slack, chatId: `C${pad(i)}`, kind: 'group' }, key: `crash:${i}` };
  return { target: { platform: 'dingtalk', tenantKey: t.dingtalk, chatId: `cidcrash${pad(i)}`, kind: 'group' }, key: `crash:${i}` };
}

export function fanoutPlan(n: number, t: FanoutTenants): FanoutItem[] {
  return Array.from({ length: n }, (_, i) => fanoutItem(i, t));
}

/** A small digest-like card: button-free, so nothing merges it and each chat gets one message. */
export function fanoutMessage(i: number): WireMessage {
  return {
    kind: 'card',
    card: {
      title: `Daily digest #${i}`,
      tone: 'info',
      fallbackText: `Daily digest #${i}: GMV 12,345 USD (+4.2 %)`,
      blocks: [
        { type: 'text', markdown: `**GMV** 12,345 USD (+4.2 %) · **Orders** 321 · message ${i}` },
        { type: 'note', text: 'crash-safety fan-out' },
      ],
    },
  };
}
