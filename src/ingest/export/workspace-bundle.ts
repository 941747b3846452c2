/**
 * A whole workspace as a directory (ARCHITECTURE.md: `export --all <dir>` / `import --all <dir>`):
 * one CSV per dataset in its import template — fact rows of every source, with a `source` column —
 * plus teams, categories and the primary-source choices needed to rebuild it, people (users,
 * roles, chat identities, chats, ownership) and goals, alert rules, alerts and follow-ups (all
 * restored), the audit log and run history for the customer's files, and `manifest.json`.
 * Importing the directory into an empty workspace, on PGlite or Postgres, gives the same KPIs.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../audit/audit-log.ts';
import type { Database } from '../../db/client.ts';
import type { DatasetId } from '../../db/schema/sync.ts';
import { AppError } from '../../errors.ts';
import { createWorkspace, getWorkspace } from '../../tenancy/workspaces.ts';
import { importFile } from '../import-file.ts';
import type { ImportResult } from '../pipeline/run-import.ts';
import { exportStream } from './export-stream.ts';
import { RESTORED_RECORDS, restoreRecords } from './restore-records.ts';
import { restoreTable } from './restore-table.ts';

/** Import order: what later files refer to comes first. */
export const BUNDLE_DATASETS: DatasetId[] = ['stores', 'warehouses', 'skus', 'campaigns', 'calendar', 'fx', 'orders', 'ads', 'inventory', 'service', 'activity', 'content'];
/** Restored as stored, before (teams, categories) or after (source_priorities) the datasets. */
const RESTORED_TABLES = ['teams', 'categories', 'source_priorities'];
/** Exported for the customer's records only: history another database keeps its own way. */
const RECORD_TABLES = ['adjustments', 'audit', 'sync_runs'];

export interface Manifest {
  format: 'kpibot-workspace';
  version: 1;
  exportedAt: string;
  workspace: { id: string; name: string; timezone: string; currency: string; locale: string };
  files: { name: string; file: string; kind: 'dataset' | 'table' | 'record'; rows: number }[];
}

async function countedWrite(path: string, chunks: AsyncIterable<string | Uint8Array>): Promise<number> {
  let lines = 0;
  async function* counting() {
    for await (const c of chunks) {
      if (typeof c === 'string') for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) lines++;
      yield c;
    }
  }
  await pipeline(Readable.from(counting()), createWriteStream(path));
  return Math.max(0, lines - 1);
}

export async function exportWorkspace(database: Database, workspaceId: string, dir: string): Promise<Manifest> {
  const ws = await getWorkspace(database.db, workspaceId);
  if (!ws) throw new AppError('not_found', `no workspace "${workspaceId.slice(0, 64)}"`, { field: 'workspace' });
  await mkdir(dir, { recursive: true });
  const files: Manifest['files'] = [];
  const add = async (name: string, kind: Manifest['files'][number]['kind']) => {
    const out = await exportStream(database, name, { workspaceId, format: 'csv', includeSource: true });
    const file = `${name}.csv`;
    files.push({ name, file, kind, rows: await countedWrite(join(dir, file), out.chunks) });
  };
  for (const t of RESTORED_TABLES.slice(0, 2)) await add(t, 'table');
  for (const d of BUNDLE_DATASETS) await add(d, 'dataset');
  await add('source_priorities', 'table');
  for (const r of RESTORED_RECORDS) await add(r.name, 'record');
  for (const t of RECORD_TABLES) await add(t, 'record');
  const manifest: Manifest = {
    format: 'kpibot-workspace', version: 1, exportedAt: new Date().toISOString(),
    workspace: { id: ws.id, name: ws.name, timezone: ws.timezone, currency: ws.currency.trim(), locale: ws.locale },
    files,
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface BundleImport {
  workspaceId: string;
  created: boolean;
  results: { name: string; rows: number; status: string; message?: string }[];
}

export async function importWorkspace(
  database: Database,
  dir: string,
  o: { workspaceId?: string; actor: Actor; onFile?(name: string, r: ImportResult | null): void },
): Promise<BundleImport> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    throw new AppError('invalid_argument', `${join(dir, 'manifest.json')} is missing or not JSON: export with "kpibot export --all <dir>" first`, { field: 'dir' });
  }
  if (manifest.format !== 'kpibot-workspace' || manifest.version !== 1) throw new AppError('invalid_argument', 'not a kpibot workspace export (manifest format)', { field: 'dir' });
  const workspaceId = o.workspaceId ?? manifest.workspace.id;
  let created = false;
  if (!(await getWorkspace(database.db, workspaceId))) {
    const w = manifest.workspace;
    await createWorkspace(database.db, { id: workspaceId, name: w.name, timezone: w.timezone, currency: w.currency, locale: w.locale === 'en' ? 'en' : 'zh-CN' }, o.actor);
    created = true;
  } else {
    const [{ n }] = (await database.query<{ n: number }>(sql`select count(*)::int as n from stores where workspace_id = ${workspaceId}`)) as [{ n: number }];
    if (n > 0) throw new AppError('conflict', `workspace ${workspaceId} already has stores: import a workspace export into a new or empty workspace`, { field: 'workspace' });
  }
  const byName = new Map(manifest.files.map((f) => [f.name, f]));
  const results: BundleImport['results'] = [];
  for (const t of ['teams', 'categories']) {
    const f = byName.get(t);
    if (f) results.push({ name: t, rows: await restoreTable(database, workspaceId, t, join(dir, f.file)), status: 'ok' });
  }
  for (const d of BUNDLE_DATASETS) {
    const f = byName.get(d);
    if (!f || f.rows === 0) continue;
    const r = await importFile(database, join(dir, f.file), {
      workspaceId, dataset: d, keepSource: true, onError: 'abort', force: true, dateOrder: 'mdy', requestedBy: o.actor.name ?? 'cli', hooks: false,
    });
    o.onFile?.(d, r);
    results.push({ name: d, rows: r.rowsWritten, status: r.status, message: r.message });
    if (r.status === 'failed') throw new AppError('invalid_argument', `${f.file}: ${r.message ?? `${r.rowsRejected} rows rejected`} (${r.issues.slice(0, 3).map((i) => `row ${i.row} ${i.column ?? ''}: ${i.reason}`).join('; ')})`);
  }
  const sp = byName.get('source_priorities');
  if (sp) results.push({ name: 'source_priorities', rows: await restoreTable(database, workspaceId, 'source_priorities', join(dir, sp.file)), status: 'ok' });
  // People and the records features keep: new generated ids, references rewritten.
  const ids = new Map<string, Map<string, number>>();
  for (const spec of RESTORED_RECORDS) {
    const f = byName.get(spec.name);
    if (!f || f.rows === 0) continue;
    const r = await restoreRecords(database, workspaceId, spec, join(dir, f.file), ids);
    results.push({ name: spec.name, rows: r.rows, status: r.skipped ? 'partial' : 'ok', ...(r.skipped ? { message: `${r.skipped} row(s) already present elsewhere were kept as they are` } : {}) });
  }
  return { workspaceId, created, results };
}
