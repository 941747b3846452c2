/**
 * The world of the signature and log-scan attacks: a fresh Postgres database, the three platform
 * fakes, and the real service as a child process (`startServer`) with every platform enabled,
 * PUSH_SECRET, API_TOKEN, SECRETS_KEY and CONSOLE_TOKEN set — every secret random per run, so a
 * log scan can only find them if the service wrote them. Two workspaces: `acme` (Slack T0001,
 * Feishu tenant-acme, DingTalk dingcorp0001; alice is its admin everywhere) and `beta` (DingTalk
 * dingcorp0002), one open alert each so acks have a row to change.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { orgRows } from '../../src/demo/org.ts';
import { storeRows } from '../../src/demo/stores.ts';
import { createPostgresDatabase, insertWorkspace } from '../helpers/db.ts';
import { startServer, waitReady, type StartedServer } from '../helpers/processes.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { startFakeFeishu, FAKE_TENANT, type FakeFeishu } from '../fakes/feishu/server.ts';
import { startFakeDingTalk, type FakeDingTalk } from '../fakes/dingtalk/server.ts';

const hex = (n: number) => randomBytes(n).toString('hex');

export const SLACK_TEAM = 'T0001';
export const SLACK_CHANNEL = 'C0GENERAL1';
export const SLACK_ALICE = 'U0ALICE01';
export const FEISHU_CHAT = 'oc_general000000000000000000000001';
export const FEISHU_ALICE = 'ou_alice00000000000000000000000001';
export const DINGTALK_CORP = 'dingcorp0001';
export const DINGTALK_OTHER_CORP = 'dingcorp0002';
export const DINGTALK_CHAT = 'cidGroupGeneral001==';
export const DINGTALK_ALICE = 'alice-staff';

export interface Secrets {
  slackSigningSecret: string;
  slackBotToken: string;
  feishuAppSecret: string;
  feishuVerificationToken: string;
  feishuEncryptKey: string;
  dingtalkClientSecret: string;
  apiToken: string;
  consoleToken: string;
  pushSecret: string;
  secretsKey: string;
}

export function newSecrets(): Secrets {
  return {
    slackSigningSecret: `slacksign${hex(16)}`,
    slackBotToken: `xoxb-${hex(6)}-${hex(12)}`,
    feishuAppSecret: `fsappsecret${hex(12)}`,
    feishuVerificationToken: `fsvt${hex(14)}`,
    feishuEncryptKey: `fsek${hex(14)}`,
    dingtalkClientSecret: `dtsecret${hex(16)}`,
    apiToken: `apitoken${hex(16)}`,
    consoleToken: `consoletoken${hex(12)}`,
    pushSecret: `pushsecret${hex(14)}`,
    secretsKey: `secretskey${hex(20)}`,
  };
}

export interface SigWorld {
  secrets: Secrets;
  dbUrl: string;
  db: Database;
  slack: FakeSlack;
  feishu: FakeFeishu;
  dingtalk: FakeDingTalk;
  server: StartedServer;
  /** Open alerts seeded: acme's (for acks) and beta's (another workspace's). */
  alerts: { acme: number[]; beta: number };
  close(): Promise<void>;
}

async function seed(db: Database): Promise<SigWorld['alerts']> {
  await insertWorkspace(db, { id: 'acme', name: 'Acme', currency: 'USD', timezone: 'UTC', locale: 'en' });
  await insertWorkspace(db, { id: 'beta', name: 'Beta', currency: 'USD', timezone: 'UTC', locale: 'en' });
  await insertRows(db.db, 'platform_tenants', [
    { platform: 'slack', tenant_key: SLACK_TEAM, workspace_id: 'acme', name: 'Slack', bound_by: 'cli' },
    { platform: 'feishu', tenant_key: FAKE_TENANT, workspace_id: 'acme', name: 'Feishu', bound_by: 'cli' },
    { platform: 'dingtalk', tenant_key: DINGTALK_CORP, workspace_id: 'acme', name: 'DingTalk', bound_by: 'cli' },
    { platform: 'dingtalk', tenant_key: DINGTALK_OTHER_CORP, workspace_id: 'beta', name: 'DingTalk beta', bound_by: 'cli' },
    { platform: 'console', tenant_key: 'console', workspace_id: 'acme', name: 'Console', bound_by: 'cli' },
  ]);
  // acme: the demo's organisation and stores (alice is its admin); beta: alice alone, admin too.
  const org = orgRows('acme');
  for (const table of ['marketplaces', 'teams', 'users', 'role_assignments']) await insertRows(db.db, table, org[table]!);
  await insertRows(db.db, 'stores', storeRows('acme'));
  await insertRows(db.db, 'users', [{ workspace_id: 'beta', id: 'alice', display_name: 'Alice' }]);
  await insertRows(db.db, 'role_assignments', [{ workspace_id: 'beta', user_id: 'alice', role: 'admin' }]);
  await insertRows(db.db, 'chat_identities', [
    { platform: 'slack', tenant_key: SLACK_TEAM, platform_user_id: SLACK_ALICE, workspace_id: 'acme', user_id: 'alice', display_name: 'Alice' },
    { platform: 'feishu', tenant_key: FAKE_TENANT, platform_user_id: FEISHU_ALICE, workspace_id: 'acme', user_id: 'alice', display_name: 'Alice' },
    { platform: 'dingtalk', tenant_key: DINGTALK_CORP, platform_user_id: DINGTALK_ALICE, workspace_id: 'acme', user_id: 'alice', display_name: 'Alice' },
    { platform: 'dingtalk', tenant_key: DINGTALK_OTHER_CORP, platform_user_id: DINGTALK_ALICE, workspace_id: 'beta', user_id: 'alice', display_name: 'Alice' },
  ]);
  const alert = async (ws: string, scope: string) => {
    const [row] = await db.query<{ id: string }>(sql`insert into alerts (workspace_id, type, metric_id, scope_key, status, severity, title, value, threshold)
      values (${ws}, 'threshold', 'gmv', ${scope}, 'open', 'critical', ${`${ws} alert ${scope}`}, 1, 2) returning id`);
    return Number(row!.id);
  };
  const acme: number[] = [];
  for (let i = 0; i < 6; i++) acme.push(await alert('acme', `store:s${i}`));
  return { acme, beta: await alert('beta', 'store:b0') };
}

