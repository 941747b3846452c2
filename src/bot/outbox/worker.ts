/**
 * The outbox worker: claims due rows with `FOR UPDATE SKIP LOCKED` under a lease, sends each
 * through its platform adapter within the shared rate limits, and records the outcome. Several
 * workers (in one process or many replicas) never send a row twice: each row is marked just
 * before its platform call (`send_started_at`, which also renews the lease) and a worker whose
 * claim was taken over skips the row. A worker that dies leaves a lease that expires and the row
 * is claimed again; if it died during the platform call, the message may have landed, so it is
 * resent only with a platform idempotency key (Feishu `uuid`), else marked `unknown`
 * (ARCHITECTURE.md "Outbound").
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/client.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import { fromWire, type WireMessage } from '../card.ts';
import { isAdapterError } from '../errors.ts';
import type { ConversationRef, MessageRef, Platform } from '../events.ts';
import type { ChatAdapter } from '../ports.ts';
import { MAX_ATTEMPTS, MAX_RATE_LIMITED_ATTEMPTS, backoffMs } from './backoff.ts';
import type { OutboxMetrics } from './metrics.ts';
import { mergePayloads, mergeUnits } from './merge.ts';
import { activeHolds, holdKey } from './quota.ts';
import { DEFAULT_LIMITS, takeToken, type PlatformLimits } from './rate-limit.ts';

/** A rate limit this long is a quota running out, not a burst: hold every send of that tenant. */
export const TENANT_HOLD_THRESHOLD_S = 3600;
const HOLDS_TTL_MS = 5_000;

interface ClaimedRow {
  id: number;
  platform: Platform;
  kind: 'push' | 'update' | 'reply';
  target: ConversationRef;
  payload: WireMessage;
  update_of: number | null;
  attempts: number;
  idempotency_key: string | null;
  priority: number;
  /** The claim was retaken from a worker that had started the platform call (see above). */
  in_flight: boolean;
}

export interface OutboxWorkerDeps {
  database: Database;
  adapterFor: (platform: Platform) => ChatAdapter | undefined;
  logger: Logger;
  /** Identifies this worker in `claimed_by`. */
  node: string;
  limits?: Partial<Record<Platform, PlatformLimits>>;
  metrics?: OutboxMetrics;
  /** How long a claim protects a row being sent. */
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
  random?: () => number;
}

export interface OutboxWorker {
  /** Claims and processes one batch; resolves with the number of rows handled. */
  runOnce(): Promise<number>;
  start(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
  /** Polls now (called after an in-process enqueue). */
  wake(): void;
}

type Outcome =
  | { state: 'sent'; ref?: MessageRef }
  | { state: 'pending'; delayMs: number; code?: string; error?: string; refund?: boolean }
  | { state: 'dead' | 'unknown'; code: string; error: string };

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { database, logger } = deps;
  const leaseMs = deps.leaseMs ?? 60_000;
  const batchSize = deps.batchSize ?? 20;
  const pollMs = deps.pollMs ?? 500;
  const random = deps.random ?? Math.random;
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;
  /** Shortest deferral of the last batch: poll again then, not a whole poll interval later. */
  let soonestMs = Infinity;
  /** Buckets found empty in this batch: later rows for them skip the query. */
  const refused = new Map<string, number>();
  /** Tenants whose platform quota is used up (quota.ts), read once per batch: their rows wait without a call. */
  let holds = new Map<string, Date>();
  let holdsReadAt = -Infinity;

  async function claim(): Promise<ClaimedRow[]> {
    const rows = await database.query<ClaimedRow & Record<string, unknown>>(sql`
      update deliveries set state = 'sending', claimed_by = ${deps.node},
        claimed_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond', attempts = attempts + 1
      where id in (
        select id from deliveries
        where (state = 'pending' and next_attempt_at <= clock_timestamp())
           or (state = 'sending' and claimed_until < clock_timestamp())
        order by priority, next_attempt_at, id
        limit ${batchSize}
        for update skip locked)
      returning id, platform, kind, target, payload, update_of, attempts, idempotency_key, priority,
        send_started_at is not null as in_flight`);
    // RETURNING does not keep the subquery's order: restore it so critical rows go first.
    return rows.sort((a, b) => a.priority - b.priority || a.id - b.id);
  }

  async function originalRef(id: number): Promise<{ ref: MessageRef | null; state: string } | null> {
    const [row] = await database.query<{ message_ref: MessageRef | null; state: string }>(sql`
      select message_ref, state from deliveries where id = ${id}`);
    return row ? { ref: row.message_ref, state: row.state } : null;
  }

