/**
 * Crash safety (issue #33 item 2). (A) The real service, as a child process on a fresh Postgres
 * database with the Slack, Feishu and DingTalk fakes, produces a fan-out of 10,000 cards through
 * the outbox (crash-fanout-child.ts); it is killed with SIGKILL three times, each time while a
 * send is in flight (the fake holds its answer after taking the message: the worst moment), and
 * restarted as `npm start` runs it. Every message must reach its fake exactly once (counted per
 * idempotency key: Feishu's `uuid`, one chat per key elsewhere) and the deliveries table must
 * agree: `sent`, or `unknown` for an interrupted send on a platform without an idempotency key.
 * (B) `kpibot import` of a 200,000-row orders CSV killed mid-file, then run again: the sums equal
 * those computed from the generated rows, and nothing of the killed run is visible in between.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from '../fakes/dingtalk/server.ts';
import { startFakeFeishu, type FakeFeishu } from '../fakes/feishu/server.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { createPostgresDatabase, dropCreatedDatabases } from '../helpers/db.ts';
import { ROOT, childEnv, startServer, type StartedServer } from '../helpers/processes.ts';
import { recordSection, type Figure } from './figures.ts';
import { fanoutPlan, type FanoutTenants } from './crash-fanout-plan.ts';

const N = 10_000;
const IMPORT_ROWS = 200_000;
const SLACK_TOKEN = 'xoxb-crash-test';
/** A (re)start on a busy 2-core machine: tsx, config, connections, migrations already applied. */
const START_MS = 180_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let slack: FakeSlack;
let feishu: FakeFeishu;
let dingtalk: FakeDingTalk;
let url: string;
let pg: postgres.Sql;
const tmp = mkdtempSync(join(tmpdir(), 'kpibot-crash-'));
const figures: Figure[] = [];
const killTable: (string | number)[][] = [];
const notes: string[] = [];
let fanoutDone = false;

beforeAll(async () => {
  [slack, feishu, dingtalk] = await Promise.all([startFakeSlack({ botToken: SLACK_TOKEN }), startFakeFeishu(), startFakeDingTalk()]);
  url = await createPostgresDatabase();
  pg = postgres(url, { max: 2, onnotice: () => {} });
});

afterAll(async () => {
  await pg?.end({ timeout: 5 });
  await Promise.all([slack?.close(), feishu?.close(), dingtalk?.close()]);
  await dropCreatedDatabases();
  rmSync(tmp, { recursive: true, force: true });
});

function serviceEnv(): Record<string, string> {
  return {
    DATABASE_URL: url,
    DATA_DIR: join(tmp, 'data'),
    DEMO: 'off',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    SLACK_SIGNING_SECRET: 'crash-signing-secret',
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    FEISHU_APP_ID: feishu.appId,
    FEISHU_APP_SECRET: feishu.appSecret,
    FEISHU_VERIFICATION_TOKEN: 'crash-verification-token',
    FEISHU_DOMAIN: feishu.origin,
    DINGTALK_CLIENT_ID: dingtalk.clientId,
    DINGTALK_CLIENT_SECRET: dingtalk.clientSecret,
    DINGTALK_API_URL: dingtalk.apiUrl,
    DINGTALK_OAPI_URL: dingtalk.oapiUrl,
  };
}

/** Messages each fake took, per chat (one chat per idempotency key) and, for Feishu, per uuid. */
function counts(): { perChat: Map<string, number>; feishuPerUuid: Map<string, number>; total: number } {
  const perChat = new Map<string, number>();
  for (const [chat, n] of feishu.sendsPerChat()) perChat.set(chat, n);
  for (const m of slack.messages) perChat.set(m.channel, (perChat.get(m.channel) ?? 0) + 1);
  for (const [chat, n] of dingtalk.sendCounts()) perChat.set(chat, n);
  const feishuPerUuid = new Map<string, number>();
  for (const m of feishu.messages) if (m.uuid) feishuPerUuid.set(m.uuid, (feishuPerUuid.get(m.uuid) ?? 0) + 1);
  let total = 0;
  for (const n of perChat.values()) total += n;
  return { perChat, feishuPerUuid, total };
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms: number, step = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(step);
  }
}

/** The fan-out producer: the real app built as the server builds it, enqueueing through the outbox. */
function startProducer(tenants: FanoutTenants): Promise<{ child: ChildProcess; output: () => string; enqueued: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/reliability/crash-fanout-child.ts'), String(N), JSON.stringify(tenants)], {
      env: childEnv({ PORT: '0', ...serviceEnv() }),
      cwd: ROOT,
    });
    let out = '';
    let onEnqueued: () => void = () => {};
    const enqueued = new Promise<void>((r) => (onEnqueued = r));
    let listening = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!listening && /kpibot listening on /.test(out)) {
        listening = true;
        resolve({ child, output: () => out, enqueued });
      }
      if (/fanout enqueued \d+/.test(out)) onEnqueued();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!listening) reject(new Error(`fan-out child exited with ${code}:\n${out}`));
    });
  });
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
}

