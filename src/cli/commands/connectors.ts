/**
 * `kpibot connectors list | test <id> | run <id> [--store S] [--from D --to D] [--workspace W]
 * [--json]`: the configured connectors and their state, a credentials check, or a pull of a window
 * now. While a server holds the embedded database it goes through that server
 * (`/api/v1/connectors`); otherwise it opens the database itself.
 */
import pino from 'pino';
import { loadConfig, type AppConfig } from '../../config.ts';
import type { LockInfo } from '../../db/data-dir-lock.ts';
import { AppError } from '../../errors.ts';
import { runConnector, testConnector, type ConnectorRunResult } from '../../ingest/connectors/runner.ts';
import { listConnectors, type ConnectorView } from '../../ingest/connectors/service.ts';
import { pickWorkspace } from '../../plugins/api-auth.ts';
import { runningServer, withDatabase } from '../context.ts';
import { UsageError } from '../usage.ts';

interface Args {
  sub?: string;
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
  json: boolean;
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: Record<string, string | undefined>;
}

type TestResult = Awaited<ReturnType<typeof testConnector>>;
const USAGE = 'usage: kpibot connectors list | test <id> | run <id> [--store S] [--from YYYY-MM-DD --to YYYY-MM-DD]';
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

async function remote<T>(config: AppConfig, holder: LockInfo, method: 'GET' | 'POST', path: string, body?: unknown, workspace?: string): Promise<T> {
  const qs = workspace ? `?${new URLSearchParams({ workspace })}` : '';
  const res = await fetch(`${holder.url}/api/v1/connectors${path}${qs}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(config.apiToken ? { authorization: `Bearer ${config.apiToken}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new AppError(res.status === 404 ? 'not_found' : res.status === 403 ? 'forbidden' : res.status === 401 ? 'unauthorized' : res.status === 409 ? 'conflict' : 'invalid_argument', json.message ?? `the server answered ${res.status}`);
  return json;
}

function printList(io: Io, list: ConnectorView[]): void {
  if (list.length === 0) io.out('no connectors configured (PUT /api/v1/connectors/:id; see README "Connect your data")');
  for (const c of list) {
    const last = c.lastSuccessAt ? `last success ${c.lastSuccessAt}` : 'never succeeded';
    const err = c.lastErrorCode ? `, last error ${c.lastErrorCode}` : '';
    io.out(`${c.id}  ${c.kind}  ${c.storeId ?? '(workspace)'}  ${c.cadence}  ${c.state}  ${last}${err}`);
  }
}

function printRun(io: Io, r: ConnectorRunResult): void {
  io.out(`${r.connectorId}: ${r.status} for ${r.window.from} .. ${r.window.to} (state ${r.state})`);
  for (const x of r.runs) io.out(`  ${x.dataset}: run ${x.runId} ${x.status}, ${x.rowsAccepted} accepted, ${x.rowsRejected} rejected`);
  if (r.waits.length) io.out(`  rate limited: waited ${r.waits.join(' s, ')} s`);
  if (r.errorCode) io.out(`  ${r.errorCode}: ${r.message ?? ''}`);
}

export async function connectorsCommand(a: Args, io: Io): Promise<number> {
  const sub = a.sub;
  const id = a.positionals[0];
  if (sub !== 'list' && sub !== 'test' && sub !== 'run') throw new UsageError(USAGE);
  if (sub !== 'list' && !id) throw new UsageError(USAGE);
  const store = str(a.options.store);
  const from = str(a.options.from);
  const to = str(a.options.to);
  const workspace = str(a.options.workspace);
  const config = loadConfig(io.env);
  const holder = runningServer(config);
  type Out = { kind: 'list'; list: ConnectorView[] } | { kind: 'test'; r: TestResult } | { kind: 'run'; r: ConnectorRunResult };
  let result: Out;
  if (holder?.url) {
    io.err(`a server is running on this data dir (pid ${holder.pid}): asking it at ${holder.url}`);
    const path = `/${encodeURIComponent(id ?? '')}/${sub}`;
    if (sub === 'list') result = { kind: 'list', list: (await remote<{ connectors: ConnectorView[] }>(config, holder, 'GET', '', undefined, workspace)).connectors };
    else if (sub === 'test') result = { kind: 'test', r: await remote<TestResult>(config, holder, 'POST', path, store ? { store } : {}, workspace) };
    else result = { kind: 'run', r: await remote<ConnectorRunResult>(config, holder, 'POST', path, { ...(store ? { store } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }, workspace) };
  } else {
    result = await withDatabase(
      async (ctx): Promise<Out> => {
        const workspaceId = await pickWorkspace(ctx.database, workspace);
        if (sub === 'list') return { kind: 'list', list: await listConnectors(ctx.database, ctx.config.secretsKey, workspaceId) };
        const deps = { database: ctx.database, publicUrl: ctx.config.publicUrl, secretsKey: ctx.config.secretsKey, logger: pino({ level: 'silent' }) };
        const req = { workspaceId, connectorId: id!, ...(store ? { store } : {}), requestedBy: 'cli' };
        if (sub === 'test') return { kind: 'test', r: await testConnector(deps, req) };
        return { kind: 'run', r: await runConnector(deps, { ...req, ...(from ? { from } : {}), ...(to ? { to } : {}) }) };
      },
      { env: io.env, out: io.out },
    );
  }
  const failed = (result.kind === 'test' && !result.r.ok) || (result.kind === 'run' && result.r.status === 'failed');
  if (a.json) io.out(JSON.stringify(result.kind === 'list' ? { connectors: result.list } : result.r));
  else if (result.kind === 'list') printList(io, result.list);
  else if (result.kind === 'test') io.out(result.r.ok ? `${result.r.connectorId}: ok${result.r.detail ? ` (${result.r.detail})` : ''}` : `${result.r.connectorId}: ${result.r.errorCode}: ${result.r.message ?? ''}`);
  else printRun(io, result.r);
  return failed ? 1 : 0;
}
