/**
 * Two replicas on one database, each with its own connection pool and its own platform client,
 * as two processes have: the outbox sends every delivery exactly once between them. (Scheduler
 * slots across two pools: tests/integration/scheduler-engine.test.ts; two old/new processes on
 * one Postgres: upgrade.test.ts.) PGlite is one process, so there both share it.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { enqueueDelivery } from '../../src/bot/outbox/enqueue.ts';
import { createOutboxWorker } from '../../src/bot/outbox/worker.ts';
import type { PlatformLimits } from '../../src/bot/outbox/rate-limit.ts';
import { ENGINES, createPostgresDatabase, dropCreatedDatabases, insertWorkspace, openTestDatabase } from '../helpers/db.ts';
import { RecordingAdapter } from '../fakes/recording-adapter.ts';

const logger = pino({ level: 'silent' });
const WIDE: PlatformLimits = { app: { ratePerSecond: 10_000, burst: 10_000 }, chat: { ratePerSecond: 10_000, burst: 10_000 } };

describe.each(ENGINES)('two replicas on one %s database', (engine) => {
  let a!: Database;
  let b!: Database;
  beforeAll(async () => {
    if (engine === 'pglite') {
      a = await openTestDatabase('pglite');
      b = a;
    } else {
      const url = await createPostgresDatabase();
      a = await openDatabase({ url, poolSize: 4, applicationName: 'replica-1' });
      await a.migrate();
      b = await openDatabase({ url, poolSize: 4, applicationName: 'replica-2' });
    }
    await insertWorkspace(a, { id: 'w' });
  });
  afterAll(async () => {
    if (b !== a) await b.close();
    await a.close();
    await dropCreatedDatabases();
  });

  it('sends each of 80 deliveries exactly once, while more are being queued', async () => {
    const replicas = [
      { database: a, adapter: new RecordingAdapter(), node: 'replica-1' },
      { database: b, adapter: new RecordingAdapter(), node: 'replica-2' },
    ];
    const workers = replicas.map((r) => {
      r.adapter.delayMs = 3;
      return createOutboxWorker({ database: r.database, adapterFor: () => r.adapter, logger, node: r.node, limits: { slack: WIDE }, batchSize: 5, random: () => 0.5 });
    });
    // Queued half through each replica's pool, while both drain: a fan-out slot's shape.
    const enqueue = (async () => {
      for (let i = 0; i < 80; i++) {
        const r = replicas[i % 2]!;
        await enqueueDelivery(r.database.db, {
          workspaceId: 'w',
          target: { platform: 'slack', tenantKey: 'T1', chatId: `C${i}`, kind: 'group' },
          message: { kind: 'text', markdown: `m${i}` },
        });
      }
    })();
    let queued = false;
    void enqueue.then(() => (queued = true));
    const drain = async (w: (typeof workers)[number]) => {
      for (;;) {
        const n = await w.runOnce();
        if (n > 0) continue;
        if (queued && (await w.runOnce()) === 0) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all([enqueue, drain(workers[0]!), drain(workers[1]!)]);

    const sent = replicas.flatMap((r) => r.adapter.sent.map((s) => s.chatId));
    expect(sent).toHaveLength(80);
    expect(new Set(sent).size).toBe(80);
    expect(replicas.every((r) => r.adapter.sent.length > 0)).toBe(true);
    const [left] = await a.query<{ n: number }>(sql`select count(*)::int as n from deliveries where state <> 'sent'`);
    expect(Number(left!.n)).toBe(0);
  });
});
