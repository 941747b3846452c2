/**
 * One connector run: decrypt the credentials, compute the window, pull, and write each batch
 * through `importRows` as a sync run of kind `connector` (upserts by natural key, so a re-pulled
 * window replaces rows instead of adding to them). A batch is read whole before it is imported,
 * so a pull that fails half-way through a dataset writes none of that dataset. Failures are
 * classified: `auth_revoked` parks the connector and alerts the admins once (授权失效);
 * `rate_limited` waits (honouring Retry-After) and retries the pull a few times; anything else is
 * recorded and retried on the next scheduled slot, with an admin alert after three in a row.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { DatasetId } from '../../db/schema/sync.ts';
import { AppError, isAppError } from '../../errors.ts';
import { importRows } from '../pipeline/run-import.ts';
import { finishRun, startRun } from '../pipeline/sync-run.ts';
import { asAsync } from '../push/json-rows.ts';
import type { SourceRow } from '../source/csv.ts';
import { raiseAdminAlert, resolveAdminAlert, type AlertDeps } from './admin-alert.ts';
import { decryptCredentials } from './credentials.ts';
import { checkFxFeedFreshness } from './fx-ecb/stale.ts';
import { dropRatesOwnedElsewhere } from './fx-manual-wins.ts';
import { connectorDefinition } from './registry.ts';
import { getConnectorRecord, type ConnectorRecord } from './service.ts';
import { ConnectorError, type ConnectorDefinition, type ConnectorErrorCode, type PullContext } from './types.ts';
import { pullWindow, type PullWindow } from './window.ts';

export const MAX_RATE_LIMIT_RETRIES = 3;
/** Without Retry-After: 30 s, 60 s, 120 s. A longer Retry-After than MAX_WAIT_S ends the run. */
export const BASE_BACKOFF_S = 30;
export const MAX_WAIT_S = 900;
export const FAILURES_BEFORE_ALERT = 3;

export interface RunnerDeps extends AlertDeps {
  secretsKey?: string;
  logger?: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Longest single rate-limit wait before giving up (default MAX_WAIT_S; HTTP callers pass less). */
  maxWaitSeconds?: number;
}

export interface RunRequest {
  workspaceId: string;
  connectorId: string;
  store?: string;
  from?: string;
  to?: string;
  requestedBy: string;
}

export interface DatasetRun {
  dataset: DatasetId;
  runId: number;
  status: string;
  rowsAccepted: number;
  rowsRejected: number;
  rowsWritten: number;
}

export interface ConnectorRunResult {
  connectorId: string;
  kind: string;
  status: 'ok' | 'partial' | 'failed';
  window: { from: string; to: string };
  runs: DatasetRun[];
  /** Waits for rate limits, in seconds, in order. */
  waits: number[];
  state: ConnectorRecord['state'];
  errorCode?: ConnectorErrorCode | 'internal';
  message?: string;
}

/** Replaces every secret value in a string (error messages, log lines) with `***`. */
export function redactor(credentials: Record<string, string>): (s: string) => string {
  const secrets = Object.values(credentials).filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  return (s) => secrets.reduce((acc, v) => acc.split(v).join('***'), s);
}

function classify(err: unknown): { code: ConnectorErrorCode | 'internal'; message: string; retryAfter?: number } {
  if (err instanceof ConnectorError) return { code: err.code, message: err.message, ...(err.retryAfterSeconds !== undefined ? { retryAfter: err.retryAfterSeconds } : {}) };
  if (isAppError(err)) return { code: 'invalid_config', message: err.message };
  // fetch() rejects with a TypeError on refused connections, DNS failures and aborts.
  if (err instanceof TypeError || (err instanceof Error && err.name === 'AbortError')) return { code: 'provider_unavailable', message: `the provider could not be reached (${err.message.slice(0, 120)})` };
  return { code: 'internal', message: 'the connector failed unexpectedly' };
}

