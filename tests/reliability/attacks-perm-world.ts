/**
 * The world of the permission, isolation and rate-limit attacks: a fresh Postgres database with
 * two workspaces that overlap on purpose — the same team ids, user ids and names (alice, bob,
 * carol…), the same store ids (us-main…) and SKU ids — but different numbers, plus the real
 * service as child processes (`startServer`, DEMO=off, API_TOKEN set) with Slack and Feishu
 * pointed at their fakes. `acme` is the console's and Slack team T0001's; `beta` is the Feishu
 * tenant's. Facts are a constant amount per store and day, so any 7-day total is 7 × that.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createToken } from '../../src/access/tokens.ts';
import type { EnrolledRole } from '../../src/access/types.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { orgRows } from '../../src/demo/org.ts';
import { storeRows } from '../../src/demo/stores.ts';
import { createPostgresDatabase, insertWorkspace } from '../helpers/db.ts';
import { startServer, waitReady, type StartedServer } from '../helpers/processes.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack/harness.ts';
import { fakePlatformEnv } from './platform-env.ts';
import { slackRequest, withResponseUrl } from '../fakes/slack/requests.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { ENCRYPT_KEY } from '../fakes/feishu/harness.ts';
import { feishuRequest } from '../fakes/feishu/requests.ts';
import { FAKE_TENANT, startFakeFeishu, type FakeFeishu } from '../fakes/feishu/server.ts';

/** The service has finished its start-up steps (migrations, alert evaluation…). */
export { waitReady as ready };

export const WORKSPACES = ['acme', 'beta'] as const;
export type Ws = (typeof WORKSPACES)[number];

/** Daily gross sales (USD) per store: the only numbers either workspace has. */
export const DAILY: Record<Ws, Record<string, number>> = {
  acme: { 'us-main': 111, 'us-outlet': 22, 'tiktok-us': 5 },
  beta: { 'us-main': 3000, 'us-outlet': 400, 'tiktok-us': 60 },
};
/** Σ over 7 days, by hand: acme 7 × 138 = 966; beta 7 × 3460 = 24,220. */
export const GMV_7D: Record<Ws, number> = { acme: 966, beta: 24_220 };

export const SLACK_TEAM = 'T0001';
export const SLACK_CHANNEL = 'C0GENERAL1';
export const SLACK_USERS: Record<string, string> = { alice: 'U0ALICE01', bob: 'U0BOB0001', carol: 'U0CAROL01', zoe: 'U0ZOE0001' };
export const FEISHU_CHAT = 'oc_general000000000000000000000001';
export const FEISHU_USERS: Record<string, string> = {
  alice: 'ou_alice00000000000000000000000001',
  bob: 'ou_bob0000000000000000000000000001',
  carol: 'ou_carol000000000000000000000000001',
};

export type TokenName = 'admin' | 'bob' | 'carol' | 'erin' | 'dave';
export interface World {
  dbUrl: string;
  db: Database;
  apiToken: string;
  /** kpb_ tokens per workspace: admin, bob (manager amazon-us), carol (operator), erin (manager asia-social), dave (finance). */
  tokens: Record<Ws, Record<TokenName, string>>;
  slack: FakeSlack;
  feishu: FakeFeishu;
  servers: StartedServer[];
  close(): Promise<void>;
}

