/**
 * A tiny in-memory chat platform for proving the contract runner: a fake (limits, uploads,
 * injected failures), an adapter that respects it, and an HTTP receiver with an HMAC header.
 * `memoryContract()` is compliant; `memoryContract({ broken })` breaks exactly one promise, so
 * the self-test can show each assertion rejects the adapter that breaks it.
 */
import { createHmac, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { Card, OutboundMessage } from '../../src/bot/card.ts';
import { AdapterError, type AdapterErrorCode } from '../../src/bot/errors.ts';
import type { ConversationRef, InboundEvent, MessageRef } from '../../src/bot/events.ts';
import type { ChatAdapter, EventSink } from '../../src/bot/ports.ts';
import { errorsPlugin } from '../../src/plugins/errors.ts';
import type { AdapterContract, InjectableCode, RecordedPost } from './types.ts';

export type BreakKind =
  | 'normalise' | 'self' | 'bad-input' | 'slow-ack' | 'no-dedup' | 'refs'
  | 'image' | 'button' | 'update' | 'errors' | 'limits' | 'capabilities';

/** The platform's documented maxima (made up, small, so limits bite). */
const LIMIT = { title: 100, text: 2000, fields: 8, buttons: 5, blocks: 20, message: 1000 };
const SECRET = 'memory-secret';
type Native = { title?: string; text?: string; blocks?: { kind: string; text?: string; image?: string; buttons?: { id: string; value?: string }[] }[] };

class MemoryFake {
  readonly log: RecordedPost[] = [];
  readonly files: { id: string; bytes: Uint8Array }[] = [];
  readonly problems: string[] = [];
  next?: InjectableCode;
  failUpload = false;
  private n = 0;

  private gate(): void {
    const code = this.next;
    this.next = undefined;
    if (code) throw Object.assign(new Error(`memory: ${code}`), { platformCode: code });
  }

  check(body: Native): void {
    const blocks = body.blocks ?? [];
    const bad = [
      (body.title?.length ?? 0) > LIMIT.title && 'title',
      (body.text?.length ?? 0) > LIMIT.message && 'text',
      blocks.length > LIMIT.blocks && 'blocks',
      blocks.some((b) => (b.text?.length ?? 0) > LIMIT.text) && 'block text',
      blocks.some((b) => (b.buttons?.length ?? 0) > LIMIT.buttons) && 'buttons',
    ].filter(Boolean) as string[];
    if (bad.length) {
      this.problems.push(...bad);
      throw Object.assign(new Error('memory: too big'), { platformCode: 'too_big' });
    }
  }

  post(chatId: string, body: Native): string {
    this.gate();
    this.check(body);
    const id = `mm${++this.n}`;
    this.log.push({ op: 'post', chatId, messageId: id, body });
    return id;
  }

  edit(chatId: string, id: string, body: Native): void {
    this.gate();
    if (!this.log.some((p) => p.messageId === id && p.chatId === chatId)) throw Object.assign(new Error('memory: gone'), { platformCode: 'gone' });
    this.check(body);
    this.log.push({ op: 'edit', chatId, messageId: id, body });
  }

  upload(bytes: Uint8Array): string {
    if (this.failUpload) {
      this.failUpload = false;
      throw Object.assign(new Error('memory: upload failed'), { platformCode: 'unavailable' });
    }
    const id = `file${++this.n}`;
    this.files.push({ id, bytes });
    return id;
  }
}

const CODES: Record<string, AdapterErrorCode> = { rate_limited: 'rate_limited', auth: 'auth', timeout: 'timeout', unavailable: 'unavailable', gone: 'not_found', too_big: 'invalid_payload' };

function createMemoryAdapter(fake: MemoryFake, broken: BreakKind | undefined, images: Map<string, Uint8Array>): ChatAdapter {
  const cut = (s: string, n: number) => (broken === 'limits' || s.length <= n ? s : `${s.slice(0, n - 1)}…`);
  async function render(card: Card): Promise<Native> {
    const blocks: NonNullable<Native['blocks']> = [];
    for (const b of card.blocks) {
      if (b.type === 'text') blocks.push({ kind: 'text', text: cut(b.markdown, LIMIT.text) });
      else if (b.type === 'note') blocks.push({ kind: 'note', text: cut(b.text, LIMIT.text) });
      else if (b.type === 'fields') blocks.push({ kind: 'fields', text: cut(b.fields.slice(0, LIMIT.fields).map((f) => `${f.label}: ${f.value}`).join('\n'), LIMIT.text) });
      else if (b.type === 'actions') {
        const buttons = b.buttons.map((x) => ({ id: x.actionId, value: x.value }));
        blocks.push({ kind: 'buttons', buttons: broken === 'limits' ? buttons : buttons.slice(0, LIMIT.buttons) });
      } else {
        const bytes = 'png' in b.source ? b.source.png : images.get(b.source.imageId);
        try {
          if (!bytes) throw new Error('no bytes');
          const id = fake.upload(broken === 'image' ? bytes.subarray(1) : bytes);
          blocks.push({ kind: 'image', image: id, text: b.alt });
        } catch {
          blocks.push({ kind: 'note', text: `[${b.alt}]` });
        }
      }
    }
    if (broken === 'limits') return { title: card.title, blocks };
    // Over the block limit: body blocks go first, buttons stay.
    while (blocks.length > LIMIT.blocks) blocks.splice(blocks.findLastIndex((b) => b.kind !== 'buttons'), 1);
    return { title: cut(card.title, LIMIT.title), blocks };
  }
  const native = async (m: OutboundMessage): Promise<Native> => (m.kind === 'text' ? { text: cut(m.markdown, LIMIT.message) } : render(m.card));
  async function call<T>(fn: () => T): Promise<T> {
    try {
      return fn();
    } catch (err) {
      if (broken === 'errors') throw new Error('failed');
      const code = (err as { platformCode?: string }).platformCode ?? 'unknown';
      throw new AdapterError('console', CODES[code] ?? 'unknown', `memory: ${code}`, code === 'rate_limited' ? { retryAfterSeconds: 3 } : {});
    }
  }
  const send = async (to: ConversationRef, m: OutboundMessage): Promise<MessageRef> => {
    const body = await native(m);
    const id = await call(() => fake.post(to.chatId, body));
    const ref: MessageRef = { platform: 'console', chatId: to.chatId, messageId: id };
    return broken === 'refs' ? ({ ...ref, extra: { at: new Date() } } as unknown as MessageRef) : ref;
  };
  return {
    platform: 'console',
    capabilities: { buttons: true, inlineImages: true, updateInPlace: true, ephemeral: false, idempotentSends: false, maxTextLength: LIMIT.message, maxButtons: broken === 'capabilities' ? 10 : LIMIT.buttons },
    send,
    reply: (e: InboundEvent, m: OutboundMessage) => send(e.conversation, m),
    async update(ref, m) {
      const body = await native(m);
      if (broken === 'update') await call(() => fake.post(ref.chatId, body));
      else await call(() => fake.edit(ref.chatId, ref.messageId, body));
    },
  };
}

interface Wire { id: string; type: 'message' | 'command' | 'click'; user: string; chat: string; text?: string; fromBot?: boolean; click?: { messageId: string; actionId: string; value?: string } }

function normalise(w: Partial<Wire>, broken: BreakKind | undefined): InboundEvent | null {
  if (!w.id || !w.user || !w.chat || (w.fromBot && broken !== 'self')) return null;
  const base = {
    platform: 'console' as const,
    eventId: broken === 'no-dedup' ? randomUUID() : w.id,
    user: { platform: 'console' as const, id: w.user },
    conversation: { platform: 'console' as const, tenantKey: 'mem', chatId: w.chat, kind: w.chat.startsWith('dm-') ? ('direct' as const) : ('group' as const) },
    receivedAt: new Date(),
  };
  if (w.type === 'click' && w.click) {
    const value = broken === 'button' ? undefined : w.click.value;
    return { ...base, kind: 'action', actionId: w.click.actionId, ...(value !== undefined ? { value } : {}), message: { platform: 'console', chatId: w.chat, messageId: w.click.messageId } };
  }
  if (typeof w.text !== 'string') return null;
  const mentioned = w.text.startsWith('@bot ');
  const text = mentioned && broken !== 'normalise' ? w.text.slice(5) : w.text;
  if (w.type === 'command') {
    const [name = '', ...args] = text.split(/\s+/).filter(Boolean);
    return { ...base, kind: 'command', name, args, text };
  }
  return { ...base, kind: 'message', text, mentionedBot: mentioned };
}

const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

export function memoryContract(opts: { broken?: BreakKind } = {}): AdapterContract {
  const { broken } = opts;
  const buttonsIn = (p: RecordedPost) => ((p.body as Native).blocks ?? []).flatMap((b) => (b.buttons ?? []).map((x) => x.id));
  return {
    name: broken ? `memory (broken: ${broken})` : 'memory',
    platform: 'console',
    ackDeadlineMs: 1000,
    async setup(sink: EventSink) {
      const fake = new MemoryFake();
      const images = new Map<string, Uint8Array>();
      const adapter = createMemoryAdapter(fake, broken, images);
      const app = Fastify({ logger: false });
      await app.register(errorsPlugin);
      await app.register(async (scope) => {
        scope.post('/memory/events', async (req, reply) => {
          const raw = JSON.stringify(req.body);
          if (broken !== 'bad-input' && req.headers['x-memory-signature'] !== sign(raw)) return reply.code(401).send({ error: 'unauthorized', message: 'bad signature' });
          const w = (req.body ?? {}) as Partial<Wire>;
          if (w.fromBot && broken !== 'self') return { ok: true, ignored: true };
          const e = normalise(w, broken);
          if (!e) return reply.code(400).send({ error: 'invalid_request', message: 'not a memory event' });
          if (broken === 'slow-ack') await sink(e);
          else void sink(e);
          return { ok: true };
        });
      });
      await app.ready();
      return {
        binding: { adapter },
        conversation: { platform: 'console', tenantKey: 'mem', chatId: 'room-1', kind: 'group' },
        fake: {
          posts: async () => [...fake.log],
          uploads: async () => fake.files,
          inject: (code) => void (fake.next = code),
          failNextUpload: () => void (fake.failUpload = true),
          violations: () => fake.problems,
        },
        async deliver(payload, o = {}) {
          const body = JSON.stringify(payload);
          const t = performance.now();
          const res = await app.inject({
            method: 'POST',
            url: '/memory/events',
            headers: { 'content-type': 'application/json', 'x-memory-signature': o.badSignature ? sign(`${body}x`) : sign(body), ...(o.redelivery ? { 'x-memory-retry': '1' } : {}) },
            payload: body,
          });
          return { status: res.statusCode, ms: performance.now() - t, body: res.body };
        },
        async storeImage(png) {
          const id = randomUUID();
          images.set(id, png);
          return { imageId: id };
        },
        teardown: () => app.close(),
      };
    },
    fixtures: {
      mention: { payload: { id: 'e1', type: 'message', user: 'u1', chat: 'room-1', text: '@bot gmv 7d' }, expect: { kind: 'message', text: 'gmv 7d', mentionedBot: true, conversation: { kind: 'group' } } },
      directMessage: { payload: { id: 'e2', type: 'message', user: 'u1', chat: 'dm-u1', text: 'help' }, expect: { kind: 'message', text: 'help', conversation: { kind: 'direct' } } },
      command: { payload: { id: 'e3', type: 'command', user: 'u1', chat: 'room-1', text: 'gmv 7d' }, expect: { kind: 'command', name: 'gmv', args: ['7d'] } },
      selfMessage: { id: 'e4', type: 'message', user: 'bot', chat: 'room-1', text: 'hello', fromBot: true },
      malformed: [{}, { id: 'x', type: 'message' }, { id: 'y', type: 'click', user: 'u', chat: 'c' }],
    },
    redelivers: true,
    injectableErrors: ['rate_limited', 'auth', 'timeout', 'unavailable'],
    canFailUploads: true,
    clickPayloadFor: (p, actionId) => {
      const btn = ((p.body as Native).blocks ?? []).flatMap((b) => b.buttons ?? []).find((b) => b.id === actionId);
      return { id: `click-${p.messageId}-${actionId}`, type: 'click', user: 'u1', chat: p.chatId, click: { messageId: p.messageId, actionId, value: btn?.value } };
    },
    buttonsIn,
    textOf: (p) => [(p.body as Native).title, (p.body as Native).text, ...((p.body as Native).blocks ?? []).map((b) => b.text)].filter(Boolean).join('\n'),
    imagesIn: (p) => ((p.body as Native).blocks ?? []).flatMap((b) => (b.image ? [b.image] : [])),
  };
}
