/**
 * Connectors over REST and the CLI, with the ECB connector pointed at the loopback ECB: admins
 * only (403 otherwise), 404 for an unknown id, 400 for a bad window or bad settings, secrets never
 * echoed (responses, audit log), and `kpibot connectors list|test|run` on its own database.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/tokens.ts';
import { withDatabase } from '../../src/cli/context.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { registerConnector } from '../../src/ingest/connectors/registry.ts';
import { saveConnector } from '../../src/ingest/connectors/service.ts';
import type { ConnectorDefinition } from '../../src/ingest/connectors/types.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { cli, cliEnv } from '../helpers/cli.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { startFakeEcb, type FakeEcb } from '../fakes/ecb/server.ts';

afterAll(dropCreatedDatabases);

const KEY = 'r'.repeat(40);
const SECRET = 'tok_SUPER_SECRET_777';
const WEEK = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'].map((date, i) => ({ date, rates: { USD: 1.05 + i / 100, CNY: 7.5 } }));

/** A definition with a secret, to see what the surfaces echo (it never pulls here). */
const secretive: ConnectorDefinition = {
  kind: 'walmart', label: { en: 'Secretive', zh: '保密' }, datasets: ['orders'], source: 'api', repullDays: 1,
  configSchema: [{ key: 'token', label: { en: 'Token', zh: '令牌' }, secret: true, required: true, kind: 'string' }],
  async test() {
    return { ok: true };
  },
  async *pull() {},
};

let ecb: FakeEcb;
let unregister: () => void;
beforeAll(async () => {
  ecb = await startFakeEcb(WEEK);
  unregister = registerConnector(secretive);
});
afterAll(async () => {
  unregister();
  await ecb.close();
});

describe.each(ENGINES)('connectors over REST on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await x.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
  });

  it('lets admins configure, list, test and run connectors, and refuses everyone else and bad input with 4xx', async () => {
    const { app } = await buildTestApp(d, { SECRETS_KEY: KEY });
    const put = await app.inject({ method: 'PUT', url: '/api/v1/connectors/ecb', payload: { kind: 'fx_feed', settings: { baseUrl: ecb.baseUrl } } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: 'ecb', kind: 'fx_feed', state: 'active', storeId: null, datasets: ['fx'] });
    const secret = await app.inject({ method: 'PUT', url: '/api/v1/connectors/wm', payload: { kind: 'walmart', cadence: 'manual', settings: { token: SECRET } } });
    expect(secret.statusCode).toBe(200);
    expect(secret.json()).toMatchObject({ secretsSet: ['token'], config: {} });
    expect(secret.body).not.toContain(SECRET);
    expect(JSON.stringify(await d.query(sql`select * from audit_log`))).not.toContain(SECRET);

    const bad = await app.inject({ method: 'PUT', url: '/api/v1/connectors/x', payload: { kind: 'fx_feed', settings: { baseUrl: 'ftp://nope' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'baseUrl' });
    expect((await app.inject({ method: 'PUT', url: '/api/v1/connectors/x', payload: { kind: 'martian' } })).statusCode).toBe(400);

    const list = await app.inject({ method: 'GET', url: '/api/v1/connectors' });
    expect(list.statusCode).toBe(200);
    expect(list.json().connectors.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([['ecb', 'active'], ['wm', 'active']]);
    expect(list.body).not.toContain(SECRET);

    const test = await app.inject({ method: 'POST', url: '/api/v1/connectors/ecb/test', payload: {} });
    expect(test.json()).toEqual({ connectorId: 'ecb', ok: true, detail: 'rates of 2026-11-20 for 2 currencies' });
    const run = await app.inject({ method: 'POST', url: '/api/v1/connectors/ecb/run', payload: { from: '2026-11-19', to: '2026-11-20' } });
    expect(run.statusCode).toBe(200);
    // Per day EUR→USD, EUR→CNY, CNY→USD: 2 days × 3 = 6 rows.
    expect(run.json()).toMatchObject({ status: 'ok', window: { from: '2026-11-19', to: '2026-11-20' }, runs: [{ dataset: 'fx', status: 'ok', rowsAccepted: 6 }] });

    for (const payload of [{ from: '2026-11-20', to: '2026-11-19' }, { from: '19/11/2026' }, { from: '2026-11-19', to: '2099-01-01' }, { since: '2026-11-19' }]) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/connectors/ecb/run', payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await app.inject({ method: 'POST', url: '/api/v1/connectors/nope/run', payload: {} })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/connectors/nope/test', payload: {} })).statusCode).toBe(404);

    const { token } = await createToken(d.db, { workspaceId: 'w', role: 'finance', createdBy: 'test' });
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/connectors', headers: auth })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/connectors/ecb/run', headers: auth, payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/connectors/ecb/test', headers: auth, payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/connectors/ecb', headers: auth, payload: { kind: 'fx_feed' } })).statusCode).toBe(403);
  });
});

