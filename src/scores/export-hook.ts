/**
 * `scores` in the export registry (src/ingest/export/export-stream.ts): the HR layout per person
 * and KPI for the month of `from` (default last month), not the raw table — except in a whole
 * workspace bundle (`includeSource`), which keeps every table as stored.
 */
import type { Database } from '../db/client.ts';
import { getWorkspace } from '../tenancy/workspaces.ts';
import { lastMonth } from './close-state.ts';
import { exportRows, monthRecords, scoreExportChunks, SCORE_EXPORT_HEADER } from './export.ts';

export interface ComputedExport {
  contentType: string;
  fileName: string;
  header: string[];
  chunks: AsyncIterable<string | Uint8Array>;
}

export async function computedExport(
  database: Pick<Database, 'query'>,
  name: string,
  o: { workspaceId: string; from?: string; format: 'csv' | 'xlsx'; includeSource?: boolean; now?: Date },
): Promise<ComputedExport | undefined> {
  if (name !== 'scores' || o.includeSource || !('db' in database)) return undefined;
  const full = database as Database;
  const now = o.now ?? new Date();
  const ws = await getWorkspace(full.db, o.workspaceId);
  const month = o.from ? o.from.slice(0, 7) : lastMonth(ws?.timezone ?? 'UTC', now);
  const rows = exportRows(await monthRecords({ database: full, now: () => now }, o.workspaceId, month));
  return {
    contentType: o.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    fileName: `${o.workspaceId}-scores-${month}.${o.format}`,
    header: [...SCORE_EXPORT_HEADER],
    chunks: scoreExportChunks(rows, o.format),
  };
}
