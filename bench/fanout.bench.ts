/**
 * Fan-out: N digest cards to N chats through the outbox, against the platform fakes that exist,
 * with injected 429s (Retry-After 1 s). Two outbox workers (two replicas) share the database and
 * its token buckets. Reports the total time against the rate-limit lower bound of platforms.md
 * ("Fan-out lower bound": T_min = max over platforms of N_p ÷ R_p, app-wide rates, since each chat
 * gets one message), and lost and duplicated messages (goal 0 and 0, time ≤ 1.1 × T_min).
 * Platforms: the console and Slack (tests/fakes/slack; it enforces no rate of its own, so R is our
 * outbox's Slack app bucket, 20/s). Feishu and DingTalk are not measured: their adapters do not
 * exist yet. `npm run bench -- fanout [--n=1000] [--rate429=0.02]`.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { createConsoleAdapter } from '../src/adapters/console/index.ts';
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
  const slack = createSlackBinding({ signingSecret: 'bench-signing-secret', botToken: 'xoxb-bench', apiUrl: fake.apiUrl }, { logger, publicUrl: PUBLIC_URL, loadImage: (id) => loadImage(database, id) });
  const adapters = new Map<Platform, ChatAdapter>([['console', createConsoleAdapter({ database, publicUrl: PUBLIC_URL })], ['slack', slack.adapter]]);
  const split: Record<'console' | 'slack', number> = { console: Math.floor(n / 2), slack: n - Math.floor(n / 2) };
  // Platforms interleaved, as a morning's subscriptions are: one busy platform must not queue behind another.
  const targets: ConversationRef[] = Array.from({ length: n }, (_, i): ConversationRef =>
    i % 2 === 0 && i / 2 < split.console
      ? { platform: 'console', tenantKey: 'console', chatId: `bench-${i / 2}`, kind: 'group' }
      : { platform: 'slack', tenantKey: fake.teamId, chatId: `C${String(i).padStart(6, '0')}`, kind: 'group' },
  );
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
  const rates = { console: DEFAULT_LIMITS.console.app.ratePerSecond, slack: DEFAULT_LIMITS.slack.app.ratePerSecond };
  const lowerBoundMs = Math.max(split.console / rates.console, split.slack / rates.slack) * 1000;
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
  const delivered = (t: ConversationRef) => (t.platform === 'console' ? Number(consoleCounts.find((c) => c.chat_id === t.chatId)?.n ?? 0) : (slackCounts.get(t.chatId) ?? 0));
  const lost = targets.filter((t) => delivered(t) === 0).length;
  // Where the time goes: Slack posts per second in the middle of the run, and when the last post landed.
  const posts = fake.calledAt('chat.postMessage').sort((a, b) => a - b);
  const at = (q: number) => posts[Math.min(posts.length - 1, Math.floor(q * posts.length))]!;
  const slackSteadyPerSecond = posts.length > 10 ? Math.round(((0.8 * posts.length) / Math.max(1, at(0.9) - at(0.1))) * 1000 * 10) / 10 : null;
  const consoleDoneMs = Number((await database.query<{ ms: number }>(sql`
    select extract(epoch from max(sent_at) - min(created_at)) * 1000 as ms from deliveries where platform = 'console'`))[0]?.ms ?? 0);
  const duplicated = targets.reduce((a, t) => a + Math.max(0, delivered(t) - 1), 0);
  await fake.close();
  await database.close();
  return {
    n,
    split,
    platformsMissing: ['feishu (no adapter yet)', 'dingtalk (no adapter yet)'],
    appRatesPerSecond: { ...rates, note: 'Slack: our outbox bucket (the fake enforces none; Slack publishes no workspace cap); console: ours' },
    injected429: injected.length,
    composeMs: composeMs.map((x) => Math.round(x)),
    lowerBoundMs: Math.round(lowerBoundMs),
    totalMs: Math.round(totalMs),
    ratio: Math.round((totalMs / lowerBoundMs) * 100) / 100,
    states: Object.fromEntries(states.map((s) => [s.state, Number(s.n)])),
    lost,
    duplicated,
    slackSteadyPerSecond,
    slackFirstToLastPostMs: posts.length ? posts.at(-1)! - posts[0]! : null,
    consoleDoneMs: Math.round(consoleDoneMs),
    enqueuedMs: Math.round(enqueuedMs),
  };
}

const bench: BenchModule = { name: 'fanout', run };
export default bench;