describe.each(ENGINES)('kpibot connectors on %s', (engine) => {
  const env = cliEnv(engine, 'kpibot-connectors-');
  beforeAll(async () => {
    env.SECRETS_KEY = KEY;
    expect((await cli(env, 'workspace', 'create', 'w', '--currency', 'USD')).code).toBe(0);
    await withDatabase((ctx) => saveConnector(ctx.database, KEY, 'w', { id: 'ecb', kind: 'fx_feed', settings: { baseUrl: ecb.baseUrl }, createdBy: 'test' }), { env: { ...env, LOG_LEVEL: 'silent' }, out: () => {} });
  });

  it('lists, tests and runs a connector, and refuses a bad window, an unknown id and bad usage', async () => {
    const list = await cli(env, 'connectors', 'list', '--workspace', 'w');
    expect(list).toMatchObject({ code: 0, out: expect.stringMatching(/^ecb {2}fx_feed {2}\(workspace\) {2}daily {2}active {2}never succeeded$/) });
    expect(await cli(env, 'connectors', 'test', 'ecb', '--workspace', 'w')).toMatchObject({ code: 0, out: 'ecb: ok (rates of 2026-11-20 for 2 currencies)' });
    const run = await cli(env, 'connectors', 'run', 'ecb', '--from', '2026-11-18', '--to', '2026-11-20', '--workspace', 'w');
    // 3 days × 3 rows.
    expect(run).toMatchObject({ code: 0, out: expect.stringContaining('fx: run 1 ok, 9 accepted, 0 rejected') });
    const json = JSON.parse((await cli(env, 'connectors', 'list', '--workspace', 'w', '--json')).out);
    expect(json.connectors[0]).toMatchObject({ id: 'ecb', state: 'active', lastErrorCode: null });
    const backwards = await cli(env, 'connectors', 'run', 'ecb', '--from', '2026-11-20', '--to', '2026-11-18', '--workspace', 'w');
    expect(backwards).toMatchObject({ code: 2, err: expect.stringContaining('from must not be after to') });
    expect(await cli(env, 'connectors', 'run', 'nope', '--workspace', 'w')).toMatchObject({ code: 1, err: expect.stringContaining('no connector "nope"') });
    expect((await cli(env, 'connectors', 'run')).code).toBe(2);
    expect((await cli(env, 'connectors', 'sync', 'ecb')).code).toBe(2);
    if (engine === 'postgres') return; // The server handoff is a PGlite rule (one process per data dir).

    // A server holds this data dir: the command asks it over HTTP instead of opening the database.
    const database = await openDatabase({});
    await database.migrate();
    await database.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
    await saveConnector(database, KEY, 'w', { id: 'remote-ecb', kind: 'fx_feed', settings: { baseUrl: ecb.baseUrl }, createdBy: 'test' });
    const { app } = await buildTestApp(database, { SECRETS_KEY: KEY });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(env.DATA_DIR!, 'server.lock'), JSON.stringify({ pid: holder.pid, role: 'server', url, startedAt: new Date().toISOString() }));
      const remoteList = await cli(env, 'connectors', 'list', '--workspace', 'w');
      expect(remoteList.err).toContain(`asking it at ${url}`);
      expect(remoteList.out).toMatch(/^remote-ecb {2}fx_feed/);
      const remoteRun = await cli(env, 'connectors', 'run', 'remote-ecb', '--from', '2026-11-20', '--to', '2026-11-20', '--workspace', 'w');
      expect(remoteRun).toMatchObject({ code: 0, out: expect.stringContaining('3 accepted') });
      expect(await database.query(sql`select 1 from fx_rates`)).toHaveLength(3);
      expect((await cli(env, 'connectors', 'run', 'remote-ecb', '--from', '2026-11-20', '--to', '2026-11-19', '--workspace', 'w')).code).toBe(2);
      expect((await cli(env, 'connectors', 'test', 'nope', '--workspace', 'w')).code).toBe(1);
    } finally {
      holder.kill();
      rmSync(join(env.DATA_DIR!, 'server.lock'), { force: true });
      await database.close();
    }
  }, 180_000);
});
