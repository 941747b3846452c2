/**
 * Child entry of the crash test: the real service, built exactly as `src/server.ts` builds it
 * (config from env, buildApp with every configured platform, start-up steps, listen), that then
 * produces a fan-out: cards enqueued through the real outbox (`enqueueDeliveries`), committed a
 * few hundred per transaction, waking the outbox worker after each.
 * argv: <n> <tenants JSON>. Prints `kpibot listening on <url> ` and then `fanout enqueued <n>`.
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/app.ts';
import { enqueueDeliveries, PRIORITY } from '../../src/bot/outbox/enqueue.ts';
import { applyRuntimeEnv, loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { Readiness } from '../../src/readiness.ts';
import { registerStartupSteps } from '../../src/startup-steps.ts';
import { FANOUT_WORKSPACE, fanoutItem, fanoutMessage, type FanoutTenants } from './crash-fanout-plan.ts';

const PER_TRANSACTION = 1_000;

const n = Number(process.argv[2]);
const tenants = JSON.parse(process.argv[3] ?? '{}') as FanoutTenants;
const config = loadConfig();
applyRuntimeEnv(config);
const logger = createLogger(config);
const database = await openDatabase({ url: config.databaseUrl });
const readiness = new Readiness();
const { app, messaging } = await buildApp(config, { database, logger, readiness });
registerStartupSteps(readiness, { config, database, logger });
await readiness.runAll(() => {});
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
process.stdout.write(`kpibot listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : config.port} (fan-out child)\n`);

await database.query(sql`insert into workspaces (id, name, timezone, currency, locale) values (${FANOUT_WORKSPACE}, 'Crash test', 'UTC', 'USD', 'en') on conflict do nothing`);
for (let from = 0; from < n; from += PER_TRANSACTION) {
  const batch = Array.from({ length: Math.min(n, from + PER_TRANSACTION) - from }, (_, k) => from + k).map((i) => {
    const { target, key } = fanoutItem(i, tenants);
    return { workspaceId: FANOUT_WORKSPACE, target, message: fanoutMessage(i), priority: PRIORITY.digest, idempotencyKey: key, source: { type: 'digest', id: `crash:${i}` } };
  });
  await database.db.transaction(async (tx) => {
    await enqueueDeliveries(tx, batch);
  });
  messaging.outbox.wake();
}
process.stdout.write(`fanout enqueued ${n}\n`);
