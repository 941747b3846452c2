/**
 * Contract assertions 6–12 (style.md §5): what the adapter sends, and the click that comes back.
 * Plain async functions that throw on failure (see inbound-assertions.ts).
 */
import { expect } from 'vitest';
import { actions, button, card, fields, image, note, text, type OutboundMessage } from '../../src/bot/card.ts';
import { AdapterError } from '../../src/bot/errors.ts';
import { ALERT_ID, PNG, acknowledgedCard, lastPostOf, sampleAlertCard, withHarness } from './harness.ts';
import type { AdapterContract } from './types.ts';

const say = (markdown: string): OutboundMessage => ({ kind: 'text', markdown });

/** 6. A MessageRef survives JSON and still addresses the message. */
export async function assertRefsRoundTrip(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h) => {
    const ref = await h.binding.adapter.send(h.conversation, say('hello'));
    expect(ref.platform).toBe(c.platform);
    const stored = JSON.parse(JSON.stringify(ref)) as typeof ref;
    expect(stored).toEqual(ref);
    await h.binding.adapter.update(stored, say('hello, edited'));
    const edits = (await h.fake.posts()).filter((p) => p.op === 'edit');
    expect(edits.map((p) => [p.chatId, p.messageId])).toEqual([[ref.chatId, ref.messageId]]);
  });
}

/** 7. An image is uploaded byte for byte and shown; a failed upload degrades to text. */
export async function assertImagePath(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h) => {
    const source = await h.storeImage(PNG, 1, 1);
    const msg: OutboundMessage = { kind: 'card', card: card({ title: 'GMV', blocks: [text('7 days'), image(source, 'GMV trend', 600, 340)] }) };
    const ref = await h.binding.adapter.send(h.conversation, msg);
    const uploads = await h.fake.uploads();
    expect(uploads).toHaveLength(1);
    expect(Buffer.from(uploads[0]!.bytes).equals(PNG)).toBe(true);
    const posts = await h.fake.posts();
    const showing = posts.filter((p) => c.imagesIn(p).includes(uploads[0]!.id));
    expect(showing.length).toBeGreaterThan(0);
    expect(showing.every((p) => p.chatId === ref.chatId)).toBe(true);
    if (c.canFailUploads) {
      h.fake.failNextUpload();
      const again = await h.binding.adapter.send(h.conversation, msg);
      expect(await h.fake.uploads()).toHaveLength(1);
      expect(c.textOf(await lastPostOf(h, again.messageId))).toContain('GMV trend');
    }
  });
}

/** 8. The alert card's button, clicked, comes back as `alert.ack` on the very message sent. */
export async function assertButtonRoundTrip(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h, probe) => {
    const ref = await h.binding.adapter.send(h.conversation, { kind: 'card', card: sampleAlertCard() });
    const post = await lastPostOf(h, ref.messageId);
    expect(c.buttonsIn(post)).toContain('alert.ack');
    const d = await h.deliver(c.clickPayloadFor(post, 'alert.ack'));
    expect(d.status).toBeLessThan(300);
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'action', platform: c.platform, actionId: 'alert.ack', value: ALERT_ID });
    expect(e!.kind === 'action' && e!.message).toEqual(ref);
    // The handler's answer: that exact message updated in place.
    await h.binding.adapter.update(e!.kind === 'action' ? e!.message : ref, { kind: 'card', card: acknowledgedCard() });
    const edited = await lastPostOf(h, ref.messageId);
    expect(edited.op).toBe('edit');
    expect(c.textOf(edited)).toContain('Acknowledged by alice');
  });
}

/** 9. update() records exactly one edit of the same message and no new message. */
export async function assertUpdateInPlace(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h) => {
    const ref = await h.binding.adapter.send(h.conversation, { kind: 'card', card: sampleAlertCard() });
    const before = (await h.fake.posts()).length;
    await h.binding.adapter.update(ref, { kind: 'card', card: acknowledgedCard() });
    const after = (await h.fake.posts()).slice(before);
    expect(after.map((p) => ({ op: p.op, chatId: p.chatId, messageId: p.messageId }))).toEqual([
      { op: 'edit', chatId: ref.chatId, messageId: ref.messageId },
    ]);
  });
}

