/**
 * The digest outside chat: `POST /api/v1/digests/run` (dry run and queued, refusals), `kpibot
 * digest --chat` on its own database and through a running server, the scheduler wired into the
 * app (counters on /metrics, the housekeeping job) and housekeeping's retention rules.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/tokens.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { runHousekeeping } from '../../src/scheduler/housekeeping.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { cli } from '../helpers/cli.ts';
import { createPostgresDatabase, databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { prepareFonts } from '../helpers/render.ts';
import { seedDigestWorkspace } from './digest-fixture.ts';

afterAll(dropCreatedDatabases);
prepareFonts();

describe.each(ENGINES)('digests over REST and the CLI on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), (x) => seedDigestWorkspace(x));

  it('renders a chat’s digest for a dry run, queues it otherwise, and refuses mistakes with 4xx', async () => {
    const { app } = await buildTestApp(d);
    const dry = await app.inject({ method: 'POST', url: '/api/v1/digests/run?workspace=w', payload: { chatId: 'g1', dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ chatId: 'g1', platform: 'console', kind: 'digest', dryRun: true, deliveryId: null, card: { title: expect.stringMatching(/^日报 · 亚马逊组 · /) } });
    const [none] = await d.query<{ n: number }>(sql`select count(*) as n from deliveries`);
    expect(Number(none!.n)).toBe(0);
    const run = await app.inject({ method: 'POST', url: '/api/v1/digests/run?workspace=w', payload: { chatId: 'g1' } });
    expect(run.statusCode).toBe(200);
    const id = run.json().deliveryId as number;
    const [row] = await d.query<{ state: string; priority: number; source_type: string; target: { chatId: string } }>(sql`select state, priority, source_type, target from deliveries where id = ${id}`);
    expect(row).toMatchObject({ priority: 50, source_type: 'digest', target: { chatId: 'g1' } });
    expect(['pending', 'sending', 'sent']).toContain(row!.state);

    expect((await app.inject({ method: 'POST', url: '/api/v1/digests/run?workspace=w', payload: { chatId: 'nope' } })).json()).toMatchObject({ error: 'not_found', field: 'chatId' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/digests/run?workspace=w', payload: {} })).statusCode).toBe(400);
    await d.query(sql`insert into teams (workspace_id, id, name) values ('w', 'other', 'Other')`);
    const { token } = await createToken(d.db, { workspaceId: 'w', role: 'manager', teamId: 'other', createdBy: 'test' });
    const forbidden = await app.inject({ method: 'POST', url: '/api/v1/digests/run', headers: { authorization: `Bearer ${token}` }, payload: { chatId: 'g1' } });
    expect(forbidden.statusCode).toBe(403);
  });

  it('counts scheduler runs on /metrics and runs housekeeping as a job', async () => {
    const { app, scheduling } = await buildTestApp(d);
    const before = await app.inject({ method: 'GET', url: '/metrics' });
    expect(before.body).toContain('# TYPE scheduler_skipped_slots_total counter');
    const report = await scheduling.scheduler.tick();
    expect(report.ran.map((r) => r.jobId)).toContain('housekeeping');
    const after = await app.inject({ method: 'GET', url: '/metrics' });
    expect(after.body).toContain('scheduler_runs_total{kind="housekeeping",status="ok"} 1');
  });
});

describe.each(ENGINES)('housekeeping on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), (x) => seedDigestWorkspace(x, { withFacts: false }));

  it('prunes sent deliveries, console messages, usage events and old bookkeeping past retention, nothing else', async () => {
    const now = new Date('2026-11-23T03:17:00Z');
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const target = JSON.stringify({ platform: 'console', tenantKey: 'console', chatId: 'g1', kind: 'group' });
    const payload = JSON.stringify({ kind: 'text', markdown: 'x' });
    await d.query(sql`insert into deliveries (workspace_id, platform, kind, target, payload, state, sent_at, created_at) values
      ('w', 'console', 'push', ${target}::jsonb, ${payload}::jsonb, 'sent', ${ago(31)}::timestamptz, ${ago(31)}::timestamptz),
      ('w', 'console', 'push', ${target}::jsonb, ${payload}::jsonb, 'sent', ${ago(29)}::timestamptz, ${ago(29)}::timestamptz),
      ('w', 'console', 'push', ${target}::jsonb, ${payload}::jsonb, 'dead', null, ${ago(60)}::timestamptz),
      ('w', 'console', 'push', ${target}::jsonb, ${payload}::jsonb, 'pending', null, ${ago(60)}::timestamptz)`);
    await d.query(sql`insert into console_messages (id, workspace_id, chat_id, text, created_at, updated_at) values
      ('old', 'w', 'g1', 'x', ${ago(8)}::timestamptz, ${ago(8)}::timestamptz), ('new', 'w', 'g1', 'x', ${ago(6)}::timestamptz, ${ago(6)}::timestamptz),
      ('edited', 'w', 'g1', 'x', ${ago(8)}::timestamptz, ${ago(1)}::timestamptz)`);
    await d.query(sql`insert into usage_events (workspace_id, user_id, kind, platform, at) values
      ('w', 'bob', 'query', 'console', ${ago(91)}::timestamptz), ('w', 'bob', 'query', 'console', ${ago(89)}::timestamptz)`);
    await d.query(sql`insert into job_runs (job_id, slot, node) values ('daily:1', ${ago(40)}::timestamptz, 'n'), ('daily:1', ${ago(1)}::timestamptz, 'n')`);
    await d.query(sql`insert into inbound_dedup (platform, event_id, received_at) values ('slack', 'old', ${ago(8)}::timestamptz), ('slack', 'new', ${ago(1)}::timestamptz)`);
    const pruned = await runHousekeeping(d, { deliveriesDays: 30, consoleDays: 7, usageDays: 90 }, now);
    expect(pruned).toEqual({ deliveries: 1, consoleMessages: 1, usageEvents: 1, jobRuns: 1, dedup: 1 });
    const left = await d.query<{ state: string }>(sql`select state from deliveries order by id`);
    expect(left.map((r) => r.state)).toEqual(['sent', 'dead', 'pending']);
    expect((await d.query<{ id: string }>(sql`select id from console_messages order by id`)).map((r) => r.id)).toEqual(['edited', 'new']);
  });
});

describe.each(ENGINES)('kpibot digest on %s', (engine) => {
  const env: Record<string, string> = {};
  let dataDir = '';
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the card of a dry run from its own database, then asks a running server instead', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kpibot-digest-cli-'));
    env.DATA_DIR = dataDir;
    if (engine === 'postgres') env.DATABASE_URL = await createPostgresDatabase();
    const seeded = await openDatabase(engine === 'postgres' ? { url: env.DATABASE_URL } : { pgliteDir: join(dataDir, 'pglite') });
    await seeded.migrate();
    await seedDigestWorkspace(seeded);
    await seeded.close();

    const direct = await cli(env, 'digest', '--chat', 'g1', '--dry-run', '--workspace', 'w');
    expect(direct.err).toBe('');
    expect(direct.code).toBe(0);
    expect(direct.out).toMatch(/^日报 · 亚马逊组 · /);
    expect(direct.out).toContain('dry run: nothing was queued');
    expect((await cli(env, 'digest')).code).toBe(2);
    const unknown = await cli(env, 'digest', '--chat', 'nope', '--workspace', 'w');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no chat "nope"');
    if (engine === 'postgres') return; // The server handoff is a PGlite rule (one process per data dir).

    // A server on this data dir: the command must not open the database, it asks the server.
    const database = await openDatabase({});
    await database.migrate();
    await seedDigestWorkspace(database);
    const { app } = await buildTestApp(database);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(dataDir, 'server.lock'), JSON.stringify({ pid: holder.pid, role: 'server', url, startedAt: new Date().toISOString() }));
      const remote = await cli(env, 'digest', '--chat', 'g1', '--workspace', 'w', '--json');
      expect(remote.err).toContain(`asking it at ${url}`);
      const body = JSON.parse(remote.out) as { deliveryId: number; kind: string };
      expect(body.kind).toBe('digest');
      const [row] = await database.query<{ source_type: string }>(sql`select source_type from deliveries where id = ${body.deliveryId}`);
      expect(row?.source_type).toBe('digest');
    } finally {
      holder.kill();
      rmSync(join(dataDir, 'server.lock'), { force: true });
      await database.close();
    }
    // Each command opens the embedded data dir (initdb-sized work on PGlite): slow on a busy machine.
  }, 180_000);
});
