/**
 * `buildApp(config, overrides)`: the Fastify instance with its plugins registered in the order
 * they are read here. Domain code gets its dependencies as arguments; nothing is autoloaded and
 * no domain service is decorated onto Fastify (style.md §2, fastify/demo).
 */
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { Logger } from 'pino';
import type { AppConfig } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { loggerOptions } from './logger.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { healthPlugin } from './plugins/health.ts';
import { imagesPlugin } from './plugins/images.ts';
import { registerMessaging, type Messaging } from './plugins/messaging.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { registerIngestMetrics } from './ingest/metrics.ts';
import { registerScheduler, type Scheduling } from './plugins/scheduler.ts';
import { createTestClock, registerTestHooks } from './plugins/test-hooks.ts';
import { Readiness } from './readiness.ts';
import { createChartRenderer } from './render/index.ts';
import { apiRoutes } from './routes/api/index.ts';

/** Fastify's default body limit; big uploads get route-scoped stream parsers instead (pitfalls.md). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOverrides {
  /** An already opened database (tests, the server); otherwise opened from config and closed with the app. */
  database?: Database;
  /** A pino logger, or false for silence (tests). */
  logger?: Logger | false;
  readiness?: Readiness;
  /** false → the outbox worker is not started (tests drive it with runOnce). */
  startOutbox?: boolean;
  /** false → the scheduler's heartbeat is not started (tests call `scheduling.scheduler.tick()`). */
  startScheduler?: boolean;
  /** The scheduler's and digests' clock (tests); defaults to now. */
  clock?: () => Date;
}

export interface BuiltApp {
  app: FastifyInstance;
  database: Database;
  readiness: Readiness;
  messaging: Messaging;
  scheduling: Scheduling;
}

export async function buildApp(config: AppConfig, overrides: AppOverrides = {}): Promise<BuiltApp> {
  const ownsDatabase = !overrides.database;
  const database =
    overrides.database ??
    (await openDatabase({ url: config.databaseUrl, pgliteDir: config.databaseUrl ? undefined : config.pgliteDir }));
  const readiness = overrides.readiness ?? new Readiness();

  const loggerOption =
    overrides.logger === false
      ? { logger: false }
      : overrides.logger
        ? { loggerInstance: overrides.logger as FastifyBaseLogger }
        : { logger: loggerOptions(config) };
  const app: FastifyInstance = Fastify({
    ...loggerOption,
    bodyLimit: BODY_LIMIT_BYTES,
    // Slow clients must not hold sockets forever; webhook platforms retry on their own.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    trustProxy: false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });

  // Responses still in flight when close() starts tell the client to drop the connection, so an
  // idle keep-alive socket cannot hold the shutdown open after its last answer.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  await app.register(errorsPlugin);
  await app.register(metricsPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'LinkStar KPI Bot API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Only /api/v1 is the documented REST surface; chat webhooks and the console are not.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/v1') ? schema : { ...schema, hide: true }, url }),
  });
  await app.register(healthPlugin, { database, readiness });
  registerIngestMetrics(app.metrics, database);
  await app.register(imagesPlugin, { database });
  // One renderer per process: it bounds concurrent renders and caches PNGs under DATA_DIR.
  const charts = createChartRenderer({ cacheDir: join(config.dataDir, 'charts') });
  const messaging = await registerMessaging(app, { config, database, logger: app.log as Logger, charts, readiness, startOutbox: overrides.startOutbox });
  await app.register(apiRoutes, { prefix: '/api/v1', config, database, charts });
  // TEST_HOOKS=on: the clock is set over HTTP and the scheduler runs only when ticked (test-hooks.ts).
  const testClock = config.testHooks ? createTestClock() : undefined;
  const clock = testClock ? testClock.now : overrides.clock;
  const startScheduler = config.testHooks ? false : overrides.startScheduler;
  const scheduling = registerScheduler(app, { config, database, logger: app.log as Logger, charts, wakeOutbox: () => messaging.outbox.wake(), start: startScheduler, clock });
  if (testClock) registerTestHooks(app, { clock: testClock, scheduler: scheduling.scheduler, logger: app.log as Logger });

  if (ownsDatabase) app.addHook('onClose', async () => database.close());
  return { app, database, readiness, messaging, scheduling };
}