const today = () => new Date().toISOString().slice(0, 10);
const dayOffset = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function seedWorkspace(db: Database, ws: Ws): Promise<void> {
  await insertWorkspace(db, { id: ws, name: ws === 'acme' ? 'Acme 联星' : 'Beta 联星', currency: 'USD', timezone: 'UTC', locale: 'en' });
  const org = orgRows(ws);
  for (const table of ['marketplaces', 'teams', 'users', 'role_assignments', 'ownership']) await insertRows(db.db, table, org[table]!);
  await insertRows(db.db, 'stores', storeRows(ws));
  if (ws === 'acme') {
    for (const table of ['platform_tenants', 'chats', 'chat_identities']) await insertRows(db.db, table, org[table]!);
    await insertRows(db.db, 'platform_tenants', [{ platform: 'slack', tenant_key: SLACK_TEAM, workspace_id: ws, name: 'Slack', bound_by: 'cli' }]);
    await insertRows(db.db, 'chats', [{ platform: 'slack', tenant_key: SLACK_TEAM, chat_id: SLACK_CHANNEL, workspace_id: ws, kind: 'group', team_id: null, title: 'general' }]);
    await insertRows(db.db, 'chat_identities', Object.entries(SLACK_USERS).filter(([u]) => u !== 'zoe').map(([u, id]) => ({
      platform: 'slack', tenant_key: SLACK_TEAM, platform_user_id: id, workspace_id: ws, user_id: u, display_name: u,
    })));
  } else {
    await insertRows(db.db, 'platform_tenants', [{ platform: 'feishu', tenant_key: FAKE_TENANT, workspace_id: ws, name: 'Feishu', bound_by: 'cli' }]);
    await insertRows(db.db, 'chats', [{ platform: 'feishu', tenant_key: FAKE_TENANT, chat_id: FEISHU_CHAT, workspace_id: ws, kind: 'group', team_id: null, title: 'general' }]);
    await insertRows(db.db, 'chat_identities', Object.entries(FEISHU_USERS).map(([u, id]) => ({
      platform: 'feishu', tenant_key: FAKE_TENANT, platform_user_id: id, workspace_id: ws, user_id: u, display_name: u,
    })));
  }
  const rows: Record<string, unknown>[] = [];
  // 40 days up to tomorrow (UTC): every store's last complete 7 days lie inside, whatever its zone.
  for (let i = -40; i <= 1; i++) {
    for (const [store, gross] of Object.entries(DAILY[ws])) {
      rows.push({
        workspace_id: ws, date: dayOffset(i), store_id: store, sku_id: 'SKU-1', fulfillment_channel: 'fba', units_ordered: 1, order_count: 1,
        gross_sales: gross.toFixed(2), currency: 'USD', source: 'api',
      });
    }
  }
  await insertRows(db.db, 'fact_sales_daily', rows);
  // One open alert per team and workspace; titles carry the workspace so a leak is visible.
  for (const team of ['amazon-us', 'asia-social']) {
    const store = team === 'amazon-us' ? 'us-main' : 'tiktok-us';
    await db.query(sql`insert into alerts (workspace_id, type, metric_id, scope_key, team_id, status, severity, title, value, threshold)
      values (${ws}, 'threshold', 'gmv', ${`store:${store}`}, ${team}, 'open', 'warning', ${`${ws.toUpperCase()}-ALERT ${store}`}, ${DAILY[ws][store]!}, 1)`);
  }
}

/** Creates the database, migrates and seeds it, and mints the REST tokens (no server yet). */
export async function seedWorld(): Promise<{ dbUrl: string; db: Database; tokens: World['tokens'] }> {
  const dbUrl = await createPostgresDatabase();
  const db = await openDatabase({ url: dbUrl, poolSize: 4, applicationName: 'kpibot-test-attacks' });
  await db.migrate();
  const tokens = {} as World['tokens'];
  for (const ws of WORKSPACES) {
    await seedWorkspace(db, ws);
    const make = (role: EnrolledRole, o: { teamId?: string; userId?: string }) => createToken(db.db, { workspaceId: ws, role, ...o, name: `${ws}-${role}`, createdBy: 'test' }).then((t) => t.token);
    tokens[ws] = {
      admin: await make('admin', { userId: 'alice' }),
      bob: await make('manager', { teamId: 'amazon-us', userId: 'bob' }),
      carol: await make('operator', { userId: 'carol' }),
      erin: await make('manager', { teamId: 'asia-social', userId: 'erin' }),
      dave: await make('finance', { userId: 'dave' }),
    };
  }
  return { dbUrl, db, tokens };
}

/** Starts `replicas` service processes on the seeded database, with Slack and Feishu at fakes. */
export async function startWorld(replicas = 1): Promise<World> {
  const seeded = await seedWorld();
  const slack = await startFakeSlack({ botToken: BOT_TOKEN, teamId: SLACK_TEAM });
  const feishu = await startFakeFeishu({ limits: false });
  const apiToken = randomBytes(24).toString('base64url');
  const env = {
    DATABASE_URL: seeded.dbUrl,
    DEMO: 'off',
    API_TOKEN: apiToken,
    DATA_DIR: `/tmp/kpibot-attacks-${process.pid}-${randomBytes(3).toString('hex')}`,
    ...fakePlatformEnv(slack, feishu),
  };
  // Replicas start side by side, like a deployment's pods.
  const servers: StartedServer[] = await Promise.all(Array.from({ length: replicas }, (_, i) => startServer({ ...env, DATA_DIR: `${env.DATA_DIR}-${i}` }, 150_000)));
  return {
    ...seeded,
    apiToken,
    slack,
    feishu,
    servers,
    async close() {
      await Promise.all(servers.map((s) => s.stop('SIGTERM')));
      await slack.close();
      await feishu.close();
      await seeded.db.close();
    },
  };
}


