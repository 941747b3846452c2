/**
 * The once-per-cluster rule (ARCHITECTURE.md "Many replicas"): a replica runs a slot only if its
 * `job_runs(job_id, slot)` insert wins (`ON CONFLICT DO NOTHING`). A failing insert (the database
 * is briefly away) is retried a few times with a short backoff; after that the slot is skipped,
 * never run blind, because running without the claim is how two replicas both send a digest.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

export type ClaimResult = 'won' | 'taken' | 'error';

export interface ClaimOptions {
  node: string;
  /** Attempts before giving up (default 3). */
  attempts?: number;
  /** Waits between attempts; tests pass an instant one. */
  sleep?: (ms: number) => Promise<void>;
  onError?: (err: unknown, attempt: number) => void;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function claimSlot(database: Database, jobId: string, slot: Date, o: ClaimOptions): Promise<ClaimResult> {
  const attempts = o.attempts ?? 3;
  const sleep = o.sleep ?? realSleep;
  for (let i = 1; i <= attempts; i++) {
    try {
      const rows = await database.query<{ job_id: string }>(sql`
        insert into job_runs (job_id, slot, node) values (${jobId}, ${slot.toISOString()}::timestamptz, ${o.node})
        on conflict do nothing returning job_id`);
      return rows.length > 0 ? 'won' : 'taken';
    } catch (err) {
      o.onError?.(err, i);
      if (i < attempts) await sleep(200 * 2 ** (i - 1));
    }
  }
  return 'error';
}

/** Records how a claimed slot ended. Best effort: the work itself already happened. */
export async function finishSlot(
  database: Database,
  jobId: string,
  slot: Date,
  outcome: { status: 'ok' | 'failed' | 'skipped'; error?: string },
): Promise<void> {
  await database.query(sql`
    update job_runs set status = ${outcome.status}, finished_at = clock_timestamp(), error = ${outcome.error?.slice(0, 500) ?? null}
    where job_id = ${jobId} and slot = ${slot.toISOString()}::timestamptz`);
}