/** 10. Platform failures become AdapterErrors with the right code; only transient ones retry. */
export async function assertErrorMapping(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h) => {
    const adapter = h.binding.adapter;
    for (const code of c.injectableErrors) {
      h.fake.inject(code);
      const err = await adapter.send(h.conversation, say(`fail ${code}`)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, code).toBeInstanceOf(AdapterError);
      const a = err as AdapterError;
      expect({ platform: a.platform, code: a.code, retryable: a.retryable }).toEqual({
        platform: c.platform,
        code,
        retryable: code === 'rate_limited' || code === 'unavailable',
      });
      if (code === 'rate_limited') expect(a.retryAfterSeconds).toBeGreaterThan(0);
    }
    const ref = await adapter.send(h.conversation, say('still works'));
    const missing = await adapter.update({ ...ref, messageId: `${ref.messageId}9` }, say('x')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(AdapterError);
    expect((missing as AdapterError).code).toBe('not_found');
  });
}

/** 11. Oversized cards and texts are cut or chunked, never refused by the platform. */
export async function assertLimitsDegrade(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h) => {
    const huge = card({
      title: `Title ${'长'.repeat(500)}`,
      blocks: [
        text(`${'x'.repeat(9000)}\n${'y'.repeat(9000)}`),
        fields(Array.from({ length: 60 }, (_, i) => ({ label: `field ${i}`, value: 'v'.repeat(300) }))),
        ...Array.from({ length: 60 }, (_, i) => note(`note ${i}`)),
        actions(...Array.from({ length: 40 }, (_, i) => button(`act.${i}`, `Button ${i} ${'b'.repeat(100)}`, String(i)))),
        actions(button('alert.ack', 'Again', '1'), button('alert.ack', 'Again', '2')),
      ],
    });
    const ref = await h.binding.adapter.send(h.conversation, { kind: 'card', card: huge });
    await h.binding.adapter.send(h.conversation, say('z'.repeat(h.binding.adapter.capabilities.maxTextLength * 2)));
    await h.binding.adapter.update(ref, { kind: 'card', card: huge });
    expect(h.fake.violations()).toEqual([]);
    if (h.binding.adapter.capabilities.buttons) expect(c.buttonsIn(await lastPostOf(h, ref.messageId)).length).toBeGreaterThan(0);
  });
}

/** 12. What the capabilities claim is what the platform shows; false flags use their fallback. */
export async function assertHonestCapabilities(c: AdapterContract): Promise<void> {
  await withHarness(c, async (h) => {
    const { adapter } = h.binding;
    const caps = adapter.capabilities;
    const many = actions(...Array.from({ length: caps.maxButtons }, (_, i) => button(`pick.${i}`, `#${i}`, String(i))));
    const withButtons = await adapter.send(h.conversation, { kind: 'card', card: card({ title: 'Pick', blocks: [many] }) });
    const shown = c.buttonsIn(await lastPostOf(h, withButtons.messageId));
    expect(shown).toHaveLength(caps.buttons ? caps.maxButtons : 0);

    const long = await adapter.send(h.conversation, say('a'.repeat(caps.maxTextLength)));
    expect(c.textOf(await lastPostOf(h, long.messageId))).toContain('a'.repeat(caps.maxTextLength));

    const source = await h.storeImage(PNG, 1, 1);
    const pic = await adapter.send(h.conversation, { kind: 'card', card: card({ title: 'Chart', blocks: [image(source, 'Sales chart', 600, 340)] }) });
    const picPost = await lastPostOf(h, pic.messageId);
    if (caps.inlineImages) expect(c.imagesIn(picPost).length).toBe(1);
    else expect(c.textOf(picPost)).toContain('Sales chart');

    await adapter.update(pic, say('replaced'));
    if (caps.idempotentSends) {
      const before = (await h.fake.posts()).length;
      const a = await adapter.send(h.conversation, say('once'), { idempotencyKey: 'contract-key-1' });
      const b = await adapter.send(h.conversation, say('once'), { idempotencyKey: 'contract-key-1' });
      expect(b).toEqual(a);
      expect((await h.fake.posts()).length).toBe(before + 1);
    }
  });
}