export async function startSigWorld(opts: { logLevel?: string; secrets?: Secrets } = {}): Promise<SigWorld> {
  const secrets = opts.secrets ?? newSecrets();
  const dbUrl = await createPostgresDatabase();
  const db = await openDatabase({ url: dbUrl, poolSize: 2, applicationName: 'kpibot-test-attacks-sig' });
  await db.migrate();
  const alerts = await seed(db);
  const slack = await startFakeSlack({ botToken: secrets.slackBotToken, teamId: SLACK_TEAM });
  const feishu = await startFakeFeishu({ appSecret: secrets.feishuAppSecret, limits: false });
  const dingtalk = await startFakeDingTalk({ clientSecret: secrets.dingtalkClientSecret, corpId: DINGTALK_CORP });
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl,
    DEMO: 'off',
    DATA_DIR: `/tmp/kpibot-attacks-sig-${process.pid}-${hex(3)}`,
    LOG_LEVEL: opts.logLevel ?? 'info',
    API_TOKEN: secrets.apiToken,
    CONSOLE: 'on',
    CONSOLE_TOKEN: secrets.consoleToken,
    PUSH_SECRET: secrets.pushSecret,
    SECRETS_KEY: secrets.secretsKey,
    SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
    SLACK_BOT_TOKEN: secrets.slackBotToken,
    SLACK_API_URL: slack.apiUrl,
    FEISHU_APP_ID: feishu.appId,
    FEISHU_APP_SECRET: secrets.feishuAppSecret,
    FEISHU_VERIFICATION_TOKEN: secrets.feishuVerificationToken,
    FEISHU_ENCRYPT_KEY: secrets.feishuEncryptKey,
    FEISHU_DOMAIN: feishu.origin,
    FEISHU_MODE: 'webhook',
    DINGTALK_CLIENT_ID: dingtalk.clientId,
    DINGTALK_CLIENT_SECRET: secrets.dingtalkClientSecret,
    DINGTALK_API_URL: dingtalk.apiUrl,
    DINGTALK_OAPI_URL: dingtalk.oapiUrl,
  };
  const server = await startServer(env, 120_000);
  await waitReady(server);
  return {
    secrets,
    dbUrl,
    db,
    slack,
    feishu,
    dingtalk,
    server,
    alerts,
    async close() {
      await server.stop('SIGTERM');
      await Promise.all([slack.close(), feishu.close(), dingtalk.close()]);
      await db.close();
    },
  };
}


/** Tables that change on their own (clocks, leases, counters): left out of the fingerprint. */
export const VOLATILE_TABLES = new Set(['job_runs', 'rate_buckets', 'scheduler_leases', 'leases', 'api_calls', 'api_usage', '__drizzle_migrations']);

let fingerprintSql: string | undefined;

/** md5 + row count of every other table of the public schema (one round trip), and what the fakes received. */
export async function fingerprint(w: SigWorld): Promise<Record<string, string>> {
  if (!fingerprintSql) {
    const tables = await w.db.query<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`);
    fingerprintSql = tables
      .filter((t) => !VOLATILE_TABLES.has(t.tablename))
      .map((t) => `select '${t.tablename}' as t, count(*)::int || ':' || md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as h from "${t.tablename}" r`)
      .join(' union all ');
  }
  const out: Record<string, string> = {};
  for (const row of await w.db.query<{ t: string; h: string }>(sql.raw(fingerprintSql))) out[row.t] = row.h;
  out['fake:slack'] = `${w.slack.log.length}/${w.slack.responses.length}/${w.slack.uploads.length}`;
  out['fake:feishu'] = `${w.feishu.log.length}/${w.feishu.uploads.length}`;
  out['fake:dingtalk'] = `${w.dingtalk.posts.length}/${w.dingtalk.uploads.length}`;
  return out;
}

/** The keys whose values differ between two fingerprints. */
export function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** Waits until the fingerprint holds still for `quietMs` (async work after an ack has landed). */
export async function settle(w: SigWorld, quietMs = 500, timeoutMs = 15_000): Promise<Record<string, string>> {
  const end = Date.now() + timeoutMs;
  let last = await fingerprint(w);
  let since = Date.now();
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await fingerprint(w);
    if (changed(last, now).length > 0) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return now;
  }
  return last;
}

export async function alertStatus(w: SigWorld, id: number): Promise<string> {
  const [row] = await w.db.query<{ status: string }>(sql`select status from alerts where id = ${id}`);
  return row!.status;
}

/** Waits until every seeded alert's card reached alice on every platform, then for quiet. */
export async function waitForAlertCards(w: SigWorld, timeoutMs = 60_000): Promise<void> {
  const n = w.alerts.acme.length;
  const end = Date.now() + timeoutMs;
  while (w.slack.log.length < n || w.feishu.messages.length < n || w.dingtalk.posts.length < n + 1) {
    if (Date.now() > end) throw new Error(`alert cards not delivered: slack ${w.slack.log.length}, feishu ${w.feishu.messages.length}, dingtalk ${w.dingtalk.posts.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await settle(w, 1500);
}
