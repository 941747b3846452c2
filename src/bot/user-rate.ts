/**
 * Per-person limit on everything someone sends the bot (messages, commands, clicks, files), on
 * top of the KPI questions' own tighter bucket (commands/kpi/answer.ts). Without it one person
 * could run `review`, `digest run`, `health` or exports back to back forever. The buckets live in
 * Postgres (`rate_buckets`, the outbox's token buckets), so the limit holds across replicas and
 * restarts: nothing authoritative is kept in memory.
 *
 * Keyed by platform, tenant and platform user id, so a flood in one chat cannot use up another
 * person's allowance in the same chat. The first refusal of a flood gets one polite "slow down";
 * further refusals within NOTICE_EVERY are dropped silently, so a flood cannot turn into a flood
 * of replies eating the chat's send rate (Slack ≈ 1/s per channel) that others' answers need.
 */
import type { Database } from '../db/client.ts';
import type { InboundEvent } from './events.ts';
import { takeToken, type BucketSpec } from './outbox/rate-limit.ts';

/** Anything a person sends: 40 back to back, then one a second (no human types faster for long). */
export const USER_EVENT_RATE: BucketSpec = { ratePerSecond: 1, burst: 40 };

/** One "slow down" notice per person per this long while they keep flooding. */
export const NOTICE_EVERY_MS = 20_000;
const NOTICE_RATE: BucketSpec = { ratePerSecond: 1000 / NOTICE_EVERY_MS, burst: 1 };

export type UserRateResult = { ok: true } | { ok: false; waitMs: number; notify: boolean };

function who(e: InboundEvent): string {
  return `${e.platform}:${e.conversation.tenantKey}:${e.user.id}`;
}

/** Takes one token of the sender's allowance; when none is left, says whether to tell them. */
export async function takeUserToken(database: Database, e: InboundEvent): Promise<UserRateResult> {
  const t = await takeToken(database, `user:${who(e)}`, USER_EVENT_RATE);
  if (t.ok) return t;
  const notice = await takeToken(database, `user-notice:${who(e)}`, NOTICE_RATE);
  return { ok: false, waitMs: t.waitMs, notify: notice.ok };
}
