/**
 * The Feishu client and adapter against the fake: Feishu's two error styles (HTTP 4xx/5xx and
 * HTTP 200 with `code ≠ 0`) mapped to AdapterError codes, DMs by open_id, thread replies, image
 * keys uploaded once per image, a failed upload degrading to a note, native @mentions — and
 * no tenant token or app secret in any log line, even when the SDK logs a whole AxiosError.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { card, image, text } from '../../../src/bot/card.ts';
import { AdapterError } from '../../../src/bot/errors.ts';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { PNG } from '../../contract/harness.ts';
import { CLIENT_TIMEOUT_MS, newImageId, startFeishuHarness, type FeishuHarness } from '../../fakes/feishu/harness.ts';
import { cardImages, cardText } from '../../fakes/feishu/requests.ts';
import type { Injection } from '../../fakes/feishu/server.ts';

const GENERAL = { platform: 'feishu' as const, tenantKey: 'tenant-acme', chatId: 'oc_general000000000000000000000001', kind: 'group' as const };
const say = (markdown: string) => ({ kind: 'text' as const, markdown });

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
  return { lines, logger };
}

const failure = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AdapterError);

describe('feishu error mapping', () => {
  const cases: [string, Injection, { code: string; retryAfterSeconds?: number }][] = [
    ['HTTP 429 + 99991400 + x-ogw-ratelimit-reset', { api: 'send', status: 429, code: 99991400, reset: 7 }, { code: 'rate_limited', retryAfterSeconds: 7 }],
    ['HTTP 200 + 230020 (per-chat limit)', { api: 'send', status: 200, code: 230020, msg: 'trigger frequency limit' }, { code: 'rate_limited', retryAfterSeconds: 1 }],
    ['HTTP 200 + 99991663 (token invalid)', { api: 'send', status: 200, code: 99991663 }, { code: 'auth' }],
    ['HTTP 400 + 99991668', { api: 'send', status: 400, code: 99991668 }, { code: 'auth' }],
    ['HTTP 200 + 99991672 (scope missing)', { api: 'send', status: 200, code: 99991672 }, { code: 'permission' }],
    ['HTTP 200 + 230002 (bot not in chat)', { api: 'send', status: 200, code: 230002 }, { code: 'permission' }],
    ['HTTP 400 + 230099 (card rejected)', { api: 'send', status: 400, code: 230099 }, { code: 'invalid_payload' }],
    ['HTTP 503 without JSON', { api: 'send', status: 503 }, { code: 'unavailable' }],
    ['token endpoint refuses', { api: 'token', status: 200, code: 10014, msg: 'app secret invalid' }, { code: 'auth' }],
    ['a hang past the client timeout', { api: 'send', hangMs: CLIENT_TIMEOUT_MS + 500 }, { code: 'timeout' }],
  ];
  for (const [name, inj, want] of cases) {
    it(name, async () => {
      h = await startFeishuHarness({ sink: new SinkProbe().sink });
      h.fake.inject(inj);
      const err = await failure(h.binding.adapter.send(GENERAL, say('x')));
      expect(err).toBeInstanceOf(AdapterError);
      expect(err).toMatchObject({ platform: 'feishu', ...want, retryable: want.code === 'rate_limited' || want.code === 'unavailable' });
    });
  }

  it('maps an unknown receive_id to not_found and the fake`s own frequency limit to rate_limited', async () => {
    h = await startFeishuHarness({ sink: new SinkProbe().sink });
    expect(await failure(h.binding.adapter.send({ ...GENERAL, chatId: 'not-a-chat' }, say('x')))).toMatchObject({ code: 'not_found' });
    // A burst of five per group is fine; back-to-back sends after it are over 5 QPS.
    let refused: AdapterError | null = null;
    let sent = 0;
    while (!refused && sent < 30) {
      refused = await failure(h.binding.adapter.send(GENERAL, say(`n${sent}`)));
      if (!refused) sent++;
    }
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(refused!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});

describe('feishu outbound', () => {
  it('DMs by open_id, replies in threads and @mentions natively', async () => {
    h = await startFeishuHarness({ sink: new SinkProbe().sink });
    const dm = await h.binding.adapter.send({ ...GENERAL, chatId: 'user:ou_alice00000000000000000000000001', kind: 'direct' }, say('hi'));
    expect(dm.chatId).toBe('oc_p2p_alice00000000000000000000000001');
    const root = await h.binding.adapter.send(GENERAL, say('root'));
    const inThread = await h.binding.adapter.send({ ...GENERAL, threadId: root.messageId }, say('in the thread'));
    expect(h.fake.messages.find((m) => m.messageId === inThread.messageId)).toMatchObject({ rootId: root.messageId, inThread: true, chatId: GENERAL.chatId });
    const ref = await h.binding.adapter.send(GENERAL, { kind: 'card', card: card({ title: 'Alert', blocks: [text('GMV <b>down</b>')], mentions: ['ou_alice00000000000000000000000001'] }) });
    const body = cardText(h.fake.messages.find((m) => m.messageId === ref.messageId)!.card);
    expect(body).toContain('<at id=ou_alice00000000000000000000000001></at>');
    // Text from data is escaped, so it cannot smuggle tags in.
    expect(body).toContain('GMV &lt;b&gt;down&lt;/b&gt;');
  });

  it('uploads an image once per image id and degrades to a note when an upload fails', async () => {
    h = await startFeishuHarness({ sink: new SinkProbe().sink });
    const id = newImageId();
    h.images.set(id, PNG);
    const chart = card({ title: 'GMV', blocks: [image({ imageId: id }, 'GMV trend', 600, 340)] });
    const ref = await h.binding.adapter.send(GENERAL, { kind: 'card', card: chart });
    await h.binding.adapter.update(ref, { kind: 'card', card: chart });
    await h.binding.adapter.send(GENERAL, { kind: 'card', card: chart });
    expect(h.fake.uploads).toHaveLength(1);
    expect(Buffer.from(h.fake.uploads[0]!.bytes).equals(PNG)).toBe(true);
    expect(h.fake.log.every((l) => cardImages(l.body)[0] === h!.fake.uploads[0]!.id)).toBe(true);

    const other = newImageId();
    h.images.set(other, PNG);
    h.fake.inject({ api: 'image', status: 500 });
    const degraded = await h.binding.adapter.send(GENERAL, { kind: 'card', card: card({ title: 'GMV', blocks: [image({ imageId: other }, 'Orders trend', 600, 340)] }) });
    const post = h.fake.messages.find((m) => m.messageId === degraded.messageId)!;
    expect(cardImages(post.card)).toEqual([]);
    expect(cardText(post.card)).toContain('📈 Orders trend');
  });

  it('never logs the tenant token or the app secret, even on failures the SDK logs in full', async () => {
    const { lines, logger } = capture();
    h = await startFeishuHarness({ sink: new SinkProbe().sink, logger });
    await h.binding.adapter.send(GENERAL, say('ok'));
    h.fake.inject({ api: 'send', status: 503 });
    await failure(h.binding.adapter.send(GENERAL, say('x')));
    h.fake.inject({ api: 'patch', status: 400, code: 230001, msg: 'invalid message_id' });
    await failure(h.binding.adapter.update({ platform: 'feishu', chatId: GENERAL.chatId, messageId: 'om_missing' }, say('x')));
    const all = lines.join('');
    // The SDK did log those failures (through our logger)…
    expect(all).toContain('feishu sdk');
    // …but no credential made it into a line.
    expect(h.fake.tokens.length).toBeGreaterThan(0);
    for (const t of h.fake.tokens) expect(all).not.toContain(t);
    expect(all).not.toContain(h.fake.appSecret);
    expect(all).not.toMatch(/Bearer t-/);
  });
});