async function outboxStates(): Promise<Record<string, number>> {
  const rows = await pg<{ state: string; n: string }[]>`select state, count(*) as n from deliveries group by state`;
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

type Platform = 'slack' | 'feishu' | 'dingtalk';

/**
 * Waits until the fakes took `atLeast` messages, makes the next send to `platform` hang after
 * the request reached the fake (the fake then carries it out, as a platform does), and kills the
 * service with SIGKILL while that send is in flight.
 */
async function killMidSend(child: ChildProcess, platform: Platform, atLeast: number, label: string): Promise<void> {
  await until(`${atLeast} messages at the fakes`, () => (counts().total >= atLeast ? true : undefined), 600_000, 100);
  const calls = () =>
    platform === 'slack' ? slack.calledAt('chat.postMessage').length
    : platform === 'feishu' ? feishu.calls.filter((c) => c.api === 'send').length
    : dingtalk.calls.filter((c) => c.path === '/v1.0/robot/groupMessages/send').length;
  const before = calls();
  if (platform === 'slack') slack.inject({ method: 'chat.postMessage', hangMs: 2_000 });
  else if (platform === 'feishu') feishu.inject({ api: 'send', hangMs: 2_000 });
  else dingtalk.inject({ path: '/v1.0/robot/groupMessages/send', hangMs: 2_000 });
  await until(`a ${platform} send in flight`, () => (calls() > before ? true : undefined), 60_000, 5);
  const deliveredAtKill = counts().total;
  await killHard(child);
  const states = await outboxStates();
  killTable.push([label, platform, deliveredAtKill, states.sending ?? 0, states.pending ?? 0]);
}

describe('crash safety', () => {
  it('delivers a 10,000-message fan-out exactly once across three kill -9 mid-send', async () => {
    const tenants: FanoutTenants = { slack: slack.teamId, feishu: feishu.tenantKey, dingtalk: dingtalk.corpId };
    const plan = fanoutPlan(N, tenants);
    const t0 = performance.now();

    const producer = await startProducer(tenants);
    await Promise.race([producer.enqueued, sleep(120_000).then(() => Promise.reject(new Error(`the producer did not enqueue:\n${producer.output()}`)))]);
    const [enqueued] = await pg<{ n: string }[]>`select count(*) as n from deliveries`;
    expect(Number(enqueued!.n)).toBe(N);
    await killMidSend(producer.child, 'slack', Math.round(N * 0.2), 'kill 1 (producer child)');
    const deliveredBeforeFirstKill = killTable[0]![2] as number;

    let server: StartedServer = await startServer(serviceEnv(), START_MS);
    await killMidSend(server.child, 'feishu', Math.round(N * 0.45), 'kill 2 (restarted service)');
    server = await startServer(serviceEnv(), START_MS);
    await killMidSend(server.child, 'dingtalk', Math.round(N * 0.65), 'kill 3 (restarted service)');

    const restartedAt = performance.now();
    server = await startServer(serviceEnv(), START_MS);
    try {
      await until('the outbox to drain', async () => {
        const s = await outboxStates();
        return (s.pending ?? 0) + (s.sending ?? 0) === 0 ? s : undefined;
      }, 600_000, 250);
    } finally {
      await server.stop('SIGTERM');
    }
    const drainMs = performance.now() - restartedAt;
    await sleep(500); // answers held by the fakes have all landed by now (holds are 2 s, the drain took longer)

    const { perChat, feishuPerUuid } = counts();
    const at = (chatId: string) => perChat.get(chatId) ?? 0;
    const lost = plan.filter((p) => at(p.target.chatId) === 0);
    const duplicated = plan.reduce((a, p) => a + Math.max(0, at(p.target.chatId) - 1), 0);
    const uuidDup = [...feishuPerUuid.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
    const rows = await pg<{ key: string; state: string; platform: string; code: string | null }[]>`
      select idempotency_key as key, state, platform, last_error_code as code from deliveries`;
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const states = await outboxStates();
    const unknown = rows.filter((r) => r.state === 'unknown');
    // The table agrees with the fakes: a `sent` row was taken exactly once; an `unknown` one is an
    // interrupted send on a platform without an idempotency key (it landed here: the fakes carry
    // out held sends), never resent.
    const disagree = plan.filter((p) => {
      const r = byKey.get(p.key);
      if (!r) return true;
      if (r.state === 'sent') return at(p.target.chatId) !== 1;
      if (r.state === 'unknown') return r.platform === 'feishu' || r.code !== 'interrupted' || at(p.target.chatId) > 1;
      return true;
    });
    const feishuRetries = [...feishu.uuidRepeats.values()].reduce((a, n) => a + n, 0);
    console.log(`crash fan-out: states ${JSON.stringify(states)}, lost ${lost.length}, duplicated ${duplicated}, kills ${JSON.stringify(killTable)}, drain ${Math.round(drainMs)} ms, feishu uuid repeats ${feishuRetries}`);

    expect(lost).toHaveLength(0);
    expect(duplicated).toBe(0);
    expect(uuidDup).toBe(0);
    expect(disagree).toHaveLength(0);
    expect(states.dead ?? 0).toBe(0);
    expect(unknown.length).toBeLessThanOrEqual(2); // at most the Slack and DingTalk sends cut by a kill
    expect(feishuRetries).toBeGreaterThanOrEqual(1); // the Feishu send cut by kill 2 was resent, and deduped on its uuid

    figures.push(
      { name: 'messages enqueued', value: N, unit: 'messages' },
      { name: 'messages delivered (at the fakes, per key)', value: N - lost.length, unit: 'messages', limit: `= ${N}`, ok: lost.length === 0 },
      { name: 'messages lost', value: lost.length, unit: 'messages', limit: '= 0', ok: lost.length === 0, kind: 'lost' },
      { name: 'messages duplicated', value: duplicated, unit: 'messages', limit: '= 0', ok: duplicated === 0, kind: 'duplicated' },
      { name: 'rows left `unknown` (send cut by a kill on Slack/DingTalk, landed once, not resent)', value: unknown.length, unit: 'rows', limit: '≤ 2', ok: unknown.length <= 2 },
      { name: 'Feishu resends absorbed by uuid dedup', value: feishuRetries, unit: 'sends' },
      { name: 'delivered before the first kill', value: deliveredBeforeFirstKill, unit: 'messages' },
      { name: 'time to drain after the last restart', value: Math.round(drainMs / 100) / 10, unit: 's', limit: '≥ the 60 s claim lease of the send cut by the kill' },
      { name: 'fan-out wall time incl. kills and restarts', value: Math.round((performance.now() - t0) / 1000), unit: 's' },
      { name: 'kill -9 mid-send survived', value: killTable.length, unit: 'kills', kind: 'fault' },
    );
    notes.push(`Deliveries table after the drain: ${JSON.stringify(states)}.`);
    fanoutDone = true;
  });

  it('re-runs an import killed mid-file without double counting', async () => {
    const ws = 'shop';
    await pg`insert into workspaces (id, name, timezone, currency, locale) values (${ws}, 'Shop', 'UTC', 'USD', 'en') on conflict do nothing`;
    const stores = ['us-a', 'us-b', 'us-c', 'us-d'];
    for (const s of stores) await pg`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values (${ws}, ${s}, ${s}, 'amazon', 'US', 'USD', 'UTC')`;
    // 4 stores × 50 days × 1,000 SKUs: every (date, store, SKU) once, so the expected sums are plain sums.
    const lines = ['date,store_id,sku_id,units_ordered,order_count,gross_sales'];
    let units = 0;
    let orders = 0;
    let cents = 0;
    for (let i = 0; i < IMPORT_ROWS; i++) {
      const store = stores[i % 4]!;
      const day = new Date(Date.UTC(2026, 8, 1) + (Math.floor(i / 4) % 50) * 86_400_000).toISOString().slice(0, 10);
      const sku = `SKU-${String(Math.floor(i / 200)).padStart(4, '0')}`;
      const u = (i % 7) + 1;
      const o = Math.max(1, u - (i % 2));
      const c = u * (1000 + (i % 13) * 25);
      units += u;
      orders += o;
      cents += c;
      lines.push(`${day},${store},${sku},${u},${o},${(c / 100).toFixed(2)}`);
    }
    const file = join(tmp, 'orders-200k.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = { DATABASE_URL: url, DATA_DIR: join(tmp, 'cli-data'), LOG_LEVEL: 'error' };
    const importArgs = [join(ROOT, 'bin/kpibot.js'), 'import', file, '--workspace', ws, '--dataset', 'orders'];
    const sums = async () => {
      const [r] = await pg<{ n: string; units: string | null; orders: string | null; gross: string | null }[]>`
        select count(*) as n, sum(units_ordered) as units, sum(order_count) as orders, sum(gross_sales) as gross
        from fact_sales_daily where workspace_id = ${ws}`;
      return { rows: Number(r!.n), units: Number(r!.units ?? 0), orders: Number(r!.orders ?? 0), cents: Math.round(Number(r!.gross ?? 0) * 100) };
    };
    const dbName = new URL(url).pathname.slice(1);

    // Run 1, killed when the import's transaction is writing the facts (COPY or the merge into fact_sales_daily).
    const first = spawn(process.execPath, importArgs, { env: childEnv(env), cwd: ROOT });
    let firstOut = '';
    first.stdout.on('data', (d) => (firstOut += d));
    first.stderr.on('data', (d) => (firstOut += d));
    const firstExit = new Promise<number | null>((r) => first.on('exit', (code) => r(code)));
    const phase = await until('the import to be writing', async () => {
      const [a] = await pg<{ query: string }[]>`select query from pg_stat_activity
        where datname = ${dbName} and pid <> pg_backend_pid() and state = 'active' and xact_start is not null
          and (query ilike 'copy kp_stage%' or query ilike '%insert into fact_sales_daily%')`;
      return a ? (/^copy/i.test(a.query) ? 'COPY into the staging table' : 'merge into fact_sales_daily') : undefined;
    }, 120_000, 20);
    first.kill('SIGKILL');
    expect(await firstExit).toBeNull();
    expect(firstOut).not.toMatch(/^imported/m);
    const between = await sums();
    const runsBetween = await pg<{ status: string }[]>`select status from sync_runs where workspace_id = ${ws}`;

    // Run 2: the same file, to the end.
    const t = performance.now();
    const second = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, importArgs, { env: childEnv(env), cwd: ROOT });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (out += d));
      c.on('exit', (code) => resolve({ code, out }));
    });
    const rerunMs = performance.now() - t;
    expect(second.code, second.out).toBe(0);
    const after = await sums();
    const runs = await pg<{ status: string; rows_accepted: number | null }[]>`select status, rows_accepted from sync_runs where workspace_id = ${ws} order by id`;
    console.log(`crash import: killed during ${phase}; between ${JSON.stringify(between)} runs ${JSON.stringify(runsBetween)}; after ${JSON.stringify(after)} runs ${JSON.stringify(runs)}; re-run ${Math.round(rerunMs)} ms`);

    expect(between).toEqual({ rows: 0, units: 0, orders: 0, cents: 0 });
    expect(runsBetween).toEqual([]);
    expect(after).toEqual({ rows: IMPORT_ROWS, units, orders, cents });
    expect(runs).toEqual([{ status: 'ok', rows_accepted: IMPORT_ROWS }]);

    figures.push(
      { name: 'import rows in the file', value: IMPORT_ROWS, unit: 'rows', kind: 'inputs' },
      { name: 'rows visible after the kill, before the re-run', value: between.rows, unit: 'rows', limit: '= 0', ok: between.rows === 0 },
      { name: 'rows counted after the re-run', value: after.rows, unit: 'rows', limit: `= ${IMPORT_ROWS}`, ok: after.rows === IMPORT_ROWS },
      { name: 'units / orders / GMV after the re-run vs the generated rows', value: `${after.units} / ${after.orders} / ${(after.cents / 100).toFixed(2)} vs ${units} / ${orders} / ${(cents / 100).toFixed(2)}`, limit: 'equal', ok: after.units === units && after.orders === orders && after.cents === cents },
      { name: 'import killed mid-file (kill -9) survived', value: 1, unit: 'kills', kind: 'fault' },
      { name: 're-run time', value: Math.round(rerunMs / 100) / 10, unit: 's' },
    );
    notes.push(`The import was killed during the ${phase}; the file is imported in one transaction (the COPY fast path on Postgres), so the killed run left no facts and no sync run.`);
  });
});

