import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/tokens.ts';
import { recordAudit } from '../../src/audit/audit-log.ts';
import type { Database } from '../../src/db/client.ts';
import { Readiness } from '../../src/readiness.ts';
import { buildApp } from '../../src/app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase, truncateAll } from '../helpers/db.ts';
import { buildTestApp, testConfig } from '../helpers/build-app.ts';

afterAll(dropCreatedDatabases);

const ADMIN = 'admin-token-0123456789';

async function seedWorkspace(database: Database, id = 'acme', isDemo = false): Promise<void> {
  await database.query(sql`insert into workspaces (id, name, timezone, currency, locale, is_demo)
    values (${id}, ${id}, 'Asia/Shanghai', 'CNY', 'zh-CN', ${isDemo})`);
  await recordAudit(database.db, {
    workspaceId: id,
    actor: { kind: 'user', id: 'alice', name: '王丽' },
    action: 'update',
    entity: 'goal',
    entityId: '7',
    before: { target: 100 },
    after: { target: 120 },
    reason: 'stockout',
  });
}

describe.each(ENGINES)('routes on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => database?.close());
  beforeEach(async () => truncateAll(database));

  it('GET /healthz is 200 {status: ok}', async () => {
    const { app } = await buildTestApp(database);
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 503 with reasons until start-up steps finish, then 200', async () => {
    const readiness = new Readiness();
    let release!: () => void;
    readiness.add({ name: 'migrations', run: () => database.migrate() });
    readiness.add({ name: 'demo', run: () => new Promise<void>((r) => (release = r)) });
    const { app } = await buildApp(testConfig(), { database, logger: false, readiness, startScheduler: false });
    try {
      const before = await app.inject({ method: 'GET', url: '/readyz' });
      expect(before.statusCode).toBe(503);
      expect(before.json().reasons).toEqual(['migrations pending', 'demo pending']);
      const running = readiness.runAll();
      // Wait for the first step itself, not a fixed delay: a busy CI machine can take a while.
      for (let i = 0; i < 200 && readiness.report(true).steps.migrations !== 'done'; i++) await new Promise((r) => setTimeout(r, 25));
      const mid = await app.inject({ method: 'GET', url: '/readyz' });
      expect(mid.statusCode).toBe(503);
      expect(mid.json().steps).toEqual({ migrations: 'done', demo: 'running' });
      release();
      await running;
      const after = await app.inject({ method: 'GET', url: '/readyz' });
      expect(after.statusCode).toBe(200);
      expect(after.json()).toMatchObject({ status: 'ready', reasons: [] });
    } finally {
      await app.close();
    }
  });

  it('GET /readyz is 503 when the database does not answer', async () => {
    const broken: Database = { ...database, ping: async () => Promise.reject(new Error('connection refused')) };
    const { app } = await buildTestApp(broken);
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().reasons).toEqual(['database unreachable: connection refused']);
  });

  it('GET /metrics serves Prometheus text with defaults and HTTP histograms', async () => {
    const { app } = await buildTestApp(database);
    await app.inject({ method: 'GET', url: '/healthz' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1/);
    // Outbox gauges are read from the shared table at scrape time.
    expect(res.body).toContain('# TYPE outbox_depth gauge');
    expect(res.body).toContain('# TYPE outbox_sent_total counter');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = await buildTestApp(database);
    const res = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /nope' });
  });

  describe('bad bodies', () => {
    async function echoApp() {
      const { app } = await buildApp(testConfig(), { database, logger: false, startScheduler: false });
      app.post('/echo', async (req) => ({ got: req.body }));
      await app.ready();
      return app;
    }

    it('413 for a body over the 1 MiB limit', async () => {
      const app = await echoApp();
      try {
        const res = await app.inject({
          method: 'POST',
          url: '/echo',
          headers: { 'content-type': 'application/json' },
          payload: `{"x":"${'a'.repeat(1024 * 1024)}"}`,
        });
        expect(res.statusCode).toBe(413);
        expect(res.json()).toEqual({ error: 'payload_too_large', message: 'request body is too large' });
      } finally {
        await app.close();
      }
    });

    it('400 for malformed JSON, 415 for an unsupported content type, 200 for good JSON', async () => {
      const app = await echoApp();
      try {
        const bad = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"x": ' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error).toBe('invalid_json');
        expect(bad.body).not.toMatch(/at .*\.js/);
        const weird = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-weird' }, payload: 'hi' });
        expect(weird.statusCode).toBe(415);
        expect(weird.json().error).toBe('unsupported_media_type');
        const good = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
        expect(good.statusCode).toBe(200);
        expect(good.json()).toEqual({ got: { a: 1 } });
      } finally {
        await app.close();
      }
    });

    it('a thrown bug is a generic 500 with no internals', async () => {
      const { app } = await buildApp(testConfig(), { database, logger: false, startScheduler: false });
      app.get('/boom', async () => {
        throw new Error('secret internal detail at /srv/x.ts:12');
      });
      try {
        const res = await app.inject({ method: 'GET', url: '/boom' });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({ error: 'internal', message: 'internal server error' });
      } finally {
        await app.close();
      }
    });
  });

  describe('GET /api/v1/audit and the REST principal', () => {
    it('loopback without API_TOKEN acts as admin of the only workspace', async () => {
      await seedWorkspace(database);
      const { app } = await buildTestApp(database);
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit' });
      expect(res.statusCode).toBe(200);
      const [entry] = res.json().entries;
      expect(entry).toMatchObject({
        actor: { kind: 'user', id: 'alice', name: '王丽' },
        action: 'update',
        entity: 'goal',
        entityId: '7',
        before: { target: 100 },
        after: { target: 120 },
        reason: 'stockout',
      });
    });

    it('refuses a non-loopback caller without a token', async () => {
      await seedWorkspace(database);
      const { app } = await buildTestApp(database);
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit', remoteAddress: '10.1.2.3' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toBe('unauthorized');
    });

    it('with API_TOKEN set, loopback needs a token too', async () => {
      await seedWorkspace(database);
      const { app } = await buildTestApp(database, { API_TOKEN: ADMIN });
      expect((await app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
      const wrong = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: 'Bearer nope-nope-nope' } });
      expect(wrong.statusCode).toBe(401);
      const ok = await app.inject({
        method: 'GET',
        url: '/api/v1/audit',
        remoteAddress: '203.0.113.9',
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().entries).toHaveLength(1);
    });

    it('admin token picks a workspace with ?workspace= when there are several', async () => {
      await seedWorkspace(database, 'acme');
      await seedWorkspace(database, 'beta');
      const { app } = await buildTestApp(database, { API_TOKEN: ADMIN });
      const headers = { authorization: `Bearer ${ADMIN}` };
      const ambiguous = await app.inject({ method: 'GET', url: '/api/v1/audit', headers });
      expect(ambiguous.statusCode).toBe(400);
      expect(ambiguous.json()).toMatchObject({ field: 'workspace' });
      const beta = await app.inject({ method: 'GET', url: '/api/v1/audit?workspace=beta', headers });
      expect(beta.statusCode).toBe(200);
      const missing = await app.inject({ method: 'GET', url: '/api/v1/audit?workspace=zzz', headers });
      expect(missing.statusCode).toBe(404);
    });

    it('a scoped token acts within its workspace and role', async () => {
      await seedWorkspace(database, 'acme');
      await seedWorkspace(database, 'beta');
      const admin = await createToken(database.db, { workspaceId: 'acme', role: 'admin', createdBy: 'test' });
      const fin = await createToken(database.db, { workspaceId: 'acme', role: 'finance', createdBy: 'test' });
      const { app } = await buildTestApp(database, { API_TOKEN: ADMIN });
      const asAdmin = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${admin.token}` } });
      expect(asAdmin.statusCode).toBe(200);
      const otherWs = await app.inject({
        method: 'GET',
        url: '/api/v1/audit?workspace=beta',
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(otherWs.statusCode).toBe(403);
      const asFinance = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${fin.token}` } });
      expect(asFinance.statusCode).toBe(403);
      expect(asFinance.json().error).toBe('forbidden');
      // A token with a forged secret but a real id is refused.
      const forged = admin.token.slice(0, -4) + 'AAAA';
      const bad = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${forged}` } });
      expect(bad.statusCode).toBe(401);
    });

    it('refuses a revoked token', async () => {
      await seedWorkspace(database);
      const t = await createToken(database.db, { workspaceId: 'acme', role: 'admin', createdBy: 'test' });
      await database.query(sql`update api_tokens set revoked_at = now()`);
      const { app } = await buildTestApp(database);
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${t.token}` } });
      expect(res.statusCode).toBe(401);
    });

    it('filters by actor, entity and time, and validates the query', async () => {
      await seedWorkspace(database);
      await recordAudit(database.db, { workspaceId: 'acme', actor: { kind: 'cli', name: 'cli:root' }, action: 'create', entity: 'api_token' });
      const { app } = await buildTestApp(database);
      const byActor = await app.inject({ method: 'GET', url: `/api/v1/audit?actor=${encodeURIComponent('王丽')}` });
      expect(byActor.json().entries.map((e: { entity: string }) => e.entity)).toEqual(['goal']);
      const byEntity = await app.inject({ method: 'GET', url: '/api/v1/audit?entity=api_token' });
      expect(byEntity.json().entries).toHaveLength(1);
      const future = await app.inject({ method: 'GET', url: '/api/v1/audit?from=2999-01-01' });
      expect(future.json().entries).toEqual([]);
      const today = new Date().toISOString().slice(0, 10);
      const todayOnly = await app.inject({ method: 'GET', url: `/api/v1/audit?from=${today}&to=${today}` });
      expect(todayOnly.json().entries).toHaveLength(2);
      const bad = await app.inject({ method: 'GET', url: '/api/v1/audit?from=yesterday-ish' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'invalid_argument', field: 'from' });
      const badLimit = await app.inject({ method: 'GET', url: '/api/v1/audit?limit=0' });
      expect(badLimit.statusCode).toBe(400);
      expect(badLimit.json().error).toBe('invalid_request');
    });

    it('pages with limit and before', async () => {
      await seedWorkspace(database);
      for (let i = 0; i < 3; i++) {
        await recordAudit(database.db, { workspaceId: 'acme', actor: { kind: 'system' }, action: `a${i}`, entity: 'x' });
      }
      const { app } = await buildTestApp(database);
      const first = (await app.inject({ method: 'GET', url: '/api/v1/audit?limit=2' })).json();
      expect(first.entries.map((e: { action: string }) => e.action)).toEqual(['a2', 'a1']);
      const second = (await app.inject({ method: 'GET', url: `/api/v1/audit?limit=2&before=${first.next}` })).json();
      expect(second.entries.map((e: { action: string }) => e.action)).toEqual(['a0', 'update']);
    });
  });

  it('serves the OpenAPI document of /api/v1 only', async () => {
    const { app } = await buildTestApp(database);
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/audit');
    expect(Object.keys(doc.paths).every((p: string) => p.startsWith('/api/v1'))).toBe(true);
  });
});
