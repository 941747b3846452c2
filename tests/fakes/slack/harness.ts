/**
 * The real Slack binding (createSlackBinding) wired to the fake Slack and mounted in a Fastify
 * app with the server's error handler: what the contract suite and the Slack integration tests
 * drive. Images are kept in memory (the bot stores them in Postgres; the adapter only reads).
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import type { EventSink } from '../../../src/bot/ports.ts';
import type { PlatformBinding } from '../../../src/adapters/types.ts';
import { createSlackBinding } from '../../../src/adapters/slack/index.ts';
import { errorsPlugin } from '../../../src/plugins/errors.ts';
import { slackRequest, withResponseUrl, type SignOptions } from './requests.ts';
import { startFakeSlack, type FakeSlack } from './server.ts';

export const SIGNING_SECRET = 'slack-signing-secret-for-tests';
export const BOT_TOKEN = 'xoxb-test-0001-bot-token';
/** The client gives up after this long; the fake's injected hang is longer. */
export const CLIENT_TIMEOUT_MS = 2000;

export interface SlackHarness {
  fake: FakeSlack;
  binding: PlatformBinding;
  app: FastifyInstance;
  images: Map<string, Uint8Array>;
  /** Signs and injects a payload; `response_url` is rewritten to a live one on the fake. */
  deliver(payload: unknown, o?: SignOptions): Promise<{ status: number; ms: number; body: string }>;
  close(): Promise<void>;
}

export async function startSlackHarness(opts: { sink: EventSink; publicUrl?: string; now?: () => number }): Promise<SlackHarness> {
  const fake = await startFakeSlack({ botToken: BOT_TOKEN });
  const images = new Map<string, Uint8Array>();
  const binding = createSlackBinding(
    { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: fake.apiUrl },
    {
      logger: pino({ level: 'silent' }),
      publicUrl: opts.publicUrl ?? 'http://localhost:3000',
      loadImage: async (id) => images.get(id) ?? null,
      timeoutMs: CLIENT_TIMEOUT_MS,
      drainMs: 200,
      now: opts.now,
    },
  );
  const app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  if (binding.receiver?.mode !== 'http') throw new Error('expected the HTTP receiver');
  await binding.receiver.register(app, opts.sink);
  await app.ready();
  return {
    fake,
    binding,
    app,
    images,
    async deliver(payload, o = {}) {
      const t = performance.now();
      const res = await app.inject(slackRequest(SIGNING_SECRET, withResponseUrl(payload, fake.responseUrl()), o));
      return { status: res.statusCode, ms: performance.now() - t, body: res.body };
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}

export const newImageId = () => randomBytes(16).toString('base64url');
