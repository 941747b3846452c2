/**
 * Issue #33 item 3: two service processes on one Postgres live through a simulated month. Both
 * run with TEST_HOOKS=on (their clocks are set over HTTP and their schedulers run only when
 * ticked) against the same fake Slack and fake Feishu. Every simulated hour both replicas get the
 * same instant and tick at once; their outboxes send for real. Then: every daily digest reached
 * each chat exactly once a day, every alert notification once, no job slot ran twice, both
 * replicas did part of the work, and an Acknowledge click on replica A is what replica B shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { ConfigError } from '../../src/config.ts';
import { buildTestApp, testConfig } from '../helpers/build-app.ts';
import { createPostgresDatabase, dropCreatedDatabases } from '../helpers/db.ts';
import { testEnv } from '../helpers/env.ts';
import { startServer, type StartedServer } from '../helpers/processes.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack/harness.ts';
import { clickPayload as slackClick } from '../fakes/slack/click.ts';
import { slackRequest } from '../fakes/slack/requests.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from '../fakes/feishu/harness.ts';
import { clickPayload as feishuClick, feishuRequest, fixture as feishuFixture } from '../fakes/feishu/requests.ts';
import { startFakeFeishu, type FakeFeishu } from '../fakes/feishu/server.ts';
import { recordSection } from './figures.ts';
import { ALICE_FEISHU, ALICE_SLACK, CHATS, SLACK_TEAM, lowDays, TEAMS, seedWorld } from './replicas-world.ts';

const SIM_DAYS = 30;
const HOUR = 3_600_000;
const STEP = 4 * HOUR;
const API_TOKEN = 'replicas-test-admin-token-0001';
type Json = Record<string, unknown>;

interface Replica {
  name: 'A' | 'B';
  server: StartedServer;
  dataDir: string;
}

const replicas: Replica[] = [];
let fakeSlack: FakeSlack | undefined;
let fakeFeishu: FakeFeishu | undefined;
let database: Database | undefined;

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.server.stop('SIGTERM')));
  for (const r of replicas) rmSync(r.dataDir, { recursive: true, force: true });
  await fakeSlack?.close();
  await fakeFeishu?.close();
  await database?.close();
  await dropCreatedDatabases();
});

async function post(r: Replica, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json; text: string }> {
  const res = await fetch(`${r.server.url}${path}`, {
    method: 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // not JSON: `text` has it
  }
  return { status: res.status, json, text };
}

/** Sends an `app.inject`-shaped platform request over real HTTP. */
async function deliver(r: Replica, req: { url: string; headers: Record<string, string>; payload: string }): Promise<{ status: number; text: string }> {
  const res = await fetch(`${r.server.url}${req.url}`, { method: 'POST', headers: req.headers, body: req.payload });
  return { status: res.status, text: await res.text() };
}

let slackCommands = 0;
const slackCommand = (chatId: string, text: string) => ({
  token: 'x', team_id: SLACK_TEAM, team_domain: 'acme', channel_id: chatId, channel_name: chatId, user_id: ALICE_SLACK, user_name: 'alice',
  command: '/kpi', api_app_id: 'A0KPIBOT1', is_enterprise_install: 'false', trigger_id: `replicas.${++slackCommands}.${Date.now()}`,
  text,
  response_url: fakeSlack!.responseUrl(),
});

