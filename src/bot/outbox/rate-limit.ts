/**
 * Outbound rate limits as token buckets kept in Postgres, so every replica draws from the same
 * bucket (ARCHITECTURE.md "Scale"). Numbers come from platforms.md §Summary 10 and the platform
 * pages it cites; where a platform publishes none, the value is ours and says so.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { Platform } from '../events.ts';

export interface BucketSpec {
  /** Sustained sends per second. */
  ratePerSecond: number;
  /** Sends allowed back to back before the rate applies. */
  burst: number;
}

export interface PlatformLimits {
  /** All sends of the app on that platform. */
  app: BucketSpec;
  /** Sends into one chat. */
  chat: BucketSpec;
  /** Fold low-priority pushes due for one chat into one message (merge.ts). */
  mergeLowPriority?: boolean;
}

/** Slack: chat.postMessage ≈ 1 msg/s per channel with short bursts; the workspace cap is unpublished (ours: 20/s). */
export const SLACK_LIMITS: PlatformLimits = { app: { ratePerSecond: 20, burst: 20 }, chat: { ratePerSecond: 1, burst: 3 } };
/** Feishu/Lark: 5 QPS per group (shared by every bot in it) and ~50/s per app. */
export const FEISHU_LIMITS: PlatformLimits = { app: { ratePerSecond: 50, burst: 50 }, chat: { ratePerSecond: 5, burst: 5 } };
/** DingTalk: 20 messages/min per group; app QPS unpublished (ours: 20/s); every call counts against a monthly org quota, so low-priority pushes merge. */
export const DINGTALK_LIMITS: PlatformLimits = { app: { ratePerSecond: 20, burst: 20 }, chat: { ratePerSecond: 20 / 60, burst: 5 }, mergeLowPriority: true };
/** The local console has no remote limit; these only keep a runaway loop from flooding the page. */
export const CONSOLE_LIMITS: PlatformLimits = { app: { ratePerSecond: 200, burst: 200 }, chat: { ratePerSecond: 50, burst: 50 } };

export const DEFAULT_LIMITS: Record<Platform, PlatformLimits> = {
  slack: SLACK_LIMITS,
  feishu: FEISHU_LIMITS,
  dingtalk: DINGTALK_LIMITS,
  console: CONSOLE_LIMITS,
};

export type TakeResult = { ok: true } | { ok: false; waitMs: number };

/**
 * Takes one token from bucket `key`, or says how long until one is there. One atomic upsert:
 * the refill (elapsed × rate, capped at burst) and the take happen in the same statement, so
 * concurrent replicas cannot both take the last token. `clock_timestamp()`, not `now()`, because
 * now() is frozen for a whole transaction.
 */
export async function takeToken(database: Database, key: string, spec: BucketSpec): Promise<TakeResult> {
  const refill = sql`least(${spec.burst}::float8, b.tokens + extract(epoch from clock_timestamp() - b.updated_at)::float8 * ${spec.ratePerSecond}::float8)`;
  const taken = await database.query<{ tokens: number }>(sql`
    insert into rate_buckets as b (key, tokens, updated_at)
    values (${key}, ${spec.burst - 1}::float8, clock_timestamp())
    on conflict (key) do update set tokens = ${refill} - 1, updated_at = clock_timestamp()
    where ${refill} >= 1
    returning b.tokens`);
  if (taken.length > 0) return { ok: true };
  const [row] = await database.query<{ tokens: number }>(sql`
    select ${refill} as tokens from rate_buckets b where b.key = ${key}`);
  const missing = 1 - Number(row?.tokens ?? 0);
  return { ok: false, waitMs: Math.max(1, Math.ceil((missing / spec.ratePerSecond) * 1000)) };
}
