/**
 * Configured connectors (`connectors` rows): create or update one from a flat settings object,
 * validated against its definition's `configSchema`, with secret fields split off into
 * `credentials_encrypted` (credentials.ts) and everything else in `config`. Views never carry
 * secrets: only which secret fields are set.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { connectors } from '../../db/schema/sync.ts';
import { AppError } from '../../errors.ts';
import { decryptCredentials, encryptCredentials } from './credentials.ts';
import { connectorDefinition } from './registry.ts';
import type { ConfigField, ConnectorDefinition } from './types.ts';

type Row = typeof connectors.$inferSelect;
export type Cadence = Row['cadence'];
export type ConnectorState = Row['state'];
export const CONNECTOR_CADENCES: Cadence[] = ['hourly', 'daily', 'weekly', 'manual'];
const ID_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface ConnectorRecord {
  workspaceId: string;
  id: string;
  kind: string;
  storeId: string | null;
  config: Record<string, unknown>;
  credentialsEncrypted: string | null;
  cadence: Cadence;
  state: ConnectorState;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  lastErrorCode: string | null;
}

/** What `GET /api/v1/connectors` and `kpibot connectors list` show. */
export interface ConnectorView {
  id: string;
  kind: string;
  label: { en: string; zh: string } | null;
  storeId: string | null;
  datasets: string[];
  cadence: Cadence;
  state: ConnectorState;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  lastErrorCode: string | null;
  config: Record<string, unknown>;
  /** Names of the secret fields that have a stored value (never the values). */
  secretsSet: string[];
}

const iso = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

export async function listConnectorRecords(database: Database, workspaceId: string, id?: string): Promise<ConnectorRecord[]> {
  const rows = await database.query<Record<string, unknown>>(sql`select workspace_id, id, kind, store_id, config, credentials_encrypted, cadence, state,
      last_run_at, last_success_at, consecutive_failures, last_error_code from connectors
    where workspace_id = ${workspaceId} ${id === undefined ? sql`` : sql`and id = ${id}`} order by id`);
  return rows.map((r) => ({
    workspaceId: String(r.workspace_id), id: String(r.id), kind: String(r.kind), storeId: (r.store_id as string | null) ?? null,
    config: (typeof r.config === 'string' ? JSON.parse(r.config) : r.config ?? {}) as Record<string, unknown>,
    credentialsEncrypted: (r.credentials_encrypted as string | null) ?? null, cadence: r.cadence as Cadence, state: r.state as ConnectorState,
    lastRunAt: iso(r.last_run_at), lastSuccessAt: iso(r.last_success_at), consecutiveFailures: Number(r.consecutive_failures), lastErrorCode: (r.last_error_code as string | null) ?? null,
  }));
}

export async function getConnectorRecord(database: Database, workspaceId: string, id: string): Promise<ConnectorRecord> {
  const [row] = await listConnectorRecords(database, workspaceId, id);
  if (!row) throw new AppError('not_found', `no connector "${id.slice(0, 63)}" in this workspace`, { field: 'id' });
  return row;
}

export function connectorView(r: ConnectorRecord, secretKeys: string[] = []): ConnectorView {
  const def = connectorDefinition(r.kind);
  return {
    id: r.id, kind: r.kind, label: def?.label ?? null, storeId: r.storeId, datasets: def?.datasets ?? [], cadence: r.cadence, state: r.state,
    lastRunAt: r.lastRunAt, lastSuccessAt: r.lastSuccessAt, consecutiveFailures: r.consecutiveFailures, lastErrorCode: r.lastErrorCode,
    config: r.config, secretsSet: secretKeys,
  };
}

function checkValue(f: ConfigField, v: unknown): unknown {
  const bad = (why: string) => new AppError('invalid_argument', `setting "${f.key}" ${why}`, { field: f.key });
  switch (f.kind) {
    case 'string':
      if (typeof v !== 'string' || v.trim() === '') throw bad('must be a non-empty string');
      return v.trim();
    case 'url': {
      let u: URL;
      try {
        u = new URL(String(v));
      } catch {
        throw bad('must be an http(s) URL');
      }
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad('must be an http(s) URL');
      return String(v).replace(/\/+$/, '');
    }
    case 'number': {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) throw bad('must be a number');
      return n;
    }
    case 'string[]': {
      const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : null;
      if (!list || list.some((x) => typeof x !== 'string')) throw bad('must be a list of strings');
      const clean = (list as string[]).map((x) => x.trim()).filter(Boolean);
      if (clean.length === 0) throw bad('must not be empty');
      return clean;
    }
  }
}

