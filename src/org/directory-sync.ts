/**
 * Directory sync: departments → teams, people → users, keyed on the platform's cross-app id.
 * Runs on demand (`sync directory`) and daily: the scheduler calls `syncDirectory` per platform
 * tenant that has a directory (seam: `directoryOf(adapter, tenantKey)` in src/bot/directory.ts).
 *
 * Each page is one transaction together with the run's checkpoint, so a failure leaves only whole
 * pages behind and the next sync resumes after the last stored one. Leavers are decided only after
 * a complete pass — a half-read directory must never deactivate the people it did not reach.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../audit/audit-log.ts';
import type { DirectoryPage, DirectoryPort } from '../bot/directory.ts';
import type { Database } from '../db/client.ts';
import { localDate } from '../kpi/dates.ts';
import { applyDepartments, applyPeople, type ApplyContext, type PageOutcome } from './directory-apply.ts';
import { failRun, finishRun, saveCheckpoint, startOrResumeRun, type RunState, type SyncPhase } from './directory-runs.ts';
import { deactivateLeaver, type LeaverReport } from './leavers.ts';
import { inTransaction, type TxScope } from './tx.ts';

export interface DirectorySyncResult {
  runId: number;
  status: 'ok' | 'failed';
  /** The run continued an earlier one that had failed. */
  resumed: boolean;
  teamsCreated: string[];
  usersCreated: string[];
  departments: number;
  people: number;
  skipped: number;
  leavers: LeaverReport[];
  /** Why the run stopped (status failed); the next sync resumes it. */
  error?: string;
}

export interface SyncInput {
  workspaceId: string;
  timezone: string;
  actor: Actor;
  now?: Date;
}

async function runPhase<T>(
  database: Database,
  run: RunState,
  phase: Exclude<SyncPhase, 'finish'>,
  pages: (after?: string) => AsyncIterable<DirectoryPage<T>>,
  apply: (t: TxScope, items: T[]) => Promise<PageOutcome>,
  result: DirectorySyncResult,
  next: SyncPhase,
): Promise<void> {
  if (run.checkpoint.phase !== phase) return;
  for await (const page of pages(run.checkpoint.cursor ?? undefined)) {
    await inTransaction(database, async (t) => {
      const out = await apply(t, page.items);
      run.counts.pages++;
      run.counts[phase === 'departments' ? 'departments' : 'people'] += out.applied;
      run.counts.skipped += out.skipped;
      run.checkpoint = page.cursor === null ? { phase: next, cursor: null } : { phase, cursor: page.cursor };
      await saveCheckpoint(t, run);
      result.teamsCreated.push(...out.teamsCreated);
      result.usersCreated.push(...out.usersCreated);
    });
  }
  // A listing that ended without a null cursor (e.g. empty) still completes its phase.
  if (run.checkpoint.phase === phase) {
    run.checkpoint = { phase: next, cursor: null };
    await inTransaction(database, (t) => saveCheckpoint(t, run));
  }
}

/** After a complete pass: who is gone from this directory, and who is gone from every directory. */
async function finish(database: Database, run: RunState, port: DirectoryPort, input: SyncInput, now: Date): Promise<LeaverReport[]> {
  return inTransaction(database, async (t) => {
    await t.q(sql`update directory_people set active = false, updated_at = now()
      where platform = ${port.platform} and tenant_key = ${port.tenantKey} and active
        and (last_seen_run is distinct from ${run.id})`);
    const gone = await t.q<{ user_id: string }>(sql`
      select distinct p.user_id from directory_people p join users u on u.workspace_id = p.workspace_id and u.id = p.user_id
      where p.workspace_id = ${input.workspaceId} and u.active
        and not exists (select 1 from directory_people q where q.workspace_id = p.workspace_id and q.user_id = p.user_id and q.active)
      order by p.user_id`);
    const today = localDate(input.timezone, now);
    const leavers: LeaverReport[] = [];
    for (const g of gone) leavers.push(await deactivateLeaver(t, input.workspaceId, g.user_id, today, input.actor));
    await finishRun(t, run, now);
    return leavers;
  });
}

export async function syncDirectory(database: Database, port: DirectoryPort, input: SyncInput): Promise<DirectorySyncResult> {
  const now = input.now ?? new Date();
  const run = await startOrResumeRun(database, {
    workspaceId: input.workspaceId,
    platform: port.platform,
    tenantKey: port.tenantKey,
    requestedBy: input.actor.id ?? input.actor.kind,
    now,
  });
  const result: DirectorySyncResult = {
    runId: run.id, status: 'ok', resumed: run.resumed, teamsCreated: [], usersCreated: [],
    departments: 0, people: 0, skipped: 0, leavers: [],
  };
  const ctx: ApplyContext = { workspaceId: input.workspaceId, port, runId: run.id, actor: input.actor };
  try {
    await runPhase(database, run, 'departments', (a) => port.listDepartments(a), (t, items) => applyDepartments(t, ctx, items), result, 'users');
    await runPhase(database, run, 'users', (a) => port.listUsers(a), (t, items) => applyPeople(t, ctx, items), result, 'finish');
    result.leavers = await finish(database, run, port, input, now);
  } catch (err) {
    await failRun(database, run, (err as Error).message ?? String(err));
    result.status = 'failed';
    result.error = (err as Error).message ?? String(err);
  }
  Object.assign(result, { departments: run.counts.departments, people: run.counts.people, skipped: run.counts.skipped });
  return result;
}

/**
 * The daily seam: sync one platform tenant's directory into the workspace it is bound to. Returns
 * undefined when the tenant is not bound to a workspace (nothing to sync into).
 */
export async function syncTenantDirectory(database: Database, port: DirectoryPort, now = new Date()): Promise<DirectorySyncResult | undefined> {
  const [ws] = await database.query<{ id: string; timezone: string }>(sql`
    select w.id, w.timezone from platform_tenants t join workspaces w on w.id = t.workspace_id
    where t.platform = ${port.platform} and t.tenant_key = ${port.tenantKey}`);
  if (!ws) return undefined;
  return syncDirectory(database, port, { workspaceId: ws.id, timezone: ws.timezone, actor: { kind: 'system', name: 'directory-sync' }, now });
}
