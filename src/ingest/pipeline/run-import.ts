/**
 * `importRows`: the one import path for files, pushes and workspace restores. Detects the header
 * and profile, validates every row, and writes the good ones in ONE transaction for the whole
 * import (so a failure half-way leaves nothing behind), in chunked upserts. `onError=skip` (the
 * default) writes the good rows and reports the bad ones; `abort` writes nothing when any row is
 * bad. Every run — dry, failed or skipped too — is a sync_runs row.
 */
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import type { DatasetId, StoreCoverage } from '../../db/schema/sync.ts';
import { AppError, isAppError } from '../../errors.ts';
import { datasetById } from '../datasets/index.ts';
import { BUILTIN_PROFILES } from '../headers/builtin-profiles.ts';
import { detectHeader, HEADER_SCAN_ROWS, templateProfile, type Detection } from '../headers/detect.ts';
import { inlineProfile, saveMapping, workspaceProfiles } from '../headers/mapping-store.ts';
import { normalizeHeader } from '../headers/profile.ts';
import type { SourceRow } from '../source/csv.ts';
import type { DateOrder } from '../values/dates.ts';
import { OrderAggregator } from './aggregate-orders.ts';
import { BatchWriter } from './batch-writer.ts';
import { loadLookups } from './lookups.ts';
import { afterImport, type HookFailure, type ImportHookRegistry } from './import-hooks.ts';
import { IssueCollector, type RowIssue } from './report.ts';
import { finishRun, lastImportedHash, startRun } from './sync-run.ts';
import { rowValidator } from './validate-row.ts';

export interface ImportOptions {
  workspaceId: string;
  dataset: DatasetId;
  kind?: 'import' | 'push' | 'connector';
  /** Connector runs (src/ingest/connectors/runner.ts): recorded on the sync run. */
  connectorId?: string;
  /** Lineage of the rows written; default `erp_file` (imports) or `push`. */
  source?: FactSource;
  onError?: 'skip' | 'abort';
  dryRun?: boolean;
  /** Store for files that have no store column (single-store marketplace exports). */
  store?: string;
  dateOrder?: DateOrder;
  /** Force a profile id (`template`, `lingxing_orders`, `workspace:<name>`). */
  profile?: string;
  map?: Record<string, string>;
  set?: Record<string, string>;
  saveMapping?: string;
  /** Restoring an export: take each row's `source` column. */
  keepSource?: boolean;
  fileName?: string;
  fileHash?: string;
  /** Import even when the same file was the dataset's last successful import. */
  force?: boolean;
  requestedBy: string;
  principal?: Principal;
  /** After-import hooks (default: the process-wide registry; false: none, e.g. workspace restores). */
  hooks?: ImportHookRegistry | false;
  onProgress?(p: { rowsRead: number; rowsAccepted: number; rowsRejected: number }): void;
}

export interface ImportResult {
  runId: number;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  dataset: DatasetId;
  dryRun: boolean;
  profile?: { id: string; label: { en: string; zh: string }; origin: string; confidence: number; headerRow: number };
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsSkipped: number;
  rowsWritten: number;
  issues: RowIssue[];
  issuesTruncated: boolean;
  created: Record<string, number>;
  secondaryRows: number;
  restatedDays: number;
  dateRange: { from: string; to: string } | null;
  coverage: Record<string, StoreCoverage>;
  durationMs: number;
  errorCode?: string;
  message?: string;
  preview?: Record<string, unknown>[];
  /** After-import hooks that failed (the import itself stands). */
  hookFailures?: HookFailure[];
}

class Rollback extends Error {}

