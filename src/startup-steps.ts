/**
 * The start-up steps that gate readiness, in ARCHITECTURE.md order: migrate → seed the demo →
 * evaluate alert rules once. Each feature adds its step here when it lands (the demo generator,
 * the alert engine); until then only the steps that exist are registered, so /readyz never
 * claims work that was not done.
 */
import type { Logger } from 'pino';
import type { AppConfig } from './config.ts';
import type { Database } from './db/client.ts';
import type { Readiness } from './readiness.ts';

export interface StartupDeps {
  config: AppConfig;
  database: Database;
  logger: Logger;
}

export function registerStartupSteps(readiness: Readiness, deps: StartupDeps): void {
  readiness.add({ name: 'migrations', run: () => deps.database.migrate() });
}
