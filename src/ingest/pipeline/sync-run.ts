/**
 * The `sync_runs` row of an import or push: written before the import's transaction (status
 * running) and finished after it, so a failed import is recorded too. Freshness and `data status`
 * read these rows; dry runs are recorded with `dry_run` and never count for freshness.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import type { DatasetId, StoreCoverage, SyncReport } from '../../db/schema/sync.ts';
import type { RowIssue } from './report.ts';

export interface RunStart {
  workspaceId: string;
  kind: 'import' | 'push' | 'connector';
  dataset: DatasetId;
  source: FactSource;
  dryRun: boolean;
  fileName?: string;
  fileHash?: string;
  requestedBy: string;
  /** Connector runs: the `connectors.id` and the store it pulled for. */
  connectorId?: string;
  storeId?: string | null;
}

export async function startRun(database: Pick<Database, 'query'>, r: RunStart): Promise<number> {
  const [row] = await database.query<{ id: number }>(sql`insert into sync_runs
      (workspace_id, kind, dataset, source, dry_run, file_name, file_hash, requested_by, status, connector_id, store_id)
    values (${r.workspaceId}, ${r.kind}, ${r.dataset}, ${r.source}, ${r.dryRun}, ${r.fileName ?? null}, ${r.fileHash ?? null}, ${r.requestedBy}, 'running', ${r.connectorId ?? null}, ${r.storeId ?? null})
    returning id`);
  return Number(row!.id);
}

export interface RunFinish {
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  rowsAccepted: number;
  rowsRejected: number;
  issues: RowIssue[];
  truncated: boolean;
  created: Record<string, number>;
  secondaryRows: number;
  coverage: Record<string, StoreCoverage>;
  from: string | null;
  through: string | null;
  errorCode?: string;
  errorMessage?: string;
}

export async function finishRun(database: Pick<Database, 'query'>, id: number, f: RunFinish): Promise<void> {
  const report: SyncReport = {
    // `value` rides along in the jsonb beside the schema's fields (row report: row, column, value, reason).
    issues: f.issues.map((i) => ({ row: i.row, field: i.column, code: i.code, message: i.reason, ...(i.value === undefined ? {} : { value: i.value }) })),
    ...(f.truncated ? { truncated: true } : {}),
    ...(Object.keys(f.created).length ? { created: f.created } : {}),
    ...(f.secondaryRows ? { secondaryRows: f.secondaryRows } : {}),
  };
  const stores = Object.keys(f.coverage);
  await database.query(sql`update sync_runs set status = ${f.status}, rows_accepted = ${f.rowsAccepted}, rows_rejected = ${f.rowsRejected},
      report = ${JSON.stringify(report)}::jsonb, coverage = ${stores.length ? JSON.stringify(f.coverage) : null}::jsonb,
      store_id = coalesce(${stores.length === 1 ? stores[0]! : null}, store_id), data_from_date = ${f.from}::date, data_through_date = ${f.through}::date,
      error_code = ${f.errorCode ?? null}, error_message = ${f.errorMessage?.slice(0, 500) ?? null}, finished_at = now()
    where id = ${id}`);
}

/** The hash of the dataset's last successful import, for skipping an identical re-upload. */
export async function lastImportedHash(database: Pick<Database, 'query'>, workspaceId: string, dataset: DatasetId): Promise<string | null> {
  const [row] = await database.query<{ file_hash: string | null }>(sql`select file_hash from sync_runs
    where workspace_id = ${workspaceId} and dataset = ${dataset} and kind in ('import', 'push') and dry_run = false and status in ('ok', 'partial')
    order by id desc limit 1`);
  return row?.file_hash ?? null;
}