  /**
   * Marks rows as being sent now and renews their lease; false when this worker no longer holds
   * the claim (its lease ran out and another worker took the rows): then it must not send them.
   */
  async function startSend(rows: ClaimedRow[]): Promise<boolean> {
    const ids = rows.map((r) => r.id);
    const marked = await database.query<{ id: number }>(sql`
      update deliveries set send_started_at = clock_timestamp(), claimed_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond'
      where id in ${ids} and claimed_by = ${deps.node} and state = 'sending' returning id`);
    if (marked.length === ids.length) return true;
    // Part of a merged unit was taken over: hand back the rest unsent (only fresh rows merge).
    if (marked.length > 0) {
      await database.query(sql`update deliveries set state = 'pending', claimed_by = null, claimed_until = null, send_started_at = null,
        attempts = attempts - 1 where id in ${marked.map((r) => r.id)} and claimed_by = ${deps.node}`);
    }
    return false;
  }

  /**
   * A row retaken from a worker that died during its platform call: the message may be there.
   * Undefined → send it (again); otherwise the outcome without a second send.
   */
  function recover(row: ClaimedRow, adapter: ChatAdapter): Outcome | undefined {
    // Edits replace the whole message, and keyed sends are deduped by the platform: safe to repeat.
    if (row.kind === 'update' || (adapter.capabilities.idempotentSends && row.idempotency_key !== null)) return undefined;
    return { state: 'unknown', code: 'interrupted', error: 'the worker stopped during the send; the message may have landed, so it is not sent again' };
  }

  async function attempt(row: ClaimedRow, unit: ClaimedRow[]): Promise<Outcome | 'lost_claim'> {
    const adapter = deps.adapterFor(row.platform);
    if (!adapter) return { state: 'dead', code: 'no_adapter', error: `${row.platform} is not configured on this server` };
    const hold = holds.get(holdKey(row.platform, row.target.tenantKey));
    if (hold) return { state: 'pending', delayMs: Math.max(1000, hold.getTime() - Date.now()), refund: true };
    const spec = limits[row.platform];
    // Chat bucket first: when one busy chat holds a burst, its rows must not burn app tokens.
    for (const [key, bucket] of [[`${row.platform}:${row.target.chatId}`, spec.chat], [row.platform, spec.app]] as const) {
      const known = refused.get(key);
      if (known !== undefined) return { state: 'pending', delayMs: known, refund: true };
      const t = await takeToken(database, key, bucket);
      if (!t.ok) {
        refused.set(key, t.waitMs);
        return { state: 'pending', delayMs: t.waitMs, refund: true };
      }
    }
    if (!(await startSend(unit))) return 'lost_claim';
    if (row.in_flight) {
      const recovered = recover(row, adapter);
      if (recovered) return recovered;
    }
    const message = fromWire(row.payload);
    const timer = deps.metrics?.sendSeconds.startTimer({ platform: row.platform, kind: row.kind });
    try {
      if (row.kind === 'update') {
        const original = row.update_of === null ? null : await originalRef(row.update_of);
        if (!original || original.state === 'dead') {
          return { state: 'dead', code: 'original_not_sent', error: 'the message to update was never sent' };
        }
        // The original is still queued: try again shortly rather than update nothing.
        if (!original.ref) return { state: 'pending', delayMs: 2_000, refund: true };
        await adapter.update(original.ref, message);
        timer?.();
        return { state: 'sent', ref: original.ref };
      }
      const ref = await adapter.send(row.target, message, row.idempotency_key ? { idempotencyKey: row.idempotency_key } : {});
      timer?.();
      return { state: 'sent', ref };
    } catch (err) {
      timer?.();
      if (!isAdapterError(err)) {
        logger.error({ err, delivery: row.id }, 'outbox: adapter threw a non-AdapterError');
        return { state: 'dead', code: 'unknown', error: err instanceof Error ? err.message : String(err) };
      }
      const error = err.message.slice(0, 500);
      if (err.code === 'rate_limited') {
        if (row.attempts >= MAX_RATE_LIMITED_ATTEMPTS) return { state: 'dead', code: err.code, error };
        const delayMs = Math.max((err.retryAfterSeconds ?? 0) * 1000, backoffMs(1, random));
        // Later rows of this batch for the same chat (or, for a quota, the same tenant) wait without a call.
        refused.set(`${row.platform}:${row.target.chatId}`, delayMs);
        if ((err.retryAfterSeconds ?? 0) >= TENANT_HOLD_THRESHOLD_S) holds.set(holdKey(row.platform, row.target.tenantKey), new Date(Date.now() + delayMs));
        return { state: 'pending', delayMs, code: err.code, error };
      }
      // A timeout is retried only when the platform dedupes on the key this row actually carries.
      const transient = err.code === 'unavailable' || (err.code === 'timeout' && adapter.capabilities.idempotentSends && row.idempotency_key !== null);
      if (transient) {
        if (row.attempts >= MAX_ATTEMPTS) return { state: 'dead', code: err.code, error };
        return { state: 'pending', delayMs: backoffMs(row.attempts, random), code: err.code, error };
      }
      // A timed-out send without an idempotency key may have landed: never send it twice.
      if (err.code === 'timeout') return { state: 'unknown', code: err.code, error };
      return { state: 'dead', code: err.code, error };
    }
  }

