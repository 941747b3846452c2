/**
 * What the load test counts outside the service: what reached the fake Slack (answers, "slow
 * down" replies, digests, alert cards, edits), the service's RSS, its outbox and its log. The
 * fake keeps every call in memory; at 200–500 req/s for 10 minutes that would be gigabytes in the
 * test process, so `drain` folds them into counters every few seconds and drops them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import type postgres from 'postgres';
import type { FakeSlack } from '../fakes/slack/server.ts';

export type PostKind = 'answer' | 'working' | 'dm' | 'digest' | 'alert' | 'alertStore';
export type ReplyKind = 'slowDown' | 'ephemeral';

export interface Tally {
  posts: Record<PostKind, number>;
  edits: { alert: number; other: number };
  replies: Record<ReplyKind, number>;
  /** Digest posts per channel (each subscription must post exactly once). */
  digestsByChannel: Map<string, number>;
  /** The rule's alert cards (channel + ts): an edit of one is that alert's update, whatever it says. */
  alertCards: Set<string>;
  calls: Record<string, number>;
}

export const newTally = (): Tally => ({
  posts: { answer: 0, working: 0, dm: 0, digest: 0, alert: 0, alertStore: 0 },
  edits: { alert: 0, other: 0 },
  replies: { slowDown: 0, ephemeral: 0 },
  digestsByChannel: new Map(),
  alertCards: new Set(),
  calls: {},
});

const KEEP_BLOCKS = 500;

function classifyPost(channel: string, body: Record<string, unknown>, alertStoreWord: string): PostKind[] {
  const blocks = JSON.stringify(body.blocks ?? []);
  const text = String(body.text ?? '');
  if (blocks.includes('"alert.ack"') || blocks.includes('"alert.snooze"')) return blocks.includes(alertStoreWord) || text.includes(alertStoreWord) ? ['alert', 'alertStore'] : ['alert'];
  if (blocks.includes('"digest.more"')) return ['digest'];
  if (/Working on it|正在查询/.test(text) && blocks.length < 400) return ['working'];
  return [channel.startsWith('D') ? 'dm' : 'answer'];
}

/** Folds the fake's recorded calls into `t` (per kind, and per minute of the window via `onPost`) and drops them. */
export function drain(fake: FakeSlack, t: Tally, alertStoreWord: string, onPost: (kind: PostKind) => void): void {
  for (const c of fake.calls.splice(0)) t.calls[c.method] = (t.calls[c.method] ?? 0) + 1;
  for (const entry of fake.log.splice(0)) {
    if (entry.op === 'post') {
      for (const kind of classifyPost(entry.channel, entry.body, alertStoreWord)) {
        t.posts[kind]++;
        onPost(kind);
        if (kind === 'digest') t.digestsByChannel.set(entry.channel, (t.digestsByChannel.get(entry.channel) ?? 0) + 1);
        if (kind === 'alertStore') t.alertCards.add(`${entry.channel} ${entry.ts}`);
      }
    } else if (entry.op === 'edit') {
      if (t.alertCards.has(`${entry.channel} ${entry.ts}`)) t.edits.alert++;
      else t.edits.other++;
    }
  }
  for (const r of fake.responses.splice(0)) {
    const text = `${String(r.body.text ?? '')}${JSON.stringify(r.body.blocks ?? [])}`;
    if (/Slow down|请稍慢一点/.test(text)) t.replies.slowDown++;
    else t.replies.ephemeral++;
  }
  fake.edits.splice(0);
  // Messages stay (chat.update looks them up), but only the latest keep their blocks.
  for (let i = 0; i < fake.messages.length - KEEP_BLOCKS; i++) delete fake.messages[i]!.blocks;
}

/** VmRSS of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

export interface HeapSample {
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** The service's V8 heap and external memory in MiB, from its own Prometheus metrics. */
export async function heapMiB(url: string): Promise<HeapSample | undefined> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text()).catch(() => '');
  const get = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  const s = { heapUsed: get('nodejs_heap_size_used_bytes'), heapTotal: get('nodejs_heap_size_total_bytes'), external: get('nodejs_external_memory_bytes') };
  return Number.isFinite(s.heapUsed) ? s : undefined;
}

/**
 * Raises a process's priority where allowed (root), as bench/ingress.bench.ts does: on a shared
 * machine the figures should measure our code, not the neighbours'. False when not permitted.
 */
export function renice(pid: number): boolean {
  // Linux nice is per thread: the libuv pool and V8's helper threads need it as much as the main one.
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    tasks = [String(pid)];
  }
  try {
    for (const tid of tasks) setPriority(Number(tid), -10);
    return true;
  } catch {
    return false;
  }
}

/** The service's own Postgres backends (its database only), reniced with it. */
export async function reniceBackends(sql: postgres.Sql): Promise<number> {
  const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  return rows.filter((r) => renice(r.pid)).length;
}

export interface OutboxSample {
  /** Pending or sending rows already due: the backlog the workers have not caught up with. */
  due: number;
  /** Rows held for later (quiet hours, Retry-After, backoff). */
  held: number;
  dead: number;
  unknown: number;
}

export async function outbox(sql: postgres.Sql): Promise<OutboxSample> {
  const [r] = await sql<{ due: number; held: number; dead: number; unknown: number }[]>`
    select count(*) filter (where state in ('pending', 'sending') and next_attempt_at <= now())::int as due,
      count(*) filter (where state in ('pending', 'sending') and next_attempt_at > now())::int as held,
      count(*) filter (where state = 'dead')::int as dead, count(*) filter (where state = 'unknown')::int as unknown
    from deliveries`;
  return r!;
}

export const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
export const r1 = (x: number) => Math.round(x * 10) / 10;

/** Merges sorted arrays (per-minute latencies) into one sorted array. */
export function mergeSorted(parts: number[][]): number[] {
  return parts.flat().sort((a, b) => a - b);
}

export interface LogScan {
  errors: { msg: string; count: number }[];
  warnings: { msg: string; count: number }[];
}

/** Counts the service's error- and warn-level JSON log lines by message. */
export function scanLog(output: string): LogScan {
  const errors = new Map<string, number>();
  const warnings = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let o: { level?: number; msg?: string; err?: { message?: string } };
    try {
      o = JSON.parse(line) as typeof o;
    } catch {
      continue;
    }
    const msg = `${o.msg ?? ''}${o.err?.message ? `: ${o.err.message.slice(0, 160)}` : ''}`;
    if ((o.level ?? 0) >= 50) errors.set(msg, (errors.get(msg) ?? 0) + 1);
    else if (o.level === 40) warnings.set(msg, (warnings.get(msg) ?? 0) + 1);
  }
  const list = (m: Map<string, number>) => [...m].map(([msg, count]) => ({ msg, count }));
  return { errors: list(errors), warnings: list(warnings) };
}
