/**
 * Wires the messaging core into the server: the adapters of every enabled platform, the bot, the
 * outbox worker (started when the server is ready, drained on close) and the console receiver.
 * Adapter issues add their bindings in `bindings` below.
 */
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { createBot, type Bot } from '../bot/bot.ts';
import type { Platform } from '../bot/events.ts';
import { createOutboxMetrics } from '../bot/outbox/metrics.ts';
import { createOutboxWorker, type OutboxWorker } from '../bot/outbox/worker.ts';
import type { ChatAdapter } from '../bot/ports.ts';
import type { ChartRenderer } from '../render/index.ts';
import { FEATURES } from '../features.ts';
import { consoleReceiver, createConsoleAdapter } from '../adapters/console/index.ts';

export interface Messaging {
  bot: Bot;
  outbox: OutboxWorker;
  adapters: Map<Platform, ChatAdapter>;
}

export async function registerMessaging(
  app: FastifyInstance,
  deps: { config: AppConfig; database: Database; logger: Logger; charts: ChartRenderer; startOutbox?: boolean },
): Promise<Messaging> {
  const { config, database } = deps;
  const adapters = new Map<Platform, ChatAdapter>();
  adapters.set('console', createConsoleAdapter({ database, publicUrl: config.publicUrl }));

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
  });

  if (config.console.enabled) {
    await app.register(consoleReceiver, { database, sink: (e) => bot.dispatch(e), token: config.console.token });
  }
  if (deps.startOutbox !== false) {
    app.addHook('onReady', async () => outbox.start());
    app.addHook('preClose', async () => outbox.stop());
  }
  return { bot, outbox, adapters };
}
