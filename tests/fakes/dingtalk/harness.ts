/**
 * The real DingTalk binding (createDingTalkBinding: dingtalk-stream's DWClient + our HTTP client)
 * wired to the fake DingTalk, its routes mounted in a Fastify app with the server's error
 * handler, its Stream receiver started with the given sink. `deliver` pushes a payload the way
 * DingTalk would: a Stream frame (answered by the client's response frame) or, for a bad
 * signature, an outgoing-robot POST (the one DingTalk transport that is signed).
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { DingtalkConfig } from '../../../src/config.ts';
import type { Database } from '../../../src/db/client.ts';
import type { EventSink } from '../../../src/bot/ports.ts';
import { createDingTalkBinding, dingtalkSign } from '../../../src/adapters/dingtalk/index.ts';
import { errorsPlugin } from '../../../src/plugins/errors.ts';
import { frameOf, type StreamFrame } from './stream.ts';
import { startFakeDingTalk, type FakeDingTalk } from './server.ts';

export const TEMPLATE_ID = 'fake-template-0001.schema';
export const CLIENT_TIMEOUT_MS = 1500;
export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';

type Json = Record<string, unknown>;

/** A payload as tests write it: a raw text frame, or a frame's type/topic/data (data as an object or string). */
export type StreamPayload = { raw: string } | { type: StreamFrame['type']; topic: string; data: unknown; eventType?: string; eventId?: string };

export function dingtalkConfig(fake: FakeDingTalk, template: boolean): DingtalkConfig {
  return {
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    robotCode: fake.clientId,
    ...(template ? { cardTemplateId: TEMPLATE_ID } : {}),
    apiUrl: fake.apiUrl,
    oapiUrl: fake.oapiUrl,
  };
}

/** Rewrites a robot message's session webhook to a live one on the fake (expiry from the fake). */
export function withSession(fake: FakeDingTalk, data: Json): Json {
  if (typeof data.sessionWebhook !== 'string') return data;
  const chat = data.conversationType === '1' ? `user:${String(data.senderStaffId)}` : String(data.conversationId);
  const s = fake.sessionWebhook(chat);
  return { ...data, sessionWebhook: s.url, sessionWebhookExpiredTime: s.expiresAt };
}

export function toFrame(fake: FakeDingTalk, p: StreamPayload): StreamFrame | string {
  if ('raw' in p) return p.raw;
  const data = p.topic === TOPIC_ROBOT && p.data && typeof p.data === 'object' ? withSession(fake, p.data as Json) : p.data;
  const headers = p.type === 'EVENT' ? { eventType: p.eventType ?? '', eventId: p.eventId ?? randomBytes(6).toString('hex'), eventCorpId: fake.corpId } : {};
  return frameOf(p.type, p.topic, data, headers);
}

export interface DingTalkHarness {
  fake: FakeDingTalk;
  binding: ReturnType<typeof createDingTalkBinding>;
  app: FastifyInstance;
  images: Map<string, Uint8Array>;
  deliver(payload: StreamPayload, o?: { badSignature?: boolean }): Promise<{ status: number; ms: number; body: string }>;
  close(): Promise<void>;
}

export async function startDingTalkHarness(opts: {
  sink: EventSink;
  database: Database;
  template?: boolean;
  publicUrl?: string;
  logger?: Logger;
  fake?: FakeDingTalk;
}): Promise<DingTalkHarness> {
  const fake = opts.fake ?? (await startFakeDingTalk());
  const images = new Map<string, Uint8Array>();
  const binding = createDingTalkBinding(dingtalkConfig(fake, opts.template ?? true), {
    logger: opts.logger ?? pino({ level: 'silent' }),
    publicUrl: opts.publicUrl ?? 'http://localhost:3000',
    loadImage: async (id) => images.get(id) ?? null,
    database: opts.database,
    timeoutMs: CLIENT_TIMEOUT_MS,
    reconnectBaseMs: 20,
    drainMs: 200,
  });
  const app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  await binding.routes!(app, opts.sink);
  await app.ready();
  if (binding.receiver?.mode !== 'socket') throw new Error('expected the Stream receiver');
  await binding.receiver.start(opts.sink);
  await fake.stream.waitForConnections(1);
  const receiver = binding.receiver;
  return {
    fake,
    binding,
    app,
    images,
    async deliver(payload, o = {}) {
      const t = performance.now();
      if (o.badSignature) {
        const data = 'raw' in payload ? payload.raw : payload.data;
        const timestamp = String(Date.now());
        const res = await app.inject({
          method: 'POST',
          url: '/dingtalk/events',
          headers: { 'content-type': 'application/json', timestamp, sign: dingtalkSign('not-the-app-secret', timestamp) },
          payload: JSON.stringify(data),
        });
        return { status: res.statusCode, ms: performance.now() - t, body: res.body };
      }
      const frame = toFrame(fake, payload);
      if (!fake.stream.push(frame)) return { status: 503, ms: performance.now() - t, body: 'no Stream connection' };
      const id = typeof frame === 'string' ? undefined : frame.headers.messageId;
      // A frame without a usable messageId cannot be answered: "accepted, dropped".
      const ack = id ? await fake.stream.waitForAck(id, 1000) : null;
      if (!ack) {
        await new Promise((r) => setTimeout(r, 50));
        return { status: 202, ms: performance.now() - t, body: '' };
      }
      return { status: Number(ack.code), ms: performance.now() - t, body: String(ack.data ?? '') };
    },
    async close() {
      await receiver.stop();
      await app.close();
      await fake.close();
    },
  };
}

export const newImageId = () => randomBytes(16).toString('base64url');
