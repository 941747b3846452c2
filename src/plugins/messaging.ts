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
import { createSlackBinding } from '../adapters/slack/index.ts';
import { loadImage } from '../bot/images.ts';

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
  const slack = config.slack
    ? createSlackBinding(config.slack, { logger: deps.logger, publicUrl: config.publicUrl, loadImage: (id) => loadImage(database, id) })
    : undefined;
  if (slack) adapters.set('slack', slack.adapter);

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
  const slackReceiver = slack?.receiver;
  if (slackReceiver?.mode === 'http') await slackReceiver.register(app, (e) => bot.dispatch(e));
  if (slackReceiver?.mode === 'socket') {
    // Socket Mode never gates start-up or readiness: a Slack outage only delays Slack.
    app.addHook('onReady', async () => {
      slackReceiver.start((e) => bot.dispatch(e)).catch((err: unknown) => deps.logger.error({ err }, 'slack: socket mode did not start'));
    });
    app.addHook('preClose', async () => slackReceiver.stop());
  }
  if (deps.startOutbox !== false) {
    app.addHook('onReady', async () => outbox.start());
    app.addHook('preClose', async () => outbox.stop());
  }
  return { bot, outbox, adapters };
}
