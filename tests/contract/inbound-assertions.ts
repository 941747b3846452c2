/**
 * Contract assertions 1–5 (style.md §5): what the receiver does with what the platform sends.
 * Each is a plain async function that throws on failure, so the runner's self-test can show it
 * rejects a broken adapter.
 */
import { expect } from 'vitest';
import type { InboundEvent } from '../../src/bot/events.ts';
import { withHarness } from './harness.ts';
import type { AdapterContract } from './types.ts';

function expectWellFormed(c: AdapterContract, e: InboundEvent): void {
  expect(e.platform).toBe(c.platform);
  expect(e.eventId).toEqual(expect.any(String));
  expect(e.eventId.length).toBeGreaterThan(0);
  expect(e.user.id.length).toBeGreaterThan(0);
  expect(e.conversation.chatId.length).toBeGreaterThan(0);
  expect(e.conversation.tenantKey.length).toBeGreaterThan(0);
  expect(e.conversation.platform).toBe(c.platform);
  expect(e.receivedAt).toBeInstanceOf(Date);
}

/** 1. Each fixture → exactly one event of the expected shape; mentions stripped; commands split. */
export async function assertNormalising(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h, probe) => {
    for (const [name, fx] of Object.entries({ mention: c.fixtures.mention, directMessage: c.fixtures.directMessage, command: c.fixtures.command })) {
      probe.clear();
      const d = await h.deliver(fx.payload);
      expect(d.status, `${name} answered ${d.status}: ${d.body}`).toBeLessThan(300);
      const [e] = await probe.waitFor(1);
      await probe.quiet();
      expect(probe.events, `${name} dispatched more than once`).toHaveLength(1);
      expectWellFormed(c, e!);
      expect(e, name).toMatchObject(fx.expect);
    }
  });
}

/** 2. The bot's own messages never reach the sink (no reply loops). */
export async function assertSelfMessagesIgnored(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h, probe) => {
    if (c.fixtures.selfMessage !== null) {
      const d = await h.deliver(c.fixtures.selfMessage);
      expect(d.status).toBeLessThan(300);
    }
    await h.binding.adapter.send(h.conversation, { kind: 'text', markdown: 'help' });
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });
}

/** 3. Malformed input and bad signatures dispatch nothing, never 5xx, never throw. */
export async function assertBadInputHarmless(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h, probe) => {
    for (const input of c.fixtures.malformed) {
      const d = await h.deliver(input);
      expect(d.status, `${JSON.stringify(input).slice(0, 80)} → ${d.status}`).toBeLessThan(500);
    }
    const forged = await h.deliver(c.fixtures.command.payload, { badSignature: true });
    expect(forged.status).toBe(401);
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });
}

/** 4. With a sink that never resolves, the receiver still answers within the deadline. */
export async function assertAckBeforeWork(c: AdapterContract): Promise<void> {
  await withHarness(
    c,
    async (h, probe) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${c.ackDeadlineMs} ms: the receiver waits for the work`)), c.ackDeadlineMs);
      });
      const d = await Promise.race([h.deliver(c.fixtures.command.payload), late]).finally(() => clearTimeout(timer));
      expect(d.status).toBeLessThan(300);
      expect(d.ms).toBeLessThan(c.ackDeadlineMs);
      // …and the work was really handed over (it just has not finished).
      await probe.waitFor(1);
    },
    { hang: true },
  );
}

/** 5. A redelivery dispatches once; a different event still goes through. */
export async function assertRedeliveryDeduped(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h, probe) => {
    const first = await h.deliver(c.fixtures.mention.payload);
    expect(first.status).toBeLessThan(300);
    await probe.waitFor(1);
    const again = await h.deliver(c.fixtures.mention.payload, { redelivery: true });
    expect(again.status).toBeLessThan(300);
    await probe.quiet();
    const ids = probe.events.map((e) => `${e.platform}:${e.eventId}`);
    if (c.redelivers) {
      // Dropped here, or at least carrying the same id so the bot's dedup (inbound_dedup) drops it.
      expect(new Set(ids).size).toBe(1);
    } else {
      // No retries on this platform: a repeat is a new message and must not be swallowed.
      expect(new Set(ids).size).toBe(2);
    }
    await h.deliver(c.fixtures.directMessage.payload);
    await probe.waitFor(ids.length + 1);
    expect(new Set(probe.events.map((e) => `${e.platform}:${e.eventId}`)).size).toBe(new Set(ids).size + 1);
  });
}
