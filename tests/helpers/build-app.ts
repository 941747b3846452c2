/**
 * Builds a real app on a real database for `app.inject` tests, and closes it after the test
 * (fastify/demo's `build(t)`). Config comes from an explicit env object, never process.env.
 */
import { onTestFinished } from 'vitest';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { loadConfig, type AppConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ DATA_DIR: '/tmp/kpibot-test-data', LOG_LEVEL: 'silent', LOG_FORMAT: 'json', ...env });
}

export async function buildTestApp(database: Database, env: Record<string, string> = {}): Promise<BuiltApp> {
  // The scheduler's heartbeat would run real-time digests into other tests' chats; scheduler tests tick it themselves.
  const built = await buildApp(testConfig(env), { database, logger: false, startScheduler: false });
  onTestFinished(async () => {
    await built.app.close();
  });
  await built.app.ready();
  return built;
}
