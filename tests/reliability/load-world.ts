/**
 * The world of the load test: the real service as a child process on a fresh Postgres database
 * with the demo workspace, Slack in HTTP mode against the fake Slack, and on top of the demo
 * what a seller using Slack would have: Slack people linked to the demo's users, channels bound to
 * the three teams, one extra store fed by signed pushes with a critical alert rule on it, and
 * daily digest subscriptions whose times fall inside the load window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { signPush } from '../../src/ingest/push/signature.ts';
import { addDays } from '../../src/kpi/dates.ts';
import { createPostgresDatabase } from '../helpers/db.ts';
import { startServer, waitReady, type StartedServer } from '../helpers/processes.ts';
import { slackRequest } from '../fakes/slack/requests.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import type { LoadPerson } from './load-generator.ts';

export const SIGNING_SECRET = 'load-test-slack-signing-secret';
export const BOT_TOKEN = 'xoxb-load-test-bot-token';
export const PUSH_SECRET = 'load-test-push-secret-0123456789';
export const ALERT_STORE = 'load-shop';

const TEAMS = ['amazon-us', 'amazon-eu', 'asia-social'] as const;
/** Demo users (src/demo/org.ts) with their team; each gets a Slack identity. */
const ENROLLED: [string, (typeof TEAMS)[number]][] = [
  ['alice', 'amazon-us'], ['bob', 'amazon-us'], ['carol', 'amazon-us'], ['dave', 'amazon-eu'], ['frank', 'amazon-us'], ['henry', 'amazon-us'],
  ['kate', 'amazon-us'], ['leo', 'amazon-eu'], ['grace', 'amazon-eu'], ['erin', 'asia-social'], ['ivy', 'asia-social'], ['jack', 'asia-social'],
];
/** People never enrolled (sales-level answers), as every real Slack workspace has. */
const MEMBERS = 28;

/** Bound channels: three per team, each with a daily digest; plus unbound ones. */
export const BOUND_CHANNELS = TEAMS.flatMap((team, t) => [0, 1, 2].map((k) => ({ id: `C0LOAD${t}${k}`, name: `${team}-${k}`, team })));
const UNBOUND_CHANNELS = [0, 1, 2].map((k) => ({ id: `C0LOADX${k}`, name: `random-${k}` }));

export interface LoadWorld {
  server: StartedServer;
  fake: FakeSlack;
  sql: postgres.Sql;
  people: LoadPerson[];
  /** Signs and sends one push; resolves with its HTTP status and body. */
  push(dataset: string, rows: Record<string, unknown>[]): Promise<{ status: number; body: string }>;
  /** Sends one signed slash command (setup steps), returning the ack status. */
  slash(userId: string, channelId: string, text: string): Promise<number>;
  close(): Promise<void>;
}

/** Orders of the alert store for its last `days` complete days (UTC store), `gmv` a day. */
export function alertStoreOrders(today: string, days: number, gmv: number): Record<string, unknown>[] {
  return Array.from({ length: days }, (_, k) => ({
    date: addDays(today, -1 - k), store_id: ALERT_STORE, sku_id: 'LOAD-SKU-1', units_ordered: Math.max(1, Math.round(gmv / 20)), order_count: Math.max(1, Math.round(gmv / 25)), gross_sales: gmv,
  }));
}

export async function startLoadWorld(): Promise<LoadWorld> {
  const url = await createPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'kpibot-load-'));
  const fake = await startFakeSlack({ botToken: BOT_TOKEN });
  const server = await startServer({
    DATABASE_URL: url, DATA_DIR: dataDir, DEMO: 'auto', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl,
    // A public URL, as in production: charts are image blocks Slack fetches, not uploads.
    PUBLIC_URL: 'https://kpi.load-test.example', PUSH_SECRET, LOG_LEVEL: 'warn',
  }, 90_000);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  await waitReady(server, 90_000);

  // The Slack team binds to the demo (the only workspace) the way a first contact would.
  await sql`insert into platform_tenants (platform, tenant_key, workspace_id, name) values ('slack', ${fake.teamId}, 'demo', 'Load Co') on conflict do nothing`;
  for (const c of BOUND_CHANNELS) {
    await sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id, title) values ('slack', ${fake.teamId}, ${c.id}, 'demo', 'group', ${c.team}, ${c.name})`;
  }
  const people: LoadPerson[] = [];
  for (const [user, team] of ENROLLED) {
    const userId = `U0L${user.toUpperCase()}`;
    await sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id, display_name) values ('slack', ${fake.teamId}, ${userId}, 'demo', ${user}, ${user})`;
    people.push({ userId, userName: user, channels: BOUND_CHANNELS.filter((c) => c.team === team) });
  }
  for (let k = 0; k < MEMBERS; k++) {
    const own = BOUND_CHANNELS[k % BOUND_CHANNELS.length]!;
    people.push({ userId: `U0LMEM${String(k).padStart(2, '0')}`, userName: `member${k}`, channels: [own, UNBOUND_CHANNELS[k % UNBOUND_CHANNELS.length]!] });
  }

  const push = async (dataset: string, rows: Record<string, unknown>[]) => {
    const body = JSON.stringify(rows);
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${server.url}/api/v1/push/${dataset}?workspace=demo`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-kpibot-timestamp': String(ts), 'x-kpibot-signature': signPush(PUSH_SECRET, ts, body) },
    });
    return { status: res.status, body: await res.text() };
  };
  const slash = async (userId: string, channelId: string, text: string) => {
    const r = slackRequest(SIGNING_SECRET, {
      token: 'x', team_id: fake.teamId, channel_id: channelId, channel_name: channelId, user_id: userId, user_name: userId, command: '/kpi', text,
      api_app_id: 'A0LOAD', response_url: fake.responseUrl(), trigger_id: `setup.${userId}.${Date.now()}.${Math.random()}`,
    });
    const res = await fetch(`${server.url}${r.url}`, { method: 'POST', headers: r.headers, body: r.payload });
    await res.arrayBuffer();
    return res.status;
  };
  return {
    server, fake, sql, people, push, slash,
    async close() {
      await server.stop('SIGTERM').catch(() => null);
      await sql.end({ timeout: 5 });
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The store the alert rule watches, created by signed pushes (push becomes its primary source). */
export async function seedAlertStore(w: LoadWorld, today: string, gmv: number): Promise<void> {
  const steps: [string, Record<string, unknown>[]][] = [
    ['stores', [{ store_id: ALERT_STORE, name: 'Load Shop', platform: 'shopify', marketplace: 'US', currency: 'USD', timezone: 'UTC', team_id: 'amazon-us', channel: 'dtc' }]],
    ['skus', [{ sku_id: 'LOAD-SKU-1', name: 'Load test kettle', store_id: ALERT_STORE }]],
    ['orders', alertStoreOrders(today, 3, gmv)],
  ];
  for (const [dataset, rows] of steps) {
    const r = await w.push(dataset, rows);
    if (r.status !== 200) throw new Error(`push ${dataset}: ${r.status} ${r.body}`);
  }
}
