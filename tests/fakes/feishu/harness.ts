/**
 * The real Feishu binding (createFeishuBinding, real node-sdk) wired to the fake Feishu and, in
 * webhook mode, mounted in a Fastify app with the server's error handler: what the contract
 * suite and the Feishu tests drive. Images are kept in memory (the bot stores them in Postgres).
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { FeishuConfig } from '../../../src/config.ts';
import type { Platform } from '../../../src/bot/events.ts';
import type { EventSink } from '../../../src/bot/ports.ts';
import type { PlatformBinding } from '../../../src/adapters/types.ts';
import { createFeishuBinding } from '../../../src/adapters/feishu/index.ts';
import { errorsPlugin } from '../../../src/plugins/errors.ts';
import { feishuRequest, type FeishuRequestOptions } from './requests.ts';
import { startFakeFeishu, type FakeFeishu, type FakeFeishuOptions } from './server.ts';

export const VERIFICATION_TOKEN = 'vt-fixture-token-0001';
export const ENCRYPT_KEY = 'encrypt-key-for-tests-0001';
/** The client gives up after this long; injected hangs are longer. */
export const CLIENT_TIMEOUT_MS = 1500;

export interface FeishuHarness {
  fake: FakeFeishu;
  binding: PlatformBinding;
  app?: FastifyInstance;
  images: Map<string, Uint8Array>;
  socketStates: string[];
  /** Pushes a payload through the webhook route (signed/encrypted as configured). */
  deliver(payload: unknown, o?: Omit<FeishuRequestOptions, 'encryptKey'>): Promise<{ status: number; ms: number; body: string }>;
  close(): Promise<void>;
}

export interface FeishuHarnessOptions {
  sink: EventSink;
  mode?: FeishuConfig['mode'];
  /** null: token-only webhook (no Encrypt Key). */
  encryptKey?: string | null;
  fake?: FakeFeishuOptions;
  logger?: Logger;
  clickBudgetMs?: number;
  now?: () => number;
}

export async function startFeishuHarness(opts: FeishuHarnessOptions): Promise<FeishuHarness> {
  const fake = await startFakeFeishu(opts.fake);
  const images = new Map<string, Uint8Array>();
  const socketStates: string[] = [];
  const encryptKey = opts.encryptKey === null ? undefined : (opts.encryptKey ?? ENCRYPT_KEY);
  const config: FeishuConfig = {
    appId: fake.appId,
    appSecret: fake.appSecret,
    mode: opts.mode ?? 'webhook',
    verificationToken: VERIFICATION_TOKEN,
    ...(encryptKey ? { encryptKey } : {}),
    domain: fake.origin,
  };
  const binding = createFeishuBinding(config, {
    logger: opts.logger ?? pino({ level: 'silent' }),
    loadImage: async (id) => images.get(id) ?? null,
    onSocketState: (_p: Platform, s) => void socketStates.push(s),
    timeoutMs: CLIENT_TIMEOUT_MS,
    drainMs: 200,
    clickBudgetMs: opts.clickBudgetMs,
    now: opts.now,
  });
  let app: FastifyInstance | undefined;
  if (binding.receiver?.mode === 'http') {
    app = Fastify({ logger: false });
    await app.register(errorsPlugin);
    await binding.receiver.register(app, opts.sink);
    await app.ready();
  } else if (binding.receiver?.mode === 'socket') {
    await binding.receiver.start(opts.sink);
  }
  return {
    fake,
    binding,
    app,
    images,
    socketStates,
    async deliver(payload, o = {}) {
      if (!app) throw new Error('deliver() needs webhook mode');
      const t = performance.now();
      const res = await app.inject(feishuRequest(payload, { ...o, encryptKey }));
      return { status: res.statusCode, ms: performance.now() - t, body: res.body };
    },
    async close() {
      if (binding.receiver?.mode === 'socket') await binding.receiver.stop();
      await app?.close();
      await fake.close();
    },
  };
}

export const newImageId = () => randomBytes(16).toString('base64url');