export async function resolveRun(deps: RunnerDeps, r: RunRequest): Promise<{ rec: ConnectorRecord; def: ConnectorDefinition; ctx: PullContext; window: PullWindow; redact: (s: string) => string }> {
  const { database } = deps;
  const rec = await getConnectorRecord(database, r.workspaceId, r.connectorId);
  const def = connectorDefinition(rec.kind);
  if (!def) throw new AppError('conflict', `connector "${rec.id}" is of kind ${rec.kind}, which this build does not know`);
  if (r.store && rec.storeId && r.store !== rec.storeId) throw new AppError('invalid_argument', `connector "${rec.id}" pulls for store ${rec.storeId}, not ${r.store.slice(0, 60)}`, { field: 'store' });
  const storeId = rec.storeId ?? r.store ?? null;
  const [ws] = await database.query<{ currency: string }>(sql`select currency from workspaces where id = ${r.workspaceId}`);
  let timeZone = 'UTC';
  if (storeId) {
    const [s] = await database.query<{ timezone: string }>(sql`select timezone from stores where workspace_id = ${r.workspaceId} and id = ${storeId}`);
    if (!s) throw new AppError('invalid_argument', `no store "${storeId.slice(0, 60)}" in this workspace`, { field: 'store' });
    timeZone = s.timezone;
  }
  const now = deps.now ?? (() => new Date());
  const window = pullWindow(def, { timeZone, now: now(), lastSuccessAt: rec.lastSuccessAt, from: r.from, to: r.to });
  const credentials = decryptCredentials(deps.secretsKey, r.workspaceId, rec.id, rec.credentialsEncrypted);
  const redact = redactor(credentials);
  const logger = deps.logger?.child({ component: 'connector', connector: rec.id, kind: rec.kind });
  const ctx: PullContext = {
    workspaceId: r.workspaceId, connectorId: rec.id, storeId, config: rec.config, credentials, from: window.from, to: window.to, timeZone,
    ...(ws ? { workspaceCurrency: ws.currency.trim() } : {}),
    fetch: deps.fetch ?? fetch,
    sleep: deps.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms))),
    now,
    log: (msg, fields) => logger?.info(fields ? JSON.parse(redact(JSON.stringify(fields))) : {}, redact(msg)),
  };
  return { rec, def, ctx, window, redact };
}

async function pullOnce(deps: RunnerDeps, def: ConnectorDefinition, ctx: PullContext, requestedBy: string, runs: DatasetRun[]): Promise<void> {
  for await (const batch of def.pull(ctx)) {
    let rows: SourceRow[] = [];
    for await (const row of batch.rows) rows.push(row);
    if (batch.dataset === 'fx') {
      const kept = await dropRatesOwnedElsewhere(deps.database, ctx.workspaceId, rows);
      if (kept.dropped) ctx.log(`kept ${kept.dropped} rate(s) imported from another source`);
      rows = kept.rows;
    }
    if (rows.length < 2) continue;
    const r = await importRows(deps.database, asAsync(rows), {
      workspaceId: ctx.workspaceId, dataset: batch.dataset, kind: 'connector', connectorId: ctx.connectorId, source: def.source,
      ...(ctx.storeId ? { store: ctx.storeId } : {}), requestedBy, onError: 'skip',
      // fx rows name their rate source (`ecb`) in the template's `source` column, which only
      // restores read; everywhere else lineage is the definition's `source`.
      ...(batch.dataset === 'fx' ? { keepSource: true } : {}),
    });
    runs.push({ dataset: batch.dataset, runId: r.runId, status: r.status, rowsAccepted: r.rowsAccepted, rowsRejected: r.rowsRejected, rowsWritten: r.rowsWritten });
    if (r.status === 'failed') throw new ConnectorError('malformed_response', `the ${batch.dataset} rows did not import (${r.errorCode}: ${(r.message ?? r.issues[0]?.reason ?? '').slice(0, 200)})`);
  }
}

/**
 * Every run is a sync run: each dataset this attempt did not import gets one without rows —
 * failed with the error's code (freshness shows why), or ok when the provider had nothing new.
 */
async function recordUnreached(deps: RunnerDeps, def: ConnectorDefinition, ctx: PullContext, requestedBy: string, runs: DatasetRun[], failure?: { code: string; message: string }): Promise<void> {
  const reached = new Set(runs.map((r) => r.dataset));
  const status = failure ? 'failed' : 'ok';
  for (const dataset of def.datasets.filter((d) => !reached.has(d))) {
    const runId = await startRun(deps.database, { workspaceId: ctx.workspaceId, kind: 'connector', dataset, source: def.source, dryRun: false, requestedBy, connectorId: ctx.connectorId, storeId: ctx.storeId });
    await finishRun(deps.database, runId, { status, rowsAccepted: 0, rowsRejected: 0, issues: [], truncated: false, created: {}, secondaryRows: 0, coverage: {}, from: null, through: null, ...(failure ? { errorCode: failure.code, errorMessage: failure.message } : {}) });
    runs.push({ dataset, runId, status, rowsAccepted: 0, rowsRejected: 0, rowsWritten: 0 });
  }
}