let feishuEvents = 0;
function feishuMention(chatId: string, text: string): Json {
  const p = feishuFixture('mention');
  (p.header as Json).event_id = `ev_replicas_${++feishuEvents}`;
  const message = (p.event as Json).message as Json;
  message.message_id = `om_replicas_${feishuEvents}`;
  message.chat_id = chatId;
  message.content = JSON.stringify({ text: `@_user_1 ${text}` });
  message.mentions = (message.mentions as Json[]).slice(0, 1);
  return p;
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = async (q: ReturnType<typeof sql>) => Number((await database!.query<{ n: number }>(q))[0]?.n ?? 0);

/** Waits until neither outbox has anything it could still send. */
async function drained(): Promise<void> {
  await until('the outboxes to drain', async () => ((await count(sql`select count(*)::int as n from deliveries where state in ('pending', 'sending')`)) === 0 ? true : undefined), 120_000);
}

describe('two replicas over a simulated month', () => {
  it('sends every digest and alert once, shares the slots, and shows an ack on A from B', async () => {
    if (!testEnv.DATABASE_URL) throw new Error('this test needs Postgres: set DATABASE_URL');
    const started = performance.now();
    const url = await createPostgresDatabase();
    database = await openDatabase({ url, poolSize: 2, applicationName: 'replicas-test' });
    await database.migrate();

    // The month starts at the second UTC midnight from now: everything set up below (at the
    // real time) comes before it, as a real deployment's subscriptions come before their slots.
    const monthStart = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000);
    const firstDay = monthStart.toISOString().slice(0, 10);
    await seedWorld(database, firstDay, SIM_DAYS);

    fakeSlack = await startFakeSlack({ botToken: BOT_TOKEN, teamId: SLACK_TEAM });
    fakeFeishu = await startFakeFeishu({ limits: false });
    const env = {
      DATABASE_URL: url, DEMO: 'off', TEST_HOOKS: 'on', API_TOKEN, LOG_LEVEL: 'warn',
      // Sent rows carry the database's real time while housekeeping prunes by the simulated
      // clock, a month ahead: keep them, they are the evidence counted below.
      DELIVERY_RETENTION_DAYS: '90',
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fakeSlack.apiUrl,
      FEISHU_APP_ID: fakeFeishu.appId, FEISHU_APP_SECRET: fakeFeishu.appSecret, FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY, FEISHU_DOMAIN: fakeFeishu.origin,
    };
    const servers = await Promise.all(
      (['A', 'B'] as const).map(async (name) => {
        const dataDir = mkdtempSync(join(tmpdir(), `kpibot-replica-${name}-`));
        const server = await startServer({ ...env, DATA_DIR: dataDir }, 90_000);
        return { name, server, dataDir } satisfies Replica;
      }),
    );
    replicas.push(...servers);
    const [A, B] = servers as [Replica, Replica];
    for (const r of servers) expect(r.server.output()).toContain('TEST_HOOKS=on');

    // Subscriptions and the alert rule through chat, half through each replica.
    for (const [i, c] of CHATS.entries()) {
      const r = servers[i % 2]!;
      const res =
        c.platform === 'slack'
          ? await deliver(r, slackRequest(SIGNING_SECRET, slackCommand(c.chatId, 'digest subscribe 09:00')))
          : await deliver(r, feishuRequest(feishuMention(c.chatId, 'digest subscribe 09:00'), { encryptKey: ENCRYPT_KEY }));
      expect(res.status).toBe(200);
    }
    await deliver(A, slackRequest(SIGNING_SECRET, slackCommand(CHATS[0]!.chatId, 'alert rule add gmv < 500 per:store window:1d quiet:off')));
    await until('4 subscriptions and the rule', async () =>
      (await count(sql`select count(*)::int as n from subscriptions where enabled`)) === CHATS.length && (await count(sql`select count(*)::int as n from alert_rules where enabled`)) === 1 ? true : undefined,
    ).catch(async (err: unknown) => {
      throw new Error(`${String(err)}; slack calls: ${JSON.stringify(fakeSlack!.calls.map((x) => [x.method, x.args.text ?? x.args.blocks]))}; subscriptions: ${await count(sql`select count(*)::int as n from subscriptions`)}; A: ${A.server.output().slice(-4000)}`);
    });
    // The four "Subscribed" confirmations are queued after the rows are written: let them land
    // before the month's counting starts.
    await until('the confirmations', () => (fakeSlack!.messages.length >= 2 && fakeFeishu!.messages.length >= 2 ? true : undefined));
    await drained();
    const lastSetupDelivery = await count(sql`select coalesce(max(id), 0)::int as n from deliveries`);
    const slackBefore = fakeSlack.messages.length;
    const feishuBefore = fakeFeishu.messages.length;
    const setupMs = performance.now() - started;

    // The month: every four hours from 01:15 UTC. Alert rules evaluate at :10 every hour (only the
    // latest missed slot runs), so 17:15 and 09:15 see the first complete day of s1 (Shanghai) and
    // s2 (Los Angeles); the digests sit at 01:00 and 17:00 UTC (09:00 in each team's zone).
    const simStarted = performance.now();
    const end = monthStart.getTime() + SIM_DAYS * 24 * HOUR - 45 * 60_000;
    const ran = { A: [] as { jobId: string; slot: string; ok: boolean }[], B: [] as { jobId: string; slot: string; ok: boolean }[] };
    let ticks = 0;
    let taken = 0;
    for (let t = monthStart.getTime() + HOUR + 15 * 60_000; t <= end; t += STEP) {
      const now = new Date(t).toISOString();
      const reports = await Promise.all(
        servers.map(async (r) => {
          expect((await post(r, '/__test/clock', { now })).status).toBe(200);
          return post(r, '/__test/tick');
        }),
      );
      for (const [i, res] of reports.entries()) {
        expect(res.status).toBe(200);
        ran[servers[i]!.name].push(...(res.json.ran as { jobId: string; slot: string; ok: boolean }[]));
        taken += Number(res.json.taken);
        expect(res.json.skipped).toBe(0);
      }
      ticks += 2;
      if ((t - monthStart.getTime()) % (24 * HOUR) > 24 * HOUR - STEP) await drained();
    }
    await drained();
    const simMs = performance.now() - simStarted;

    // No slot twice, every slot a success, and both replicas took part.
    const all = [...ran.A, ...ran.B];
    const slotKeys = all.map((x) => `${x.jobId}@${x.slot}`);
    expect(new Set(slotKeys).size).toBe(slotKeys.length);
    expect(all.filter((x) => !x.ok)).toEqual([]);
    const jobRuns = await database.query<{ job_id: string; node: string; status: string | null }>(sql`select job_id, node, status from job_runs`);
    expect(jobRuns.length).toBe(all.length);
    const dupSlots = await count(sql`select count(*)::int as n from (select job_id, slot from job_runs group by 1, 2 having count(*) > 1) x`);
    expect(dupSlots).toBe(0);
    expect(ran.A.length).toBeGreaterThan(0);
    expect(ran.B.length).toBeGreaterThan(0);
    const digestSlots = (x: { jobId: string }[]) => x.filter((j) => j.jobId.startsWith('daily:')).length;
    expect(digestSlots(ran.A)).toBeGreaterThan(0);
    expect(digestSlots(ran.B)).toBeGreaterThan(0);

    // What reached the platforms after the set-up, per chat, joined to the outbox rows.
    const posts = [
      // Slack shares a digest's chart as a file next to the card (counted apart below).
      ...fakeSlack.messages.slice(slackBefore).filter((m) => !m.files).map((m) => ({ platform: 'slack', chatId: m.channel, messageId: m.ts, text: m.text.slice(0, 120) })),
      ...fakeFeishu.messages.slice(feishuBefore).map((m) => ({ platform: 'feishu', chatId: m.chatId, messageId: m.messageId, text: JSON.stringify(m.card).slice(0, 300) })),
    ];
    const fileShares = fakeSlack.messages.slice(slackBefore).flatMap((m) => m.files ?? []);
    const sent = await database.query<{ id: number; source_type: string | null; source_id: string | null; idempotency_key: string | null; chat_id: string; message_id: string | null; state: string }>(sql`
      select id, source_type, source_id, idempotency_key, target->>'chatId' as chat_id, message_ref->>'messageId' as message_id, state
      from deliveries where kind = 'push' and id > ${lastSetupDelivery} order by id`);
    const byMessage = new Map(sent.filter((d) => d.message_id).map((d) => [`${d.chat_id}/${d.message_id}`, d]));
    const kindOf = (p: { chatId: string; messageId: string }) => byMessage.get(`${p.chatId}/${p.messageId}`)?.source_type ?? 'unmatched';
    const lost = sent.filter((d) => d.state !== 'sent' || !posts.some((p) => p.chatId === d.chat_id && p.messageId === d.message_id)).length;
    const postsPerMessage = new Map<string, number>();
    for (const p of posts) postsPerMessage.set(`${p.chatId}/${p.messageId}`, (postsPerMessage.get(`${p.chatId}/${p.messageId}`) ?? 0) + 1);

    // Digests: one per chat per local day of the month, by subscription slot.
    const digestPosts = posts.filter((p) => kindOf(p) === 'digest');
    const digestsExpected = CHATS.length * SIM_DAYS;
    const digestKeys = sent.filter((d) => d.source_type === 'digest').map((d) => `${d.chat_id}:${d.idempotency_key}`);
    const perChat = Object.fromEntries(CHATS.map((c) => [c.chatId, digestPosts.filter((p) => p.chatId === c.chatId).length]));
    expect(perChat).toEqual(Object.fromEntries(CHATS.map((c) => [c.chatId, SIM_DAYS])));
    expect(new Set(digestKeys).size).toBe(digestKeys.length);

    // Alerts: one alert per low day of each store, notified once to each chat of the store's team.
    const alerts = await database.query<{ id: number; scope_key: string; status: string; team_id: string }>(sql`select id, scope_key, status, team_id from alerts order by id`);
    const lowInMonth = (store: 's1' | 's2') => lowDays(SIM_DAYS)[store].length;
    expect(alerts.filter((a) => a.team_id === 't1')).toHaveLength(lowInMonth('s1'));
    expect(alerts.filter((a) => a.team_id === 't2')).toHaveLength(lowInMonth('s2'));
    const chatsOf = (team: string) => CHATS.filter((c) => c.team === team).length;
    const alertsExpected = alerts.reduce((n, a) => n + chatsOf(a.team_id), 0);
    const alertPosts = posts.filter((p) => kindOf(p) === 'alert');
    const alertKeys = sent.filter((d) => d.source_type === 'alert').map((d) => `${d.chat_id}:${d.source_id}`);
    expect(alertPosts).toHaveLength(alertsExpected);
    expect(new Set(alertKeys).size).toBe(alertKeys.length);

    const duplicated =
      [...postsPerMessage.values()].reduce((n, k) => n + k - 1, 0) + (digestKeys.length - new Set(digestKeys).size) + (alertKeys.length - new Set(alertKeys).size) + (fileShares.length - new Set(fileShares).size);
    const unmatchedPosts = posts.filter((p) => kindOf(p) === 'unmatched');
    const unmatched = unmatchedPosts.length;
    if (unmatched > 0) {
      const retried = await database.query(sql`select id, kind, state, attempts, source_type, source_id, target->>'chatId' as chat, message_ref, last_error_code, last_error from deliveries where id > ${lastSetupDelivery} and (attempts > 1 or kind <> 'push') order by id`);
      expect({ unmatchedPosts, retried }).toEqual({ unmatchedPosts: [], retried: [] });
    }
    expect(duplicated).toBe(0);
    expect(lost).toBe(0);
    expect(unmatched).toBe(0);

    // The ack: the open alert's Slack card clicked on A; B shows it, refuses a second click
    // (on the Feishu copy) naming who was first, and each copy of the card changed once.
    const open = alerts.filter((a) => a.status === 'open');
    expect(open).toHaveLength(1);
    const alertId = open[0]!.id;
    const copies = sent.filter((d) => d.source_type === 'alert' && d.source_id === String(alertId));
    const slackCopy = fakeSlack.messages.find((m) => copies.some((c) => c.message_id === m.ts))!;
    const feishuCopy = fakeFeishu.messages.find((m) => copies.some((c) => c.message_id === m.messageId))!;
    // The Feishu card as a reader still has it open when the first ack lands elsewhere.
    const feishuCardBefore = structuredClone(feishuCopy.card);
    const slackEditsBefore = slackCopy.edits;
    const feishuEditsBefore = feishuCopy.edits;
    const ackStarted = performance.now();
    const clickA = await deliver(A, slackRequest(SIGNING_SECRET, slackClick(structuredClone(slackCopy), 'alert.ack', fakeSlack.responseUrl(), ALICE_SLACK)));
    expect(clickA.status).toBe(200);
    const seenOnB = await until('the ack on B', async () => {
      const res = await fetch(`${B.server.url}/api/v1/alerts?status=acknowledged`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      const list = ((await res.json()) as { alerts: { id: number; acknowledgedByName: string | null }[] }).alerts;
      return list.find((a) => Number(a.id) === alertId);
    });
    const ackMs = performance.now() - ackStarted;
    expect(seenOnB.acknowledgedByName).toBe('Alice');
    await until('both card copies updated', () => (slackCopy.edits > slackEditsBefore && feishuCopy.edits > feishuEditsBefore ? true : undefined));
    const responsesBefore = fakeSlack.responses.length;
    const feishuMessagesBefore = fakeFeishu.messages.length;
    const clickB = await deliver(B, feishuRequest(feishuClick({ chatId: feishuCopy.chatId, messageId: feishuCopy.messageId, card: feishuCardBefore }, 'alert.ack', ALICE_FEISHU), { encryptKey: ENCRYPT_KEY }));
    expect(clickB.status).toBe(200);
    const refusal = await until('the refusal on B', () => {
      const said = [clickB.text, ...fakeFeishu!.messages.slice(feishuMessagesBefore).map((m) => JSON.stringify(m.card)), ...fakeSlack!.responses.slice(responsesBefore).map((x) => JSON.stringify(x.body))].join('\n');
      return /already acknowledged by Alice/.test(said) ? said : undefined;
    });
    expect(refusal).toMatch(/already acknowledged by Alice/);
    await new Promise((r) => setTimeout(r, 1000));
    await drained();
    expect(slackCopy.edits - slackEditsBefore).toBe(1);
    expect(feishuCopy.edits - feishuEditsBefore).toBe(1);
    const [row] = await database.query<{ acknowledged_by_name: string; status: string }>(sql`select acknowledged_by_name, status from alerts where id = ${alertId}`);
    expect(row).toEqual({ acknowledged_by_name: 'Alice', status: 'acknowledged' });

    const slotsBy = (name: 'A' | 'B') => ran[name].length;
    const totalMs = performance.now() - started;
    recordSection(
      {
        id: 'replicas',
        title: 'Two replicas over a simulated month',
        method:
          `Two service processes (\`src/server.ts\`, TEST_HOOKS=on) on one fresh Postgres database, with the same fake Slack and fake Feishu. ` +
          `Two teams in Asia/Shanghai and America/Los_Angeles, each with a Slack channel and a Feishu group subscribed to the 09:00 daily digest by chat command, ` +
          `and one alert rule (\`gmv < 500 per:store window:1d\`) made in chat that fires on ${lowInMonth('s1') + lowInMonth('s2')} low-sales days. ` +
          `${SIM_DAYS} days were simulated: every 4 hours both replicas were set to the same instant (POST /__test/clock) and ticked at once (POST /__test/tick); ` +
          `their outboxes sent for real and were drained each day. Then an Acknowledge click on replica A's /slack/events, read back through replica B.`,
        figures: [
          { name: 'days simulated', value: SIM_DAYS, unit: 'days' },
          { name: 'scheduler ticks (both replicas)', value: ticks },
          { name: 'digests expected', value: digestsExpected },
          { name: 'digests sent', value: digestPosts.length, limit: `= ${digestsExpected}`, ok: digestPosts.length === digestsExpected },
          { name: 'alert notifications expected', value: alertsExpected },
          { name: 'alert notifications sent', value: alertPosts.length, limit: `= ${alertsExpected}`, ok: alertPosts.length === alertsExpected },
          { name: 'messages duplicated', value: duplicated, limit: '= 0', ok: duplicated === 0, kind: 'duplicated' },
          { name: 'messages lost', value: lost, limit: '= 0', ok: lost === 0, kind: 'lost' },
          { name: 'chart files shared next to Slack digests', value: fileShares.length },
          { name: 'job slots run twice', value: dupSlots, limit: '= 0', ok: dupSlots === 0 },
          { name: 'slots claimed by replica A', value: slotsBy('A'), limit: '> 0', ok: slotsBy('A') > 0 },
          { name: 'slots claimed by replica B', value: slotsBy('B'), limit: '> 0', ok: slotsBy('B') > 0 },
          { name: 'slots found taken by the other replica', value: taken },
          { name: 'ack on A visible on B', value: Math.round(ackMs), unit: 'ms', limit: 'seen', ok: true, kind: 'fault' },
          { name: 'card copies updated per copy after the ack', value: 1, limit: '= 1', ok: true },
        ],
        tables: [
          {
            title: 'Per chat',
            columns: ['chat', 'platform', 'team zone', 'digests', 'alert cards'],
            rows: CHATS.map((c) => [c.chatId, c.platform, TEAMS[c.team].tz, perChat[c.chatId] ?? 0, alertPosts.filter((p) => p.chatId === c.chatId).length]),
          },
          {
            title: 'Digest slots per replica',
            columns: ['replica', 'slots run', 'digest slots', 'alert-engine slots'],
            rows: (['A', 'B'] as const).map((n) => [n, ran[n].length, digestSlots(ran[n]), ran[n].filter((j) => j.jobId.startsWith('alert-engine:')).length]),
          },
        ],
        notes: [
          `Set-up ${Math.round(setupMs / 1000)} s, the month ${Math.round(simMs / 1000)} s, the whole test ${Math.round(totalMs / 1000)} s.`,
          'A second Acknowledge click, on the Feishu copy through replica B, answered "already acknowledged by Alice" and changed nothing.',
          'The rule runs with quiet:off: a card held by quiet hours waits for the real clock in the outbox, which a simulated month does not move.',
        ],
      },
      { testFile: 'tests/reliability/replicas.test.ts' },
    );
  });

  it('has no test routes unless TEST_HOOKS=on, and refuses TEST_HOOKS=on in production', async () => {
    expect(() => testConfig({ TEST_HOOKS: 'on', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(testConfig({ TEST_HOOKS: 'on' }).warnings.join('\n')).toMatch(/TEST_HOOKS=on/);
    const { app } = await buildTestApp(database!);
    try {
      expect((await app.inject({ method: 'POST', url: '/__test/tick' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/__test/clock', payload: { now: '2030-01-01T00:00:00Z' } })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
    // A replica with the hooks refuses a clock that is not an instant, as a client mistake.
    const bad = await post(replicas[0]!, '/__test/clock', { now: 'next tuesday' });
    expect(bad.status).toBe(400);
  });
});
