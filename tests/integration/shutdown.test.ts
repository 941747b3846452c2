/**
 * Graceful shutdown as server.ts does it (`app.close()` on SIGTERM): requests already in flight
 * finish with their real answer, new connections are refused, and the app's database closes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/db/client.ts';
import { testConfig } from '../helpers/build-app.ts';
import { dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

describe('graceful shutdown', () => {
  it('drains in-flight requests, then stops accepting and closes the database', async () => {
    const database: Database = await openTestDatabase('pglite');
    let closedDb = false;
    const tracked: Database = { ...database, close: async () => ((closedDb = true), database.close()) };
    const { app } = await buildApp(testConfig(), { database: tracked, logger: false, startScheduler: false });
    app.addHook('onClose', async () => tracked.close());
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    app.get('/slow', async () => {
      started();
      await new Promise((r) => setTimeout(r, 400));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };

    const slow = fetch(`http://127.0.0.1:${port}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await inFlight;
    const closing = app.close();
    const answer = await slow;
    expect(answer).toEqual({ status: 200, body: { done: true } });
    await closing;
    expect(closedDb).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
