/**
 * Wires the scheduler into the server: goal evaluation, digest subscriptions and the housekeeping job as job
 * sources, counters on the app's /metrics registry, and a node-cron heartbeat started when the
 * server is ready (after migrations and the demo, so the first tick's catch-up sees the data) and
 * stopped on close. `start: false` leaves it idle; tests tick it with their own clock.
 */
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { createDigestService, type DigestService } from '../digests/service.ts';
import { goalEvaluationJobs } from '../goals/job.ts';
import { monthCloseJobs } from '../scores/jobs.ts';
import { reconciliationJobs } from '../ingest/reconcile-job.ts';
import { alertLifecycleJobs } from '../alerts/lifecycle/jobs.ts';
import { alertEngineJobs } from '../alerts/jobs.ts';
import { connectorJobs } from '../ingest/connectors/schedule.ts';
import type { ChartRenderer } from '../render/index.ts';
import { createHeartbeat, createScheduler, createSchedulerMetrics, housekeepingJob, type Scheduler } from '../scheduler/index.ts';

export interface Scheduling {
  scheduler: Scheduler;
  digests: DigestService;
}

export function registerScheduler(
  app: FastifyInstance,
  deps: { config: AppConfig; database: Database; logger: Logger; charts: ChartRenderer; wakeOutbox?: () => void; start?: boolean; clock?: () => Date },
): Scheduling {
  const { config, database } = deps;
  const logger = deps.logger.child({ component: 'scheduler' });
  const digests = createDigestService({
    database,
    charts: deps.charts,
    publicUrl: config.publicUrl,
    logger,
    defaultLocale: config.defaultLocale,
    ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const housekeeping = housekeepingJob(database, config.retention, (pruned) => logger.info({ pruned }, 'housekeeping done'));
  const scheduler = createScheduler({
    database,
    logger,
    node: `${hostname()}:${process.pid}`,
    // Goals are evaluated at 08:30 local time, before the 09:00 digests read their colours.
    sources: [goalEvaluationJobs({ database, ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}) }), monthCloseJobs({ database, ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}) }), digests.jobs, reconciliationJobs({ database, publicUrl: config.publicUrl, ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}) }), connectorJobs({ database, publicUrl: config.publicUrl, secretsKey: config.secretsKey, logger, ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}), ...(deps.clock ? { now: deps.clock } : {}) }), alertLifecycleJobs({ database, logger, ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}), ...(deps.clock ? { clock: deps.clock } : {}) }), alertEngineJobs({ database, logger, ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}), ...(deps.clock ? { clock: deps.clock } : {}) }), async () => [housekeeping]],
    metrics: createSchedulerMetrics(app.metrics),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  if (deps.start !== false) {
    const heartbeat = createHeartbeat(scheduler, logger);
    app.addHook('onReady', async () => heartbeat.start());
    app.addHook('preClose', async () => heartbeat.stop());
  }
  return { scheduler, digests };
}