export async function importRows(database: Database, rows: AsyncIterable<SourceRow>, o: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const def = datasetById(o.dataset);
  const kind = o.kind ?? 'import';
  const source: FactSource = o.source ?? (kind === 'push' ? 'push' : 'erp_file');
  const dryRun = o.dryRun === true;
  const lookups = await loadLookups(database, o.workspaceId);
  const defaultStore = o.store ? lookups.store(o.store) : undefined;
  if (o.store && !defaultStore) throw new AppError('invalid_argument', `no store "${o.store.slice(0, 60)}" in this workspace`, { field: 'store' });
  const runId = await startRun(database, { workspaceId: o.workspaceId, kind, dataset: def.id, source, dryRun, fileName: o.fileName, fileHash: o.fileHash, requestedBy: o.requestedBy, connectorId: o.connectorId, storeId: kind === 'connector' ? (defaultStore?.id ?? null) : null });
  const issues = new IssueCollector();
  const counts = { read: 0, accepted: 0, skipped: 0 };
  const base = (): ImportResult => ({
    runId, status: 'failed', dataset: def.id, dryRun, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rowsSkipped: 0, rowsWritten: 0,
    issues: issues.issues, issuesTruncated: issues.truncated, created: {}, secondaryRows: 0, restatedDays: 0, dateRange: null, coverage: {}, durationMs: 0,
  });
  const fail = async (code: string, message: string): Promise<ImportResult> => {
    await finishRun(database, runId, { status: 'failed', rowsAccepted: 0, rowsRejected: issues.rejectedRows, issues: issues.issues, truncated: issues.truncated, created: {}, secondaryRows: 0, coverage: {}, from: null, through: null, errorCode: code, errorMessage: message });
    return { ...base(), rowsRead: counts.read, rowsAccepted: counts.accepted, rowsRejected: issues.rejectedRows, errorCode: code, message, durationMs: Date.now() - started };
  };

  if (o.fileHash && !o.force && !dryRun && (await lastImportedHash(database, o.workspaceId, def.id)) === o.fileHash) {
    await finishRun(database, runId, { status: 'skipped', rowsAccepted: 0, rowsRejected: 0, issues: [], truncated: false, created: {}, secondaryRows: 0, coverage: {}, from: null, through: null, errorCode: 'duplicate_file', errorMessage: 'same file as the last import of this dataset' });
    return { ...base(), status: 'skipped', errorCode: 'duplicate_file', message: 'this file was already imported (pass force to import it again)', durationMs: Date.now() - started };
  }

  const it = rows[Symbol.asyncIterator]();
  const head: SourceRow[] = [];
  let detection: Detection;
  try {
    while (head.length < HEADER_SCAN_ROWS) {
      const next = await it.next();
      if (next.done) break;
      head.push(next.value);
    }
    if (head.length === 0) throw new AppError('invalid_argument', 'the file has no rows', { field: 'file' });
    const inline = o.map || o.set ? inlineProfile(def, o.map ?? {}, o.set ?? {}) : null;
    let profiles = [templateProfile(def, { keepSource: o.keepSource }), ...BUILTIN_PROFILES.filter((p) => p.dataset === def.id), ...(await workspaceProfiles(database, o.workspaceId, def.id))];
    if (inline && o.map) profiles = [inline];
    else if (inline) profiles = profiles.map((p) => ({ ...p, constants: { ...p.constants, ...inline.constants } }));
    if (o.profile) {
      profiles = profiles.filter((p) => p.id === o.profile);
      if (profiles.length === 0) throw new AppError('invalid_argument', `no header profile "${o.profile.slice(0, 60)}" for ${def.id}`, { field: 'profile' });
    }
    detection = detectHeader(def, head, profiles, { hasDefaultStore: Boolean(defaultStore) });
    if (o.saveMapping && inline) await saveMapping(database, { workspaceId: o.workspaceId, dataset: def.id, name: o.saveMapping, columns: o.map ?? {}, constants: o.set ?? {}, createdBy: o.requestedBy });
  } catch (err) {
    if (!isAppError(err)) throw err;
    return fail(/header/.test(err.message) ? 'bad_header' : 'bad_file', err.message);
  }

  const validator = rowValidator({
    def, mapping: detection.mapping, constants: detection.profile.constants ?? {}, lookups, defaultStore,
    dateOrder: o.dateOrder ?? detection.profile.dateOrder ?? 'mdy', source, keepSource: o.keepSource === true, principal: o.principal,
  });
  const headerKey = head[detection.headerIndex]!.cells.map((c) => (typeof c === 'string' ? normalizeHeader(c) : '')).join('|');
  const writer = new BatchWriter(def, { workspaceId: o.workspaceId, runId, source, dryRun, present: validator.present });
  const aggregate = def.id === 'orders' && detection.mapping.has('order_id') ? new OrderAggregator() : null;
  const abort = o.onError === 'abort';
  const preview: Record<string, unknown>[] = [];

  async function* dataRows(): AsyncGenerator<SourceRow> {
    yield* head.slice(detection.headerIndex + 1);
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }

  const work = async (db: Parameters<BatchWriter['flush']>[0]) => {
    for await (const r of dataRows()) {
      if (r.cells.every((c) => c === null)) continue;
      // Exports that repeat their header (page breaks) are not data.
      if (r.cells.map((c) => (typeof c === 'string' ? normalizeHeader(c) : '')).join('|') === headerKey) continue;
      counts.read++;
      const v = validator.validate(r.row, r.cells);
      if (!v.ok) issues.reject(v.issues);
      else if ('skip' in v) counts.skipped++;
      else {
        counts.accepted++;
        if (dryRun && preview.length < 20) preview.push(v.value.db);
        if (abort && issues.rejectedRows > 0) continue;
        if (aggregate) aggregate.add(v.value);
        else await writer.add(db, v.value);
      }
      if (counts.read % 10_000 === 0) o.onProgress?.({ rowsRead: counts.read, rowsAccepted: counts.accepted, rowsRejected: issues.rejectedRows });
    }
    if (abort && issues.rejectedRows > 0) throw new Rollback();
    if (aggregate) for (const row of aggregate.rows()) await writer.add(db, row);
    await writer.flush(db);
    if (aggregate) await writer.writeDistinctOrders(db, aggregate.distinctOrders());
  };

  let restatedDays = 0;
  try {
    if (dryRun) await work(database.db);
    else {
      await database.db.transaction(async (tx) => {
        await work(tx);
        restatedDays = await writer.restatements.finish(tx, runId);
      });
    }
  } catch (err) {
    if (err instanceof Rollback) return fail('rows_rejected', `${issues.rejectedRows} row(s) were rejected and onError=abort: nothing was imported`);
    if (isAppError(err)) return fail('bad_file', err.message);
    // A constraint or data error from the database is about the file's rows, not a server fault.
    const pgCode = (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
    if (typeof pgCode === 'string' && /^2[23]/.test(pgCode)) {
      const detail = ((err as { cause?: Error }).cause ?? (err as Error)).message;
      return fail('invalid_data', `the database refused the rows (${detail.slice(0, 200)}); nothing was imported`);
    }
    await fail('internal', 'the import failed; nothing was written');
    throw err;
  }
  o.onProgress?.({ rowsRead: counts.read, rowsAccepted: counts.accepted, rowsRejected: issues.rejectedRows });
  const status = counts.accepted === 0 && issues.rejectedRows > 0 ? 'failed' : issues.rejectedRows > 0 ? 'partial' : 'ok';
  await finishRun(database, runId, {
    status, rowsAccepted: counts.accepted, rowsRejected: issues.rejectedRows, issues: issues.issues, truncated: issues.truncated, created: writer.dims.created,
    secondaryRows: writer.secondaryRows, coverage: writer.coverage, from: writer.from, through: writer.through,
    errorCode: status === 'failed' ? 'rows_rejected' : undefined,
  });
  const result: ImportResult = {
    ...base(),
    status,
    profile: { id: detection.profile.id, label: detection.profile.label, origin: detection.profile.origin, confidence: detection.confidence, headerRow: detection.headerRow },
    rowsRead: counts.read, rowsAccepted: counts.accepted, rowsRejected: issues.rejectedRows, rowsSkipped: counts.skipped, rowsWritten: writer.written,
    issuesTruncated: issues.truncated, created: writer.dims.created, secondaryRows: writer.secondaryRows, restatedDays,
    dateRange: writer.from && writer.through ? { from: writer.from, to: writer.through } : null, coverage: writer.coverage,
    durationMs: Date.now() - started, ...(dryRun ? { preview } : {}),
  };
  const hookFailures = await afterImport(database, o.hooks, result, { workspaceId: o.workspaceId, kind, source });
  return hookFailures.length ? { ...result, hookFailures } : result;
}
