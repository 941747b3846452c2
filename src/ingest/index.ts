/**
 * Data in and out (issue 30): file imports (CSV/XLSX from seller ERPs and marketplaces, header
 * profiles with a confidence, per-row validation and report, natural-key upserts in one
 * transaction, a sync_runs row per run), signed pushes, exports, the primary source per store
 * and dataset, reconciliation, freshness and restatements.
 */
export { DATASETS, IMPORT_DATASETS, datasetById } from './datasets/index.ts';
export { importFile, type FileImportOptions } from './import-file.ts';
export { importUpload, MAX_UPLOAD_BYTES } from './import-upload.ts';
export { importRows, type ImportOptions, type ImportResult } from './pipeline/run-import.ts';
export { ensurePrimarySource, switchPrimarySource, type PriorityDataset } from './pipeline/primary-source.ts';
export { listRestatements, restatementSummary, type Restatement } from './pipeline/restatements.ts';
export { reconcile, type ReconcileQuery, type ReconcileRow } from './reconciliation.ts';
export { freshness, type FreshnessEntry } from './freshness.ts';
export { exportStream, EXPORT_NAMES, type ExportFormat } from './export/export-stream.ts';
export { exportWorkspace, importWorkspace } from './export/workspace-bundle.ts';
export { signPush, verifyPush } from './push/signature.ts';
export { dataStatusFeature } from './chat/data-status.ts';
