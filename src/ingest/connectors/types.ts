/**
 * The connector port (ARCHITECTURE.md "Datasets"; issue "Connectors"): a connector pulls one
 * provider's data for a date window and yields rows in a dataset's template layout, which the one
 * import path (`importRows`) validates and upserts by natural key, so re-pulling a window never
 * double counts. The framework (registry, encrypted credentials, schedules, sync runs, error
 * classification, CLI and REST) lives beside this file; each provider is one folder
 * (`amazon-sp/`, `amazon-ads/`, `lingxing/`, `fx-ecb/`) exporting a `ConnectorDefinition`.
 */
import type { ConnectorKind, DatasetId } from '../../db/schema/sync.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import type { SourceRow } from '../source/csv.ts';

/** A JSON-schema-like description of a connector's settings, validated before saving. */
export interface ConfigField {
  key: string;
  label: { en: string; zh: string };
  /** Secret fields are stored only in `credentials_encrypted`, never in `config`, never logged. */
  secret: boolean;
  required: boolean;
  /** e.g. a marketplace id list, a region, a base URL (fakes in tests). */
  kind: 'string' | 'string[]' | 'url' | 'number';
  help?: string;
}

/** Why a pull failed, as the framework acts on it. */
export type ConnectorErrorCode =
  /** Refresh token revoked or expired, app de-authorised: the admin must re-authorise (授权失效). */
  | 'auth_revoked'
  /** 429 / throttled: back off (honour `retryAfterSeconds`) and continue later. */
  | 'rate_limited'
  /** 5xx, timeouts, a report that never completes: retry on the next schedule. */
  | 'provider_unavailable'
  /** A response that does not match the documented shape: recorded, not retried blindly. */
  | 'malformed_response'
  /** Our configuration is wrong (unknown marketplace, missing field). */
  | 'invalid_config';

export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** One pull: the window to fetch and the connector's decrypted settings. */
export interface PullContext {
  workspaceId: string;
  connectorId: string;
  /** The store this connector pulls for; null for workspace-wide feeds (FX, multi-store ERP). */
  storeId: string | null;
  /** Non-secret settings (from `connectors.config`). */
  config: Record<string, unknown>;
  /** Decrypted secrets; never log this object. */
  credentials: Record<string, string>;
  /** Inclusive dates in the store's marketplace time zone (YYYY-MM-DD). */
  from: string;
  to: string;
  /** The store's IANA zone (or UTC for workspace-wide feeds). */
  timeZone: string;
  /** Optional (framework): the workspace's reporting currency, e.g. for an FX feed's cross rates. */
  workspaceCurrency?: string;
  fetch: typeof fetch;
  /** Waits (tests pass a fake clock so report polling and backoff do not sleep). */
  sleep(ms: number): Promise<void>;
  now(): Date;
  signal?: AbortSignal;
  log(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Rows for one dataset, in that dataset's template layout (src/ingest/datasets): the header row
 * of template column names first, then data rows — the shape `jsonRows` (src/ingest/push) builds
 * from JSON objects, which connectors may reuse.
 */
export interface PulledBatch {
  dataset: DatasetId;
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>;
}

export interface ConnectorDefinition {
  /** Stable id of the provider, e.g. `amazon_sp`; one workspace may configure several instances. */
  kind: ConnectorKind;
  label: { en: string; zh: string };
  /** Datasets this connector fills. */
  datasets: DatasetId[];
  /** Lineage written on facts (`api` for marketplace APIs, `erp_api` for ERPs, …). */
  source: FactSource;
  configSchema: ConfigField[];
  /**
   * Days re-pulled before the last successful window, for late data (ad attribution settles in
   * ~14 days on Amazon, returns arrive for weeks).
   */
  repullDays: number;
  /** Optional (framework): days pulled on the first run, before any success (default 30). */
  initialDays?: number;
  /** Optional (framework): the window ends today instead of yesterday (FX rates publish intraday). */
  includeToday?: boolean;
  /** Optional (framework): local time and zone of the daily run (default 06:00 in the store's zone). */
  runAt?: { time: string; timeZone?: string };
  /** A cheap authenticated call proving the credentials work (`connectors test`). */
  test(ctx: PullContext): Promise<{ ok: true; detail?: string }>;
  /** Pulls the window; throws ConnectorError for anything the framework must classify. */
  pull(ctx: PullContext): AsyncIterable<PulledBatch>;
}