/** Splits settings into config and secrets, checking them against the schema. */
export function validateSettings(
  def: ConnectorDefinition,
  settings: Record<string, unknown>,
  previous?: { config: Record<string, unknown>; credentials: Record<string, string> },
): { config: Record<string, unknown>; credentials: Record<string, string> } {
  const known = new Map(def.configSchema.map((f) => [f.key, f]));
  for (const k of Object.keys(settings)) if (!known.has(k)) throw new AppError('invalid_argument', `unknown setting "${k.slice(0, 60)}" for ${def.kind} (known: ${[...known.keys()].join(', ') || 'none'})`, { field: k });
  const config: Record<string, unknown> = { ...(previous?.config ?? {}) };
  const credentials: Record<string, string> = { ...(previous?.credentials ?? {}) };
  for (const f of def.configSchema) {
    const v = settings[f.key];
    if (v === undefined || v === null || v === '') {
      if (f.required && (f.secret ? credentials[f.key] === undefined : config[f.key] === undefined)) throw new AppError('invalid_argument', `setting "${f.key}" is required for ${def.kind}`, { field: f.key });
      continue;
    }
    const value = checkValue(f, v);
    if (f.secret) credentials[f.key] = Array.isArray(value) ? value.join(',') : String(value);
    else config[f.key] = value;
  }
  return { config, credentials };
}

export interface SaveConnector {
  id: string;
  kind: string;
  storeId?: string | null;
  cadence?: Cadence;
  /** `paused` stops the schedule; saving new credentials re-activates an auth_revoked connector. */
  state?: 'active' | 'paused';
  settings: Record<string, unknown>;
  createdBy: string;
}

/** Creates or updates a connector; secrets not given on update are kept. */
export async function saveConnector(database: Database, secretsKey: string | undefined, workspaceId: string, s: SaveConnector): Promise<ConnectorView> {
  if (!ID_RE.test(s.id)) throw new AppError('invalid_argument', 'a connector id is 1–63 characters of a-z, 0-9, _ and -', { field: 'id' });
  const def = connectorDefinition(s.kind);
  if (!def) throw new AppError('invalid_argument', `unknown connector kind "${s.kind.slice(0, 40)}"`, { field: 'kind' });
  if (s.cadence && !CONNECTOR_CADENCES.includes(s.cadence)) throw new AppError('invalid_argument', `cadence must be one of ${CONNECTOR_CADENCES.join(', ')}`, { field: 'cadence' });
  const [existing] = await listConnectorRecords(database, workspaceId, s.id);
  if (existing && existing.kind !== s.kind) throw new AppError('conflict', `connector "${s.id}" is a ${existing.kind} connector`, { field: 'kind' });
  const storeId = s.storeId === undefined ? (existing?.storeId ?? null) : s.storeId;
  if (storeId) {
    const [store] = await database.query(sql`select 1 from stores where workspace_id = ${workspaceId} and id = ${storeId}`);
    if (!store) throw new AppError('invalid_argument', `no store "${storeId.slice(0, 60)}" in this workspace`, { field: 'store' });
  }
  const previous = existing ? { config: existing.config, credentials: decryptCredentials(secretsKey, workspaceId, s.id, existing.credentialsEncrypted) } : undefined;
  const { config, credentials } = validateSettings(def, s.settings, previous);
  const secretKeys = Object.keys(credentials);
  const envelope = secretKeys.length ? encryptCredentials(secretsKey, workspaceId, s.id, credentials) : null;
  const newSecrets = def.configSchema.some((f) => f.secret && s.settings[f.key] !== undefined);
  // New secrets after 授权失效 re-activate the connector; otherwise its state stays.
  const state = s.state ?? (existing?.state === 'auth_revoked' && newSecrets ? 'active' : (existing?.state ?? 'active'));
  await database.query(sql`insert into connectors (workspace_id, id, kind, store_id, config, credentials_encrypted, cadence, state, created_by)
    values (${workspaceId}, ${s.id}, ${s.kind}, ${storeId}, ${JSON.stringify(config)}::jsonb, ${envelope}, ${s.cadence ?? existing?.cadence ?? 'daily'}, ${state}, ${s.createdBy})
    on conflict (workspace_id, id) do update set store_id = excluded.store_id, config = excluded.config, credentials_encrypted = excluded.credentials_encrypted,
      cadence = excluded.cadence, state = excluded.state, updated_at = now()`);
  return connectorView(await getConnectorRecord(database, workspaceId, s.id), secretKeys);
}

export async function listConnectors(database: Database, secretsKey: string | undefined, workspaceId: string): Promise<ConnectorView[]> {
  return (await listConnectorRecords(database, workspaceId)).map((r) => {
    let keys: string[] = [];
    try {
      keys = Object.keys(decryptCredentials(secretsKey, workspaceId, r.id, r.credentialsEncrypted));
    } catch {
      // A wrong or missing key must not hide the list: the run says why it cannot decrypt.
    }
    return connectorView(r, keys);
  });
}
