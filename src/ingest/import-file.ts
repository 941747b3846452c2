/**
 * Importing a file from disk (the CLI, and HTTP uploads once spooled): hashes it for file-hash
 * dedup, opens it as CSV or XLSX and runs the one import pipeline.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from '../db/client.ts';
import { copyImport, FAST_DATASETS } from './fast-path/pg-copy.ts';
import { fastColumnsOk } from './fast-path/fast-sql.ts';
import { datasetById } from './datasets/index.ts';
import { afterImport } from './pipeline/import-hooks.ts';
import { importRows, type ImportOptions, type ImportResult } from './pipeline/run-import.ts';
import { lastImportedHash } from './pipeline/sync-run.ts';
import type { Delimiter } from './source/csv.ts';
import type { Encoding } from './source/encoding.ts';
import { openTabularFile } from './source/open.ts';
import type { ZipLimits } from './source/zip.ts';

export interface FileImportOptions extends ImportOptions {
  encoding?: Encoding;
  delimiter?: Delimiter;
  zipLimits?: ZipLimits;
  /** false → always the ordinary path (benchmarks compare the two). */
  fastPath?: boolean;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The COPY fast path applies to plain template CSVs in UTF-8 on Postgres, imported as they are
 * (no mapping, dry run, default store, restore or scoped principal); it returns null otherwise.
 */
async function tryFastPath(database: Database, path: string, o: FileImportOptions, fileHash: string): Promise<(ImportResult & { format: string; encoding?: string; delimiter?: string }) | null> {
  if (o.fastPath === false || database.kind !== 'postgres' || !FAST_DATASETS.has(o.dataset) || o.dryRun || o.keepSource || o.map || o.set || o.profile || o.store || o.dateOrder === 'dmy') return null;
  if (o.principal && !o.principal.scope.all) return null;
  const src = await openTabularFile(path, { encoding: o.encoding, delimiter: o.delimiter });
  if (src.format !== 'csv') return null;
  const it = src.rows[Symbol.asyncIterator]();
  const first = await it.next();
  await it.return?.(undefined);
  if (first.done || src.detected.encoding !== 'utf8') return null;
  const columns = first.value.cells.map((c) => (typeof c === 'string' ? c.trim() : ''));
  const def = datasetById(o.dataset);
  if (!fastColumnsOk(def, columns)) return null;
  if (!o.force && (await lastImportedHash(database, o.workspaceId, def.id)) === fileHash) return null;
  const result = await copyImport(database, {
    workspaceId: o.workspaceId, def, path, columns, delimiter: src.detected.delimiter ?? ',', source: o.source ?? 'erp_file',
    fileName: o.fileName ?? basename(path), fileHash, requestedBy: o.requestedBy,
  });
  if (!result) return null;
  const hookFailures = await afterImport(database, o.hooks, result, { workspaceId: o.workspaceId, kind: 'import', source: o.source ?? 'erp_file' });
  return { ...result, ...(hookFailures.length ? { hookFailures } : {}), format: 'csv', encoding: 'utf8', delimiter: src.detected.delimiter };
}

export async function importFile(database: Database, path: string, o: FileImportOptions): Promise<ImportResult & { format: string; encoding?: string; delimiter?: string }> {
  const fileHash = o.fileHash ?? (await sha256File(path));
  const fast = await tryFastPath(database, path, o, fileHash);
  if (fast) return fast;
  const src = await openTabularFile(path, { encoding: o.encoding, delimiter: o.delimiter, zipLimits: o.zipLimits });
  const result = await importRows(database, src.rows, { ...o, fileName: o.fileName ?? basename(path), fileHash });
  return { ...result, format: src.format, encoding: src.detected.encoding, delimiter: src.detected.delimiter };
}
