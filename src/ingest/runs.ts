/**
 * Reading sync runs back: one run with its row report (REST, CLI), as recorded by
 * pipeline/sync-run.ts.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { SyncReport } from '../db/schema/sync.ts';
import type { RowIssue } from './pipeline/report.ts';

export interface RunView {
  id: number;
  kind: string;
  dataset: string;
  source: string;
  status: string;
  dryRun: boolean;
  fileName: string | null;
  rowsAccepted: number;
  rowsRejected: number;
  dataFromDate: string | null;
  dataThroughDate: string | null;
  coverage: Record<string, unknown> | null;
  errorCode: string | null;
  errorMessage: string | null;
  startedAt: string;
  finishedAt: string | null;
  issues: RowIssue[];
  issuesTruncated: boolean;
  created: Record<string, number>;
  secondaryRows: number;
}

export async function getRun(database: Pick<Database, 'query'>, workspaceId: string, id: number): Promise<RunView | null> {
  const [r] = await database.query<Record<string, unknown>>(sql`select id, kind, dataset, source, status, dry_run, file_name, rows_accepted, rows_rejected,
      data_from_date::text as f, data_through_date::text as t, coverage, error_code, error_message, started_at, finished_at, report
    from sync_runs where workspace_id = ${workspaceId} and id = ${id}`);
  if (!r) return null;
  const report = (typeof r.report === 'string' ? JSON.parse(r.report) : r.report) as SyncReport | null;
  return {
    id: Number(r.id), kind: String(r.kind), dataset: String(r.dataset), source: String(r.source), status: String(r.status), dryRun: Boolean(r.dry_run),
    fileName: (r.file_name as string | null) ?? null, rowsAccepted: Number(r.rows_accepted), rowsRejected: Number(r.rows_rejected),
    dataFromDate: (r.f as string | null) ?? null, dataThroughDate: (r.t as string | null) ?? null,
    coverage: (typeof r.coverage === 'string' ? JSON.parse(r.coverage) : r.coverage) as Record<string, unknown> | null,
    errorCode: (r.error_code as string | null) ?? null, errorMessage: (r.error_message as string | null) ?? null,
    startedAt: new Date(String(r.started_at)).toISOString(), finishedAt: r.finished_at ? new Date(String(r.finished_at)).toISOString() : null,
    issues: (report?.issues ?? []).map((i) => ({ row: i.row, column: i.field, value: (i as { value?: string }).value, code: i.code, reason: i.message })),
    issuesTruncated: report?.truncated === true, created: report?.created ?? {}, secondaryRows: report?.secondaryRows ?? 0,
  };
}
