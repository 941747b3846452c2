/**
 * Entry point (`npm start`): load config → open the database → start-up steps (migrate, …) →
 * listen → print where to go. SIGTERM/SIGINT close the app, which stops accepting connections,
 * drains in-flight requests and closes the database; a second signal forces the exit.
 */
import type { Logger } from 'pino';
import { ConfigError, applyRuntimeEnv, loadConfig, type AppConfig } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './db/client.ts';
import { acquireDataDirLock, type DataDirLock } from './db/data-dir-lock.ts';
import { isAppError } from './errors.ts';
import { createLogger } from './logger.ts';
import { Readiness } from './readiness.ts';
import { registerStartupSteps } from './startup-steps.ts';

/** Kubernetes' default termination grace period is 30 s; finish well inside it. */
const SHUTDOWN_DEADLINE_MS = 20_000;

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) console.error(`config: ${p}`);
      process.exit(1);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = readConfig();
  applyRuntimeEnv(config);
  const logger: Logger = createLogger(config);
  for (const w of config.warnings) logger.warn(w);

  let lock: DataDirLock | undefined;
  if (!config.databaseUrl) {
    try {
      lock = acquireDataDirLock(config.dataDir, 'server');
    } catch (err) {
      if (isAppError(err)) {
        console.error(`kpibot: ${err.message}`);
        process.exit(1);
      }
      throw err;
    }
  }

  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : config.pgliteDir,
  });
  const readiness = new Readiness();
  const { app } = await buildApp(config, { database, logger, readiness });
  app.addHook('onClose', async () => database.close());
  registerStartupSteps(readiness, { config, database, logger });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      lock?.release();
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down: draining in-flight work');
    const force = setTimeout(() => {
      logger.error('shutdown deadline passed: exiting');
      lock?.release();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    app
      .close()
      .then(() => {
        lock?.release();
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error while closing');
        lock?.release();
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await readiness.runAll((name, ms) => logger.info({ step: name, ms }, `start-up: ${name} done`));
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    await app.close().catch(() => {});
    lock?.release();
    process.exit(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const localUrl = `http://${config.loopbackHost ? 'localhost' : config.host}:${port}`;
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  lock?.setUrl(`http://${config.loopbackHost || wildcard ? '127.0.0.1' : config.host}:${port}`);
  const ms = Math.round(performance.now() - startedAt);
  logger.info({ ms, database: database.kind }, `ready in ${ms} ms on ${localUrl}`);
  // The contract asks `npm start` to print where to go, for the person at the terminal (not a log line).
  if (app.hasRoute({ method: 'GET', url: '/console' })) process.stdout.write(`console: ${localUrl}/console\n`);
  process.stdout.write(`kpibot listening on ${localUrl} (health: ${localUrl}/healthz)\n`);
}

main().catch((err: unknown) => {
  console.error('kpibot: fatal start-up error', err instanceof Error ? err.message : err);
  process.exit(1);
});
