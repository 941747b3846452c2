/**
 * The start-up steps that gate readiness, in ARCHITECTURE.md order: migrate → seed the demo →
 * evaluate alert rules once. Each feature adds its step here when it lands (the demo generator,
 * the alert engine); until then only the steps that exist are registered, so /readyz never
 * claims work that was not done.
 */
import type { Logger } from 'pino';
import type { AppConfig } from './config.ts';
import type { Database } from './db/client.ts';
import { ensureDemo } from './demo/lifecycle.ts';
import { evaluateAtStart, registerAlertImportHook } from './alerts/jobs.ts';
import type { Readiness } from './readiness.ts';

export interface StartupDeps {
  config: AppConfig;
  database: Database;
  logger: Logger;
  /** Clock for the demo's "yesterday" (tests); defaults to now. */
  now?: () => Date;
}

export function registerStartupSteps(readiness: Readiness, deps: StartupDeps): void {
  readiness.add({ name: 'migrations', run: () => deps.database.migrate() });
  // DEMO=off registers nothing: the demo is never seeded nor rolled forward.
  if (deps.config.demo === 'auto') readiness.add({ name: 'demo', run: () => runDemoStep(deps) });
  // After the demo: a fresh start already shows live alerts; imports re-evaluate their stores.
  readiness.add({ name: 'alerts', run: () => (registerAlertImportHook(), evaluateAtStart(deps.database, deps.logger, deps.now?.())) });
}

/** Seeds the demo when absent or empty, else rolls it forward to yesterday (DEFAULT_TIMEZONE). */
async function runDemoStep(deps: StartupDeps): Promise<void> {
  const { config, logger } = deps;
  const outcome = await ensureDemo(deps.database, {
    timezone: config.defaultTimezone,
    currency: config.defaultCurrency,
    locale: config.defaultLocale,
    now: deps.now?.(),
  });
  if (outcome.action === 'seeded') {
    const rows = Object.values(outcome.summary.rows).reduce((a, b) => a + b, 0);
    logger.info({ anchor: outcome.summary.anchor, seed: outcome.summary.seed, rows, ms: outcome.summary.ms }, 'demo workspace seeded');
  } else if (outcome.action === 'rolled' && outcome.result.status === 'rolled') {
    logger.info({ anchor: outcome.result.anchor, days: outcome.result.days, ms: outcome.result.ms }, 'demo workspace rolled forward');
  } else if (outcome.action === 'rolled' && outcome.result.status === 'reseeded') {
    logger.info({ anchor: outcome.result.summary.anchor, ms: outcome.result.summary.ms }, 'demo workspace was older than its window: seeded afresh');
  } else if (outcome.action === 'skipped') {
    logger.warn('workspace "demo" is a real workspace: the demo is not seeded');
  }
}
