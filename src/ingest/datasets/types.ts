/**
 * How a dataset is described once for import, push and export: its template columns (glossary §2
 * names, with zh/en header aliases), the table and natural key it upserts into, and `build`, which
 * turns one row of parsed values into a database row or a row error.
 */
import type { DatasetId } from '../../db/schema/sync.ts';
import type { Kind, Value } from '../values/cells.ts';

export interface ColumnDef {
  /** Template column name, as in glossary §2 (and the export header). */
  name: string;
  kind: Kind;
  required?: boolean;
  /** Header aliases in Chinese and English; matched after normalisation (headers/normalize.ts). */
  aliases?: string[];
  /** Not a stored column: an input only (order_id, sales_amount…); never exported. */
  virtual?: boolean;
  /** Database column when it differs from `name`. */
  db?: string;
  /** An empty cell stores null (traffic, surveys: missing ≠ 0) instead of the column default. */
  nullable?: boolean;
  /** Help text for the template. */
  help?: string;
}

/** A store as imports need it. */
export interface StoreInfo {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  platform: string;
  teamId: string | null;
  pricesIncludeTax: boolean;
  taxRate: string | null;
}

export interface RowContext {
  store?: StoreInfo;
  workspace: { timezone: string; currency: string };
  /** Template columns the file maps (present even where a cell is empty). */
  present: ReadonlySet<string>;
}

/** Master data a fact row refers to, created on the fly when unknown (name = id). */
export interface DimensionRefs {
  sku?: { id: string; storeId: string | null };
  campaign?: { id: string; adPlatform: string; storeId: string };
  adGroup?: { id: string; campaignId: string; adPlatform: string; storeId: string };
  warehouse?: { id: string; storeId: string | null };
  category?: { id: string };
}

export type Values = Partial<Record<string, Value | null>>;

export type BuildResult =
  | { ok: true; row: Record<string, unknown>; day?: string; dims?: DimensionRefs; skip?: string }
  | { ok: false; column: string; reason: string };

export interface DatasetDef {
  id: DatasetId;
  table: string;
  /** Natural key: `on conflict on constraint <name>` (or a column list for primary keys). */
  conflict: { constraint: string } | { columns: string[] };
  /** Key columns (database names, without workspace_id): a row's identity within a batch. */
  key: string[];
  columns: ColumnDef[];
  /** Rows name a store that must exist (column `store_id`); `optional`: only when given. */
  store: 'required' | 'optional' | 'none';
  /** The dataset in source_priorities / KPI terms, for fact tables counted per source. */
  priorityDataset?: 'orders' | 'ads' | 'inventory' | 'service' | 'content';
  /**
   * Database column → template column that `build` fills with a default (name = id, status
   * enabled) when the file lacks that column: written on insert, never over a stored value.
   */
  defaults?: Record<string, string>;
  /** Rows carry `source`, `sync_run_id`, `ingested_at` (fact tables). */
  lineage: boolean;
  /** Export: the date column that from/to filter. */
  exportDate?: string;
  build(v: Values, ctx: RowContext): BuildResult;
}
