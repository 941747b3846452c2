/**
 * Directory sync bookkeeping in `sync_runs` (kind `directory`, one `connector_id` per platform
 * tenant): the checkpoint (phase + cursor of the last stored page) lives in `report` and is
 * written in the same transaction as the page, so a run that fails resumes exactly after the
 * last page that was stored and never re-applies or skips one.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { OrgError } from './errors.ts';
import type { TxScope } from './tx.ts';

export type SyncPhase = 'departments' | 'users' | 'finish';

export interface Checkpoint {
  phase: SyncPhase;
  /** Cursor of the last page stored in this phase; null = start of the phase. */
  cursor: string | null;
}

export interface SyncCounts {
  pages: number;
  departments: number;
  people: number;
  skipped: number;
}

export interface RunState {
  id: number;
  checkpoint: Checkpoint;
  counts: SyncCounts;
  resumed: boolean;
}

/** A run still marked running after this long was abandoned (process died) and may be resumed. */
const STALE_RUN_MS = 30 * 60_000;

export const directoryConnectorId = (platform: string, tenantKey: string) => `directory:${platform}:${tenantKey}`;

interface Row extends Record<string, unknown> {
  id: number;
  status: string;
  report: { checkpoint?: Checkpoint; counts?: SyncCounts } | null;
  started_at: string | Date;
}

const ZERO: SyncCounts = { pages: 0, departments: 0, people: 0, skipped: 0 };

/** Resumes the tenant's last unfinished run, or starts a new one. Refuses while another is live. */
export async function startOrResumeRun(
  database: Database,
  input: { workspaceId: string; platform: string; tenantKey: string; requestedBy: string; now?: Date },
): Promise<RunState> {
  const connector = directoryConnectorId(input.platform, input.tenantKey);
  const now = input.now ?? new Date();
  const [last] = await database.query<Row>(sql`
    select id, status, report, started_at from sync_runs
    where workspace_id = ${input.workspaceId} and kind = 'directory' and connector_id = ${connector}
    order by id desc limit 1`);
  if (last && (last.status === 'failed' || last.status === 'running')) {
    if (last.status === 'running' && now.getTime() - new Date(last.started_at).getTime() < STALE_RUN_MS) {
      throw new OrgError('conflict', { en: 'A directory sync is already running.', 'zh-CN': '通讯录同步正在进行中。' });
    }
    // Claiming by status makes two replicas resuming the same run race safely: one wins.
    const claimed = await database.query(sql`update sync_runs set status = 'running', started_at = ${now.toISOString()}::timestamptz, error_code = null, error_message = null
      where id = ${last.id} and status = ${last.status} returning id`);
    if (claimed.length === 0) throw new OrgError('conflict', { en: 'A directory sync is already running.', 'zh-CN': '通讯录同步正在进行中。' });
    return {
      id: last.id,
      checkpoint: last.report?.checkpoint ?? { phase: 'departments', cursor: null },
      counts: { ...ZERO, ...last.report?.counts },
      resumed: true,
    };
  }
  const checkpoint: Checkpoint = { phase: 'departments', cursor: null };
  const [row] = await database.query<{ id: number }>(sql`
    insert into sync_runs (workspace_id, kind, dataset, source, connector_id, status, report, requested_by, started_at)
    values (${input.workspaceId}, 'directory', 'directory', ${input.platform}, ${connector}, 'running',
            ${JSON.stringify({ checkpoint, counts: ZERO })}::jsonb, ${input.requestedBy}, ${now.toISOString()}::timestamptz)
    returning id`);
  return { id: row!.id, checkpoint, counts: { ...ZERO }, resumed: false };
}

/** Stores the checkpoint inside the page's transaction. */
export async function saveCheckpoint(t: TxScope, run: RunState): Promise<void> {
  await t.q(sql`update sync_runs set report = ${JSON.stringify({ checkpoint: run.checkpoint, counts: run.counts })}::jsonb,
    rows_accepted = ${run.counts.departments + run.counts.people}, rows_rejected = ${run.counts.skipped} where id = ${run.id}`);
}

export async function finishRun(t: TxScope, run: RunState, now: Date): Promise<void> {
  await saveCheckpoint(t, run);
  await t.q(sql`update sync_runs set status = 'ok', finished_at = ${now.toISOString()}::timestamptz where id = ${run.id}`);
}

/** Marks the run failed; its checkpoint stays, so the next sync resumes from there. */
export async function failRun(database: Database, run: RunState, message: string): Promise<void> {
  await database.query(sql`update sync_runs set status = 'failed', finished_at = now(),
    error_code = 'directory_page_failed', error_message = ${message.slice(0, 500)} where id = ${run.id}`);
}