/** The JSON of many different routes; the tests read the fields they check (and fail when absent). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON of many routes, checked field by field
type Json = any;

/** A REST call with a bearer token; returns status and parsed body (JSON when it is JSON). */
export async function api(server: StartedServer, token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON (CSV, PNG) */
  }
  return { status: res.status, body: parsed, text };
}

export interface ConsoleMsg {
  id: string;
  text?: string;
  card?: { title: string; tone?: string; fallbackText: string; blocks: { type: string; markdown?: string; text?: string; buttons?: { actionId: string; label: string; value?: string }[] }[] };
}

/** Everything a reader sees in a console reply. */
export function shown(m: ConsoleMsg): string {
  return [m.text ?? '', m.card?.title ?? '', m.card?.fallbackText ?? '', JSON.stringify(m.card?.blocks ?? [])].join('\n');
}

export async function say(server: StartedServer, chatId: string, userId: string, text: string): Promise<ConsoleMsg[]> {
  const r = await api(server, undefined, 'POST', '/console/api/messages', { chatId, userId, text });
  if (r.status !== 200) throw new Error(`console ${r.status}: ${r.text}`);
  return (r.body as { messages: ConsoleMsg[] }).messages;
}

export async function click(server: StartedServer, chatId: string, userId: string, actionId: string, value: string | undefined, messageId = `m${randomBytes(4).toString('hex')}`): Promise<ConsoleMsg[]> {
  const r = await api(server, undefined, 'POST', '/console/api/actions', { chatId, userId, messageId, actionId, ...(value === undefined ? {} : { value }) });
  if (r.status !== 200) throw new Error(`console action ${r.status}: ${r.text}`);
  return (r.body as { messages: ConsoleMsg[] }).messages;
}

/** A signed Slack request (slash command, event or block_actions click) to a server. */
export async function slackPost(server: StartedServer, slack: FakeSlack, payload: unknown): Promise<number> {
  const r = slackRequest(SIGNING_SECRET, withResponseUrl(payload, slack.responseUrl()));
  const res = await fetch(`${server.url}${r.url}`, { method: 'POST', headers: r.headers, body: r.payload });
  await res.text();
  return res.status;
}

/** A signed, encrypted Feishu push (message or card click); returns the status and the body. */
export async function feishuPost(server: StartedServer, payload: unknown): Promise<{ status: number; body: string }> {
  const r = feishuRequest(payload, { encryptKey: ENCRYPT_KEY });
  const res = await fetch(`${server.url}${r.url}`, { method: 'POST', headers: r.headers, body: r.payload });
  return { status: res.status, body: await res.text() };
}

/**
 * A fingerprint of every table an attack could change (md5 of the rows), to prove "no state
 * change". Columns that background jobs legitimately touch (a goal's colour and evaluation time,
 * an alert's notification stamps, a token's last use) are left out: an attack cannot move them.
 */
export const GUARDED: Record<string, string> = {
  goals: 'id, workspace_id, metric_id, scope_level, scope_id, owner_user_id, target, band_lo, band_hi, status, version, excluded_ranges, excluded_from_score, parent_goal_id',
  goal_adjustments: '*',
  goal_responses: 'id, goal_id, kind, status, decided_by, proposed_target',
  alerts: 'id, workspace_id, status, acknowledged_at, acknowledged_by, ack_cause, snoozed_until, assignee_user_id',
  ownership: '*',
  role_assignments: '*',
  teams: '*',
  users: '*',
  chats: '*',
  platform_tenants: '*',
  api_tokens: 'id, workspace_id, role, team_id, user_id, revoked_at',
  fact_sales_daily: '*',
  workspaces: '*',
  score_templates: '*',
  month_closes: '*',
};

export async function fingerprint(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [t, cols] of Object.entries(GUARDED)) {
    const [row] = await db.query<{ h: string | null; n: number }>(sql.raw(`select md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as h, count(*)::int as n from (select ${cols} from ${t}) r`));
    out[t] = `${row!.n}:${row!.h}`;
  }
  return out;
}

export { today };
