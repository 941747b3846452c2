/**
 * Wires the messaging core into the server: the adapters of every enabled platform, the bot, the
 * outbox worker (started when the server is ready, drained on close) and the console receiver.
 * Adapter issues add their bindings in `bindings` below.
 */
import { hostname } from 'node:os';
import { Counter, Gauge } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { createBot, type Bot } from '../bot/bot.ts';
import { limitInbound } from '../bot/inbound-limiter.ts';
import type { Platform } from '../bot/events.ts';
import { createOutboxMetrics } from '../bot/outbox/metrics.ts';
import { createOutboxWorker, type OutboxWorker } from '../bot/outbox/worker.ts';
import type { ChatAdapter, FileSource } from '../bot/ports.ts';
import type { ChartRenderer } from '../render/index.ts';
import { FEATURES } from '../features.ts';
import { consoleFiles, consoleReceiver, createConsoleAdapter } from '../adapters/console/index.ts';
import { createSlackBinding } from '../adapters/slack/index.ts';
import { createFeishuBinding } from '../adapters/feishu/index.ts';
import { createDingTalkBinding } from '../adapters/dingtalk/index.ts';
import type { PlatformBinding } from '../adapters/types.ts';
import { loadImage } from '../bot/images.ts';
import type { Readiness } from '../readiness.ts';

export interface Messaging {
  bot: Bot;
  outbox: OutboxWorker;
  adapters: Map<Platform, ChatAdapter>;
}

export async function registerMessaging(
  app: FastifyInstance,
  deps: { config: AppConfig; database: Database; logger: Logger; charts: ChartRenderer; readiness?: Readiness; startOutbox?: boolean },
): Promise<Messaging> {
  const { config, database } = deps;
  const adapters = new Map<Platform, ChatAdapter>();
  const files = new Map<Platform, FileSource>();
  adapters.set('console', createConsoleAdapter({ database, publicUrl: config.publicUrl }));
  files.set('console', consoleFiles);
  // What every binding may use: socket receivers report their connection state to /readyz
  // (reported, never gating); bindings that count API quota or sign links get the database.
  const adapterDeps = {
    logger: deps.logger,
    publicUrl: config.publicUrl,
    loadImage: (id: string) => loadImage(database, id),
    database,
    onSocketState: (platform: Platform, state: 'up' | 'down' | 'connecting') => deps.readiness?.setSocket(platform, state),
  };
  // One line per platform: its binding when configured (adapter issues add theirs here).
  const bindings: [Platform, PlatformBinding | undefined][] = [
    ['slack', config.slack ? createSlackBinding(config.slack, adapterDeps) : undefined],
    ['feishu', config.feishu ? createFeishuBinding(config.feishu, adapterDeps) : undefined],
    ['dingtalk', config.dingtalk ? createDingTalkBinding(config.dingtalk, adapterDeps) : undefined],
  ];
  for (const [platform, binding] of bindings) {
    if (!binding) continue;
    adapters.set(platform, binding.adapter);
    if (binding.files) files.set(platform, binding.files);
  }

  const outbox = createOutboxWorker({
    database,
    adapterFor: (p) => adapters.get(p),
    logger: deps.logger.child({ component: 'outbox' }),
    node: `${hostname()}:${process.pid}`,
    metrics: createOutboxMetrics(app.metrics, database),
  });
  const bot = createBot({
    database,
    config,
    adapterFor: (p) => adapters.get(p),
    logger: deps.logger.child({ component: 'bot' }),
    wakeOutbox: () => outbox.wake(),
    charts: deps.charts,
    features: FEATURES,
    filesFor: (p) => files.get(p),
  });

  // Every platform's events go through one bound on the work after the ack (inbound-limiter.ts).
  const shed = new Counter({ name: 'bot_inbound_shed_total', help: 'Inbound events dropped unhandled because the bot was overloaded', labelNames: ['platform', 'reason'] as const, registers: [app.metrics] });
  const limiter = limitInbound((e) => bot.dispatch(e), { logger: deps.logger.child({ component: 'bot' }), onShed: (reason, e) => shed.inc({ platform: e.platform, reason }), lastOutageAt: () => bot.lastDatabaseOutageAt() });
  new Gauge({ name: 'bot_inbound_queued', help: 'Inbound events waiting for the bot', registers: [app.metrics], collect() { this.set(limiter.stats().queued); } });
  const sink = limiter.sink;
  if (config.console.enabled) {
    await app.register(consoleReceiver, { database, sink, token: config.console.token });
  }
  for (const [platform, binding] of bindings) {
    if (binding?.routes) await binding.routes(app, sink);
    const receiver = binding?.receiver;
    if (receiver?.mode === 'http') await receiver.register(app, sink);
    if (receiver?.mode === 'socket') {
      // Socket connections never gate start-up or readiness: a platform outage only delays that platform.
      app.addHook('onReady', async () => {
        receiver.start(sink).catch((err: unknown) => deps.logger.error({ err, platform }, 'socket receiver did not start'));
      });
      app.addHook('preClose', async () => receiver.stop());
    }
  }
  if (deps.startOutbox !== false) {
    app.addHook('onReady', async () => outbox.start());
    app.addHook('preClose', async () => outbox.stop());
  }
  return { bot, outbox, adapters };
}