  async function record(row: ClaimedRow, o: Outcome): Promise<void> {
    const mine = sql`id = ${row.id} and claimed_by = ${deps.node}`;
    if (o.state === 'sent') {
      await database.query(sql`update deliveries set state = 'sent', sent_at = clock_timestamp(), claimed_by = null, send_started_at = null,
        claimed_until = null, message_ref = ${o.ref ? JSON.stringify(o.ref) : null}::jsonb, last_error_code = null
        where ${mine}`);
      deps.metrics?.sent.inc({ platform: row.platform });
    } else if (o.state === 'pending') {
      soonestMs = Math.min(soonestMs, o.delayMs);
      // A deferral before any platform call keeps the mark of an earlier interrupted call.
      await database.query(sql`update deliveries set state = 'pending', claimed_by = null, claimed_until = null,
        send_started_at = case when ${o.refund === true} then send_started_at else null end,
        next_attempt_at = clock_timestamp() + ${o.delayMs} * interval '1 millisecond',
        attempts = attempts - ${o.refund ? 1 : 0},
        last_error_code = coalesce(${o.code ?? null}, last_error_code), last_error = coalesce(${o.error ?? null}, last_error)
        where ${mine}`);
      if (o.code) deps.metrics?.failed.inc({ platform: row.platform, code: o.code });
    } else {
      await database.query(sql`update deliveries set state = ${o.state}, claimed_by = null, claimed_until = null, send_started_at = null,
        last_error_code = ${o.code}, last_error = ${o.error} where ${mine}`);
      deps.metrics?.failed.inc({ platform: row.platform, code: o.code });
      if (o.state === 'dead') deps.metrics?.dead.inc({ platform: row.platform });
      logger.warn({ delivery: row.id, platform: row.platform, code: o.code, state: o.state }, `outbox: ${o.error}`);
    }
  }

  /**
   * The outcome of a platform call must reach its row even across a database outage, or the row
   * would be retaken when its lease ends and sent twice (or marked unknown): retried while the
   * database is unreachable, as long as the lease holds and the worker runs.
   */
  async function recordHeld(row: ClaimedRow, o: Outcome): Promise<void> {
    const until = Date.now() + leaseMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await record(row, o);
      } catch (err) {
        if (!isDatabaseUnavailable(err) || stopped || Date.now() > until) throw err;
        if (attempt === 1) logger.warn({ delivery: row.id, state: o.state }, 'outbox: database unavailable, holding the outcome until it answers');
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (attempt - 1), 5_000)));
      }
    }
  }

  async function runOnce(): Promise<number> {
    soonestMs = Infinity;
    refused.clear();
    const rows = await claim();
    // Holds change about once a month: re-read them every few seconds, not per batch.
    if (rows.length && performance.now() - holdsReadAt > HOLDS_TTL_MS) {
      holds = await activeHolds(database);
      holdsReadAt = performance.now();
    }
    // A row interrupted mid-send goes alone: its fate must not decide that of rows merged with it.
    const units = [...rows.filter((r) => r.in_flight).map((r) => [r]), ...mergeUnits(rows.filter((r) => !r.in_flight), (p) => limits[p].mergeLowPriority === true)];
    for (const unit of units) {
      const lead = unit.length === 1 ? unit[0]! : { ...unit[0]!, payload: mergePayloads(unit.map((r) => r.payload)) };
      const outcome = await attempt(lead, unit);
      // Another worker holds these rows now: what happens to them is its to record.
      if (outcome === 'lost_claim') continue;
      for (const row of unit) await recordHeld(row, outcome);
    }
    return rows.length;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
  }

  function tick(): void {
    if (running || stopped) return;
    running = runOnce()
      .catch((err: unknown) => {
        logger.error({ err }, 'outbox: batch failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    void running.then((n) => schedule(n === batchSize ? 0 : Math.min(pollMs, soonestMs)));
  }

  return {
    runOnce,
    start() {
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    wake() {
      if (!stopped && !running) schedule(0);
    },
  };
}
