/**
 * Fan-out: N digest cards to N chats through the outbox, against the platform fakes that exist,
 * with injected 429s (Retry-After 1 s). Two outbox workers (two replicas) share the database and
 * its token buckets. Reports the total time against the rate-limit lower bound of platforms.md
 * ("Fan-out lower bound": T_min = max over platforms of N_p ÷ R_p, app-wide rates, since each chat
 * gets one message), and lost and duplicated messages (goal 0 and 0, time ≤ 1.1 × T_min).
 * Platforms, a quarter of N each, interleaved: the console, Slack (tests/fakes/slack; it enforces
 * no rate, so R is our outbox's Slack app bucket, 20/s), Feishu (tests/fakes/feishu enforces Lark's
 * published 5/s per group and 50/s per app, answering 429 + 99991400) and DingTalk
 * (tests/fakes/dingtalk; app QPS unpublished, so R is our bucket, 20/s; the fake enforces 20/min
 * per group). `npm run bench -- fanout [--n=1000] [--rate429=0.02]`.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { createConsoleAdapter } from '../src/adapters/console/index.ts';
import { createDingTalkBinding } from '../src/adapters/dingtalk/index.ts';
import { createFeishuBinding } from '../src/adapters/feishu/index.ts';
import { createSlackBinding } from '../src/adapters/slack/index.ts';
import type { WireMessage } from '../src/bot/card.ts';
import type { ConversationRef, Platform } from '../src/bot/events.ts';
import { loadImage } from '../src/bot/images.ts';
import { enqueueDelivery, PRIORITY } from '../src/bot/outbox/enqueue.ts';
import { DEFAULT_LIMITS } from '../src/bot/outbox/rate-limit.ts';
import { createOutboxWorker } from '../src/bot/outbox/worker.ts';
import type { ChatAdapter } from '../src/bot/ports.ts';
import { applyRuntimeEnv, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { seedDemo } from '../src/demo/lifecycle.ts';
import { buildDigest } from '../src/digests/build.ts';
import { wireCard } from '../src/digests/deliver.ts';
import { createGoalSource } from '../src/digests/goal-source.ts';
import { targetForChat } from '../src/digests/target.ts';
import { addDays, localDate } from '../src/kpi/dates.ts';
import { createChartRenderer } from '../src/render/index.ts';
import { dingtalkConfig } from '../tests/fakes/dingtalk/harness.ts';
import { startFakeDingTalk } from '../tests/fakes/dingtalk/server.ts';
import { startFakeFeishu } from '../tests/fakes/feishu/server.ts';
import { startFakeSlack } from '../tests/fakes/slack/server.ts';
import type { BenchModule } from './run.ts';

const flag = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const PUBLIC_URL = 'https://kpi.example.com';

async function run(): Promise<Record<string, unknown>> {
  const n = flag('n', 1000);
  const rate429 = flag('rate429', 0.02);
  const logger = pino({ level: 'silent' });
  applyRuntimeEnv(loadConfig({ DATA_DIR: '/tmp/kpibot-bench-fanout', LOG_LEVEL: 'silent' }));
  const database = await openDatabase({});
  await database.migrate();
  await seedDemo(database, { anchor: addDays(localDate('Asia/Shanghai', new Date()), -1) });

  // One real demo digest (amazon-us), composed and stored once; each chat gets a copy.
  const target = (await targetForChat(database, { platform: 'console', tenantKey: 'console', chatId: 'amazon-us' }))!;
  const deps = { database, charts: createChartRenderer({}), goals: createGoalSource(database) };
  const composeMs: number[] = [];
  let message: WireMessage | undefined;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const built = await buildDigest(deps, target, { cadence: 'daily', now: new Date() });
    composeMs.push(performance.now() - t);
    message ??= await wireCard(database, PUBLIC_URL, { workspace: target.workspace, locale: target.locale, card: built.card });
  }

  const fake = await startFakeSlack({ botToken: 'xoxb-bench' });
  const feishuFake = await startFakeFeishu();
  const dingFake = await startFakeDingTalk();
  const load = (id: string) => loadImage(database, id);
  const slack = createSlackBinding({ signingSecret: 'bench-signing-secret', botToken: 'xoxb-bench', apiUrl: fake.apiUrl }, { logger, publicUrl: PUBLIC_URL, loadImage: load });
  const feishu = createFeishuBinding(
    { appId: feishuFake.appId, appSecret: feishuFake.appSecret, mode: 'webhook', verificationToken: 'bench-token', domain: feishuFake.origin },
    { logger, loadImage: load },
  );
  const dingtalk = createDingTalkBinding(dingtalkConfig(dingFake, false), { logger, publicUrl: PUBLIC_URL, loadImage: load, database, stream: false, outgoingRobot: false });
  const adapters = new Map<Platform, ChatAdapter>([
    ['console', createConsoleAdapter({ database, publicUrl: PUBLIC_URL })],
    ['slack', slack.adapter],
    ['feishu', feishu.adapter],
    ['dingtalk', dingtalk.adapter],
  ]);
  const PLATFORMS = ['console', 'slack', 'feishu', 'dingtalk'] as const;
  type Measured = (typeof PLATFORMS)[number];
  const split = Object.fromEntries(PLATFORMS.map((p, k) => [p, Math.floor(n / 4) + (k < n % 4 ? 1 : 0)])) as Record<Measured, number>;
  const chatOf = (p: Measured, i: number): ConversationRef => {
    if (p === 'console') return { platform: 'console', tenantKey: 'console', chatId: `bench-${i}`, kind: 'group' };
    if (p === 'slack') return { platform: 'slack', tenantKey: fake.teamId, chatId: `C${String(i).padStart(6, '0')}`, kind: 'group' };
    if (p === 'feishu') return { platform: 'feishu', tenantKey: feishuFake.tenantKey, chatId: `oc_bench${String(i).padStart(6, '0')}`, kind: 'group' };
    return { platform: 'dingtalk', tenantKey: dingFake.corpId, chatId: `cidbench${String(i).padStart(6, '0')}`, kind: 'group' };
  };
  // Platforms interleaved, as a morning's subscriptions are: one busy platform must not queue behind another.
  const targets: ConversationRef[] = Array.from({ length: n }, (_, i) => chatOf(PLATFORMS[i % 4]!, Math.floor(i / 4)));
  // Injected rate limits: the first post into every 1/rate429-th Slack channel answers 429, Retry-After 1 s.
  const injected = targets.filter((t) => t.platform === 'slack').filter((_, i) => i % Math.max(1, Math.round(1 / rate429)) === 0);
  for (const t of injected) fake.inject({ method: 'chat.postMessage', channel: t.chatId, status: 429, retryAfter: 1 });

  // The workers run while the cards are queued, as they do when the scheduler fans a slot out.
  const workers = ['replica-1', 'replica-2'].map((node) => createOutboxWorker({ database, adapterFor: (p) => adapters.get(p), logger, node }));
  for (const w of workers) w.start();
  const started = performance.now();
  for (const t of targets) {
    await enqueueDelivery(database.db, {
      workspaceId: 'demo', target: t, message: message!, priority: PRIORITY.digest,
      idempotencyKey: `bench:${t.platform}:${t.chatId}`, source: { type: 'digest', id: `bench:${t.chatId}` },
    });
    for (const w of workers) w.wake();
  }
  const enqueuedMs = performance.now() - started;
  const rates = Object.fromEntries(PLATFORMS.map((p) => [p, DEFAULT_LIMITS[p].app.ratePerSecond])) as Record<Measured, number>;
  const lowerBoundMs = Math.max(...PLATFORMS.map((p) => split[p] / rates[p])) * 1000;
  let done = 0;
  while (performance.now() - started < lowerBoundMs * 5 + 30_000) {
    const [row] = await database.query<{ n: number }>(sql`select count(*) as n from deliveries where state in ('sent', 'dead', 'unknown')`);
    done = Number(row!.n);
    if (done >= n) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const totalMs = performance.now() - started;
  await Promise.all(workers.map((w) => w.stop()));

  const states = await database.query<{ state: string; n: number }>(sql`select state, count(*) as n from deliveries group by state`);
  const consoleCounts = await database.query<{ chat_id: string; n: number }>(sql`select chat_id, count(*) as n from console_messages where chat_id like 'bench-%' group by chat_id`);
  const slackCounts = new Map<string, number>();
  for (const m of fake.messages) slackCounts.set(m.channel, (slackCounts.get(m.channel) ?? 0) + 1);
  const feishuCounts = feishuFake.sendsPerChat();
  const dingCounts = dingFake.sendCounts();
  const consoleByChat = new Map(consoleCounts.map((c) => [c.chat_id, Number(c.n)]));
  const countsOf: Record<Measured, Map<string, number>> = { console: consoleByChat, slack: slackCounts, feishu: feishuCounts, dingtalk: dingCounts };
  const delivered = (t: ConversationRef) => countsOf[t.platform as Measured].get(t.chatId) ?? 0;
  const lost = targets.filter((t) => delivered(t) === 0).length;
  // Where the time goes: Slack posts per second in the middle of the run, and when the last post landed.
  const posts = fake.calledAt('chat.postMessage').sort((a, b) => a - b);
  const at = (q: number) => posts[Math.min(posts.length - 1, Math.floor(q * posts.length))]!;
  const slackSteadyPerSecond = posts.length > 10 ? Math.round(((0.8 * posts.length) / Math.max(1, at(0.9) - at(0.1))) * 1000 * 10) / 10 : null;
  const duplicated = targets.reduce((a, t) => a + Math.max(0, delivered(t) - 1), 0);
  const lostBy = Object.fromEntries(PLATFORMS.map((p) => [p, targets.filter((t) => t.platform === p && delivered(t) === 0).length]));
  const sentAt = await database.query<{ platform: string; ms: number }>(sql`
    select platform, extract(epoch from max(sent_at) - min(created_at)) * 1000 as ms from deliveries group by platform`);
  const feishu429 = feishuFake.rateLimited;
  await Promise.all([fake.close(), feishuFake.close(), dingFake.close()]);
  await database.close();
  return {
    n,
    split,
    appRatesPerSecond: { ...rates, note: 'Slack and DingTalk: our outbox buckets (no published app-wide cap); Feishu: Lark\'s published 50/s, enforced by the fake; console: ours' },
    injected429: injected.length,
    composeMs: composeMs.map((x) => Math.round(x)),
    lowerBoundMs: Math.round(lowerBoundMs),
    totalMs: Math.round(totalMs),
    ratio: Math.round((totalMs / lowerBoundMs) * 100) / 100,
    states: Object.fromEntries(states.map((s) => [s.state, Number(s.n)])),
    lost,
    lostBy,
    duplicated,
    feishu429,
    firstToLastMsByPlatform: Object.fromEntries(sentAt.map((r) => [r.platform, Math.round(Number(r.ms))])),
    slackSteadyPerSecond,
    slackFirstToLastPostMs: posts.length ? posts.at(-1)! - posts[0]! : null,
    enqueuedMs: Math.round(enqueuedMs),
  };
}

const bench: BenchModule = { name: 'fanout', run };
export default bench;
