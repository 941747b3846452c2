/**
 * One export as bytes: a dataset (template columns, re-importable) or a stored table, as CSV
 * (UTF-8 with BOM, formula-escaped) or XLSX, streamed.
 */
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { DATASETS } from '../datasets/index.ts';
import { csvChunks, type OutCell } from './csv-write.ts';
import { datasetRows, exportColumns, TABLE_EXPORTS, tableColumns, tableRows, type ExportFilter } from './export-rows.ts';
import { xlsxChunks } from './xlsx-write.ts';
import { computedExport } from '../../scores/export-hook.ts';

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_NAMES = [...Object.keys(DATASETS), ...Object.keys(TABLE_EXPORTS)];

export interface ExportStream {
  contentType: string;
  fileName: string;
  header: string[];
  chunks: AsyncIterable<string | Uint8Array>;
}

export async function exportStream(
  database: Pick<Database, 'query'>,
  name: string,
  o: ExportFilter & { format: ExportFormat; includeSource?: boolean },
): Promise<ExportStream> {
  // `scores` is the HR layout per person and KPI (src/scores), except in a whole-workspace bundle.
  const computed = await computedExport(database, name, o);
  if (computed) return computed;
  let header: string[];
  let rows: AsyncIterable<OutCell[]>;
  const def = DATASETS[name];
  if (def) {
    header = exportColumns(def, o.includeSource === true).map((c) => c.name);
    rows = datasetRows(database, def, o);
  } else if (TABLE_EXPORTS[name]) {
    header = (await tableColumns(database, TABLE_EXPORTS[name].table)).filter((c) => c !== 'workspace_id');
    if (header.length === 0) throw new AppError('not_found', `nothing to export as ${name} yet`, { field: 'dataset' });
    rows = tableRows(database, name, header, o);
  } else {
    throw new AppError('not_found', `unknown export "${name.slice(0, 40)}"; use one of ${EXPORT_NAMES.join(', ')}`, { field: 'dataset' });
  }
  const range = o.from || o.to ? `-${o.from ?? 'start'}_${o.to ?? 'end'}` : '';
  const fileName = `${o.workspaceId}-${name}${range}.${o.format}`;
  return o.format === 'xlsx'
    ? { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName, header, chunks: xlsxChunks(header, rows, { sheetName: name }) }
    : { contentType: 'text/csv; charset=utf-8', fileName, header, chunks: csvChunks(header, rows) };
}
