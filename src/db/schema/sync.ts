/**
 * Data ingestion bookkeeping (glossary §2.1, §3.9; ARCHITECTURE.md "Datasets"): one `sync_runs`
 * row per import, push, connector or demo run; the primary source per (store, dataset); and the
 * configured API connectors. Freshness, `data status` and the freshness alerts read these.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt, workspaceId } from './columns.ts';
import type { FactSource } from './facts.ts';

/** Dataset ids of imports, pushes and exports (ARCHITECTURE.md "Datasets"). */
export type DatasetId =
  | 'orders'
  | 'ads'
  | 'inventory'
  | 'service'
  | 'activity'
  | 'content'
  | 'costs'
  | 'fx'
  | 'goals'
  | 'calendar'
  | 'stores'
  | 'skus'
  | 'campaigns'
  | 'warehouses';

/** Rows a run covered for one store: lets one multi-store file feed per-store freshness. */
export interface StoreCoverage {
  from: string;
  through: string;
  rows: number;
}

/** One rejected or warned row of an import report. */
export interface SyncRowIssue {
  /** 1-based row number in the file or push body. */
  row: number;
  field?: string;
  code: string;
  message: string;
}

/** The row report shown after an import (and returned by `?dryRun=1`). */
export interface SyncReport {
  issues: SyncRowIssue[];
  /** True when `issues` was cut to keep the row small; the counts stay exact. */
  truncated?: boolean;
  /** Dimension rows created on the fly (unknown SKUs, campaigns, ad groups). */
  created?: Record<string, number>;
  /** Rows stored but not counted because another source is primary for their store. */
  secondaryRows?: number;
}

/**
 * One import, push, connector or demo run. `status = skipped` records a file whose hash was
 * already imported successfully (file-hash dedup, error_code `duplicate_file`). Dry runs are
 * recorded too (`dry_run`) but never count for freshness.
 */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    kind: text('kind').$type<'import' | 'push' | 'connector' | 'demo'>().notNull(),
    dataset: text('dataset').$type<DatasetId>().notNull(),
    /** The `source` the run's fact rows are written with. */
    source: text('source').$type<FactSource>().notNull(),
    connectorId: text('connector_id'),
    /** Set when the run is for one store (connectors); null for multi-store files — see coverage. */
    storeId: text('store_id'),
    /** Store id → date range and row count this run wrote. */
    coverage: jsonb('coverage').$type<Record<string, StoreCoverage>>(),
    status: text('status').$type<'running' | 'ok' | 'partial' | 'failed' | 'skipped'>().notNull().default('running'),
    dryRun: boolean('dry_run').notNull().default(false),
    fileName: text('file_name'),
    /** SHA-256 (hex) of the uploaded bytes, for file-hash dedup. */
    fileHash: text('file_hash'),
    rowsAccepted: integer('rows_accepted').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    report: jsonb('report').$type<SyncReport>(),
    dataFromDate: date('data_from_date', { mode: 'string' }),
    /** Last store-local day with rows in this run (per store: coverage). Feeds as_of (§3.3). */
    dataThroughDate: date('data_through_date', { mode: 'string' }),
    /** Stable code for cards and freshness alerts: `auth_revoked`, `rate_limited`, `bad_header`… */
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Who started it: a user id, `api_token:<id>`, `cli`, `scheduler`. */
    requestedBy: text('requested_by'),
    startedAt: tstz('started_at').notNull().defaultNow(),
    finishedAt: tstz('finished_at'),
  },
  (t) => [
    index('sync_runs_freshness').on(t.workspaceId, t.dataset, t.storeId, t.startedAt),
    index('sync_runs_file_hash').on(t.workspaceId, t.dataset, t.fileHash).where(sql`${t.fileHash} is not null`),
    index('sync_runs_connector').on(t.workspaceId, t.connectorId, t.startedAt),
  ],
);

/**
 * The one counted source per (store, dataset) (glossary trap 15). No row → the default rule
 * (API if a connector exists, else the first source seen). Rows of other sources are stored but
 * not counted until an admin switches; every switch is also written to audit_log.
 */
export const sourcePriorities = pgTable(
  'source_priorities',
  {
    workspaceId: workspaceId(),
    storeId: text('store_id').notNull(),
    dataset: text('dataset').$type<DatasetId>().notNull(),
    primarySource: text('primary_source').$type<FactSource>().notNull(),
    switchedBy: text('switched_by').notNull(),
    switchedAt: tstz('switched_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.storeId, t.dataset] })],
);

export type ConnectorKind =
  | 'amazon_sp'
  | 'amazon_ads'
  | 'shopee'
  | 'lazada'
  | 'tiktok_shop'
  | 'shopify'
  | 'walmart'
  | 'google_ads'
  | 'meta_ads'
  | 'erp'
  | 'fx_feed';

/**
 * A configured API connector. Credentials come from OAuth or sub-accounts, never main-account
 * passwords, and are stored only encrypted under SECRETS_KEY (base64 envelope written by
 * src/ingest; the format carries its key version so the key can rotate).
 */
export const connectors = pgTable(
  'connectors',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    kind: text('kind').$type<ConnectorKind>().notNull(),
    /** The store it pulls for; null for workspace-wide feeds (fx_feed, a multi-store ERP). */
    storeId: text('store_id'),
    /** Non-secret settings: marketplace ids, ad profile ids, report types, base URL. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    credentialsEncrypted: text('credentials_encrypted'),
    /** How often it should deliver; a source is stale 1 day past its cadence (§3.5). */
    cadence: text('cadence').$type<'hourly' | 'daily' | 'weekly' | 'manual'>().notNull().default('daily'),
    state: text('state').$type<'active' | 'paused' | 'failing' | 'auth_revoked'>().notNull().default('active'),
    lastRunAt: tstz('last_run_at'),
    lastSuccessAt: tstz('last_success_at'),
    /** Reset on success; 3 in a row raises a freshness alert. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    lastErrorCode: text('last_error_code'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);