export async function runConnector(deps: RunnerDeps, r: RunRequest): Promise<ConnectorRunResult> {
  const { database } = deps;
  const { rec, def, ctx, window, redact } = await resolveRun(deps, r);
  const runs: DatasetRun[] = [];
  const waits: number[] = [];
  let failure: ReturnType<typeof classify> | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      await pullOnce(deps, def, ctx, r.requestedBy, runs);
      failure = undefined;
      break;
    } catch (err) {
      failure = classify(err);
      failure.message = redact(failure.message);
      if (failure.code === 'internal') deps.logger?.error({ err: redact(String((err as Error)?.stack ?? err)), connector: rec.id }, 'connector failed');
      if (failure.code !== 'rate_limited' || attempt >= MAX_RATE_LIMIT_RETRIES) break;
      const wait = failure.retryAfter ?? BASE_BACKOFF_S * 2 ** attempt;
      if (wait > (deps.maxWaitSeconds ?? MAX_WAIT_S)) break;
      waits.push(wait);
      ctx.log(`rate limited; waiting ${wait}s before attempt ${attempt + 2}`);
      await ctx.sleep(wait * 1000);
    }
  }

  const at = ctx.now();
  const scope = `connector:${rec.id}`;
  let state: ConnectorRecord['state'];
  if (!failure) {
    await recordUnreached(deps, def, ctx, r.requestedBy, runs);
    state = rec.state === 'paused' ? 'paused' : 'active';
    // An explicit window in the past must not move the incremental start past unpulled days.
    const moves = !window.explicit || window.to >= pullWindow(def, { timeZone: ctx.timeZone, now: at, lastSuccessAt: null }).to;
    await database.query(sql`update connectors set state = ${state}, consecutive_failures = 0, last_error_code = null, last_run_at = ${at.toISOString()}::timestamptz,
      last_success_at = case when ${moves} then ${at.toISOString()}::timestamptz else last_success_at end, updated_at = now()
      where workspace_id = ${r.workspaceId} and id = ${rec.id}`);
    await resolveAdminAlert(database, r.workspaceId, `${scope}:auth_revoked`);
    await resolveAdminAlert(database, r.workspaceId, `${scope}:failing`);
  } else {
    await recordUnreached(deps, def, ctx, r.requestedBy, runs, failure);
    state = failure.code === 'auth_revoked' ? 'auth_revoked' : rec.state === 'paused' ? 'paused' : 'failing';
    const [row] = await database.query<{ consecutive_failures: number }>(sql`update connectors set state = ${state}, consecutive_failures = consecutive_failures + 1,
      last_error_code = ${failure.code}, last_run_at = ${at.toISOString()}::timestamptz, updated_at = now()
      where workspace_id = ${r.workspaceId} and id = ${rec.id} returning consecutive_failures`);
    const name = `${def.label.en} (${rec.id})`;
    if (failure.code === 'auth_revoked' && rec.state !== 'auth_revoked') {
      await raiseAdminAlert(deps, {
        workspaceId: r.workspaceId, scopeKey: `${scope}:auth_revoked`, severity: 'critical',
        title: { en: `${name}: 授权失效 — authorisation revoked, re-authorise`, 'zh-CN': `${def.label.zh}（${rec.id}）授权失效，请重新授权` },
        body: {
          en: `The provider refused the stored credentials (${failure.message}). Data from this connector stops until an admin re-authorises it and saves the new credentials.`,
          'zh-CN': `平台拒绝了已保存的授权（${failure.message}）。重新授权并保存新凭据之前，此连接器不再拉取数据。`,
        },
        details: { kind: 'connector_auth_revoked', connectorId: rec.id, connectorKind: rec.kind, storeId: ctx.storeId },
      });
    } else if (failure.code !== 'auth_revoked' && Number(row?.consecutive_failures ?? 0) >= FAILURES_BEFORE_ALERT) {
      await raiseAdminAlert(deps, {
        workspaceId: r.workspaceId, scopeKey: `${scope}:failing`, severity: 'warning',
        title: { en: `${name}: ${FAILURES_BEFORE_ALERT} runs failed in a row (${failure.code})`, 'zh-CN': `${def.label.zh}（${rec.id}）连续 ${FAILURES_BEFORE_ALERT} 次拉取失败（${failure.code}）` },
        body: { en: `Last error: ${failure.message}. The connector retries on its schedule.`, 'zh-CN': `最近错误：${failure.message}。连接器会按计划继续重试。` },
        details: { kind: 'connector_failing', connectorId: rec.id, connectorKind: rec.kind, code: failure.code },
      });
    }
  }
  if (def.kind === 'fx_feed') await checkFxFeedFreshness(deps, r.workspaceId, at);
  const status = failure ? 'failed' : runs.some((x) => x.status === 'partial') ? 'partial' : 'ok';
  return {
    connectorId: rec.id, kind: rec.kind, status, window: { from: window.from, to: window.to }, runs, waits, state,
    ...(failure ? { errorCode: failure.code, message: failure.message } : {}),
  };
}

/** `connectors test`: the definition's cheap authenticated call, classified the same way. */
export async function testConnector(deps: RunnerDeps, r: Omit<RunRequest, 'from' | 'to'>): Promise<{ connectorId: string; ok: boolean; detail?: string; errorCode?: string; message?: string }> {
  const { def, ctx, redact } = await resolveRun(deps, r);
  try {
    const res = await def.test(ctx);
    return { connectorId: r.connectorId, ok: true, ...(res.detail ? { detail: redact(res.detail) } : {}) };
  } catch (err) {
    const f = classify(err);
    return { connectorId: r.connectorId, ok: false, errorCode: f.code, message: redact(f.message) };
  }
}