afterAll(() => {
  if (!fanoutDone || !figures.some((f) => f.name === 'rows counted after the re-run')) return;
  recordSection(
    {
      id: 'crash',
      title: 'Crash safety: kill -9 mid fan-out and mid import',
      method:
        `The service ran as a child process on a fresh Postgres database with the Slack, Feishu and DingTalk fakes. A child built like src/server.ts enqueued ${N.toLocaleString('en')} digest cards through the outbox (one chat and one idempotency key each; Feishu : Slack : DingTalk = 5 : 2 : 2) and was killed with SIGKILL while a Slack send was in flight; the service (src/server.ts) was restarted and killed twice more, mid Feishu and mid DingTalk send, then restarted until the outbox drained. Messages were counted per key at the fakes (Feishu also per uuid; the fake dedupes uuids like Feishu). Then \`kpibot import\` of a ${IMPORT_ROWS.toLocaleString('en')}-row orders CSV was killed with SIGKILL mid-file and run again; the sums were compared with those of the generated rows.`,
      figures,
      tables: [{ title: 'Kill points', columns: ['kill', 'send in flight', 'messages at the fakes', 'rows sending', 'rows pending'], rows: killTable }],
      notes,
    },
    { testFile: 'tests/reliability/crash-safety.test.ts' },
  );
});
