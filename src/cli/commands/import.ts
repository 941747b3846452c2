/**
 * `kpibot import <file> --dataset <id> [--dry-run] [--store S] [--on-error skip|abort] …` (with a
 * progress line on a terminal and a summary) and `kpibot import --all <dir>` (a workspace export).
 * On PGlite with a server running, a file import goes through the server's HTTP API; `--all`
 * refuses, since it needs the database to itself.
 */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../../config.ts';
import { inUseMessage } from '../../db/data-dir-lock.ts';
import { AppError } from '../../errors.ts';
import { datasetById } from '../../ingest/datasets/index.ts';
import { importWorkspace } from '../../ingest/export/workspace-bundle.ts';
import { parsePairs } from '../../ingest/headers/mapping-store.ts';
import { importFile } from '../../ingest/import-file.ts';
import { reportCsv } from '../../ingest/pipeline/report.ts';
import type { ImportResult } from '../../ingest/pipeline/run-import.ts';
import { encodingName } from '../../ingest/source/encoding.ts';
import { pickWorkspace } from '../../plugins/api-auth.ts';
import { runningServer, withDatabase } from '../context.ts';
import { UsageError } from '../usage.ts';
import { remoteImport } from './import-remote.ts';

export interface DataArgs {
  sub: string | undefined;
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
  json: boolean;
}

interface Io {
  out(line: string): void;
  err(line: string): void;
  env?: Record<string, string | undefined>;
}

/** A run that did not import: printed like a failure, exit code 1. */
export class DataCommandFailed extends Error {}

export const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function queryOf(o: DataArgs['options']): Record<string, string> {
  const q: Record<string, string> = {};
  const pairs: [string, string][] = [['store', 'store'], ['on-error', 'onError'], ['date-order', 'dateOrder'], ['encoding', 'encoding'], ['delimiter', 'delimiter'], ['profile', 'profile'], ['map', 'map'], ['set', 'set'], ['save-mapping', 'saveMapping'], ['workspace', 'workspace']];
  for (const [opt, key] of pairs) if (typeof o[opt] === 'string') q[key] = o[opt] as string;
  if (o['dry-run'] === true) q.dryRun = '1';
  if (o.force === true) q.force = '1';
  return q;
}

export function summary(r: ImportResult, file: string): string[] {
  const lines = [
    `${r.dryRun ? 'dry run of' : 'imported'} ${r.dataset} from ${file}: ${r.rowsAccepted} rows ok, ${r.rowsRejected} rejected, ${r.rowsSkipped} skipped (run ${r.runId}, ${r.status})`,
  ];
  if (r.message) lines.push(r.message);
  if (r.profile) lines.push(`layout: ${r.profile.label.en} [${r.profile.id}, ${r.profile.origin}], confidence ${Math.round(r.profile.confidence * 100)} %, header on row ${r.profile.headerRow}`);
  if (r.dateRange) lines.push(`dates ${r.dateRange.from} … ${r.dateRange.to}${Object.keys(r.coverage).length ? `; ${Object.entries(r.coverage).map(([s, c]) => `${s} ${c.rows}`).join(', ')}` : ''}`);
  if (Object.keys(r.created).length) lines.push(`${r.dryRun ? 'would create' : 'created'}: ${Object.entries(r.created).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  if (r.secondaryRows) lines.push(`${r.secondaryRows} rows stored from a secondary source (not counted until an admin switches the primary source)`);
  if (r.restatedDays) lines.push(`restated ${r.restatedDays} store-day(s) that had been reported`);
  for (const i of r.issues.slice(0, 20)) lines.push(`  row ${i.row}${i.column ? ` ${i.column}` : ''}${i.value !== undefined ? ` "${i.value}"` : ''}: ${i.reason}`);
  if (r.issues.length > 20 || r.issuesTruncated) lines.push(`  … ${r.rowsRejected - 20 > 0 ? r.rowsRejected - 20 : 'more'} more rejected rows (--report FILE writes them all)`);
  return lines;
}

function progress(p: { rowsRead: number; rowsAccepted: number; rowsRejected: number }): void {
  if (process.stderr.isTTY) process.stderr.write(`\r  ${p.rowsRead.toLocaleString('en')} rows read, ${p.rowsAccepted.toLocaleString('en')} ok, ${p.rowsRejected.toLocaleString('en')} rejected   `);
}

export async function importCommand(a: DataArgs, io: Io): Promise<number> {
  const config = loadConfig(io.env);
  const holder = runningServer(config);
  const all = str(a.options.all);
  if (all) {
    if (holder) throw new AppError('database_in_use', `${inUseMessage(holder)}; stop it to import a whole workspace`);
    return withDatabase(async (ctx) => {
      const r = await importWorkspace(ctx.database, all, { workspaceId: str(a.options.workspace), actor: ctx.actor, onFile: (name, res) => res && io.err(`  ${name}: ${res.rowsWritten} rows`) });
      if (a.json) io.out(JSON.stringify(r));
      else io.out(`imported ${all} into workspace ${r.workspaceId}${r.created ? ' (created)' : ''}: ${r.results.map((x) => `${x.name} ${x.rows}`).join(', ')}`);
      return 0;
    }, { env: io.env, out: io.out });
  }
  const file = a.sub;
  const dataset = str(a.options.dataset);
  if (!file || !dataset) throw new UsageError('usage: kpibot import <file> --dataset <id> [--dry-run] [--store S] [--on-error skip|abort]');
  const def = datasetById(dataset);
  const query = queryOf(a.options);
  let result: ImportResult;
  if (holder?.url) {
    io.err(`a server is running on this data dir (pid ${holder.pid}): importing through ${holder.url}`);
    result = await remoteImport(config, holder, file, def.id, query);
  } else {
    result = await withDatabase(async (ctx) => {
      const workspaceId = await pickWorkspace(ctx.database, query.workspace);
      return importFile(ctx.database, file, {
        workspaceId, dataset: def.id, dryRun: query.dryRun === '1', onError: query.onError as 'skip' | 'abort' | undefined, store: query.store,
        dateOrder: query.dateOrder as 'mdy' | 'dmy' | undefined, encoding: query.encoding ? encodingName(query.encoding) : undefined,
        delimiter: query.delimiter === 'tab' ? '\t' : (query.delimiter as ',' | undefined), profile: query.profile,
        map: query.map ? parsePairs(query.map, def, 'map') : undefined, set: query.set ? parsePairs(query.set, def, 'set') : undefined,
        saveMapping: query.saveMapping, force: query.force === '1', requestedBy: ctx.actor.name ?? 'cli', onProgress: progress,
      });
    }, { env: io.env, out: io.out });
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
  const report = str(a.options.report);
  if (report) await writeFile(report, await reportCsv(result.issues));
  if (a.json) io.out(JSON.stringify(result));
  else for (const line of summary(result, file)) io.out(line);
  if (result.status === 'failed') throw new DataCommandFailed(result.message ?? `${result.dataset}: nothing was imported`);
  return 0;
}
