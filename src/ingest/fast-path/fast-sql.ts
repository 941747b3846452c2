/**
 * SQL for the COPY fast path: per template column, the strict check a staged text cell must pass
 * and the cast that turns it into the stored value, mirroring the row validator's plain cases
 * (ISO dates, unsigned numbers, ids that do not look like formulas, known stores).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ColumnDef, DatasetDef } from '../datasets/types.ts';
import { ident, literal } from '../pipeline/sql-batch.ts';

export interface FastSpec {
  def: DatasetDef;
  /** Template columns of the file, in order. */
  columns: string[];
  workspaceId: string;
}

const AD_DEFAULT = `case st.platform when 'amazon' then 'amazon_sp' when 'walmart' then 'walmart_sponsored' when 'shopee' then 'shopee_ads' when 'lazada' then 'lazada_sponsored' when 'tiktok_shop' then 'tiktok_ads' end`;
/** Template columns the fast path can check; a file with any other column takes the ordinary path. */
const KINDS = new Set(['id', 'int', 'money', 'decimal', 'day', 'currency', 'enum']);

export function fastColumnsOk(def: DatasetDef, columns: string[]): boolean {
  const byName = new Map(def.columns.map((c) => [c.name, c]));
  const required = def.columns.filter((c) => c.required).map((c) => c.name);
  return columns.every((c) => byName.has(c) && !byName.get(c)!.virtual && c !== 'source' && KINDS.has(byName.get(c)!.kind.type))
    && required.every((r) => columns.includes(r)) && new Set(columns).size === columns.length;
}

const cell = (c: string) => `nullif(btrim(s.${ident(c)}), '')`;

/**
 * When a staged cell breaks the row validator's rules: casts in the same pass raise on text that is
 * no number or day at all (22xxx rolls back to the ordinary path), so only what a cast would let
 * through is spelled out — signs, shapes, formula-like ids, enum values.
 */
function bad(c: ColumnDef): string {
  const v = cell(c.name);
  const k = c.kind;
  let b: string;
  switch (k.type) {
    case 'day':
      b = `${v} !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' or ${v}::date is null`;
      break;
    case 'int':
      b = `${v}::int < 0`;
      break;
    case 'money':
    case 'decimal':
      b = k.sign === 'abs' || k.sign === 'any' ? `${v}::numeric is null` : `${v}::numeric < 0`;
      break;
    case 'currency':
      b = `${v} !~ '^[A-Za-z]{3}$'`;
      break;
    case 'enum':
      b = `lower(${v}) not in (${k.values.map((x) => literal(x)).join(', ')})`;
      break;
    default:
      b = `left(${v}, 1) in ('=', '@', '+', '-') or length(${v}) > 200 or ${v} ~ '[[:cntrl:]]'`;
  }
  return c.required ? `(${v} is null or ${b})` : `coalesce(${b}, false)`;
}

function cast(c: ColumnDef): string {
  const v = cell(c.name);
  switch (c.kind.type) {
    case 'day':
      return `${v}::date`;
    case 'int':
      return c.nullable ? `${v}::int` : `coalesce(${v}::int, 0)`;
    case 'money':
    case 'decimal': {
      const n = c.kind.sign === 'abs' ? `abs(${v}::numeric)` : `${v}::numeric`;
      return c.nullable ? n : `coalesce(${n}, 0)`;
    }
    case 'currency':
      return `upper(${v})`;
    case 'enum':
      return `lower(${v})`;
    default:
      return v;
  }
}

const col = (spec: FastSpec, name: string) => spec.def.columns.find((c) => c.name === name)!;

/** Whether a staged row breaks a rule (aliases: s = stage, st = its store, left-joined). */
export function badSql(spec: FastSpec): SQL {
  const parts = spec.columns.filter((c) => c !== 'store_id').map((c) => bad(col(spec, c)));
  parts.push('st.id is null');
  if (spec.def.id === 'ads' && !spec.columns.includes('ad_platform')) parts.push(`${AD_DEFAULT} is null`);
  return sql.raw(parts.join(' or '));
}

export function castSql(spec: FastSpec, name: string): SQL {
  return sql.raw(name === 'store_id' ? 'btrim(s.store_id)' : cast(col(spec, name)));
}

/** The merge's column list, key, SELECT expressions (from stage s join stores st) and update set. */
export function mergeSelect(spec: FastSpec, stage: string): { columns: string[]; key: string[]; select: SQL; from: SQL; update: string[]; dims: Record<string, SQL> } {
  const exprs = new Map<string, string>([['workspace_id', literal(spec.workspaceId)]]);
  for (const name of spec.columns) exprs.set(col(spec, name).db ?? name, name === 'store_id' ? 'btrim(s.store_id)' : cast(col(spec, name)));
  // Empty cells take the same defaults as the row validator: the store's currency, channel `platform`.
  exprs.set('currency', spec.columns.includes('currency') ? `coalesce(${cast(col(spec, 'currency'))}, st.currency)` : 'st.currency');
  if (spec.def.id === 'orders') exprs.set('fulfillment_channel', spec.columns.includes('fulfillment_channel') ? `coalesce(${cast(col(spec, 'fulfillment_channel'))}, 'platform')` : `'platform'`);
  if (spec.def.id === 'ads') {
    exprs.set('ad_platform', spec.columns.includes('ad_platform') ? `coalesce(${cast(col(spec, 'ad_platform'))}, ${AD_DEFAULT})` : AD_DEFAULT);
    for (const k of ['ad_group_id', 'sku_id']) if (!exprs.has(k)) exprs.set(k, 'null::text');
  }
  const key = [...spec.def.key, 'source'];
  const fixed = new Set(['workspace_id', ...key]);
  const columns = [...exprs.keys(), 'source', 'sync_run_id'];
  const select = sql.raw([...exprs.entries()].map(([k, e]) => `${e} as ${k}`).join(', '));
  const from = `from ${ident(stage)} s join stores st on st.workspace_id = ${literal(spec.workspaceId)} and st.id = btrim(s.store_id)`;
  const ws = literal(spec.workspaceId);
  const dims: Record<string, SQL> = {};
  // GROUP BY (a hash aggregate) rather than DISTINCT ON (a sort of the whole file): one row per id.
  if (spec.columns.includes('sku_id')) dims.skus = sql.raw(`(workspace_id, id, name, store_id) select ${ws}, btrim(s.sku_id), btrim(s.sku_id), min(btrim(s.store_id)) ${from} where ${cell('sku_id')} is not null group by btrim(s.sku_id)`);
  if (spec.def.id === 'ads') {
    const platform = exprs.get('ad_platform')!;
    dims.campaigns = sql.raw(`(workspace_id, id, name, ad_platform, store_id) select ${ws}, btrim(s.campaign_id), btrim(s.campaign_id), min(${platform}), min(btrim(s.store_id)) ${from} group by btrim(s.campaign_id)`);
    if (spec.columns.includes('ad_group_id')) {
      dims.ad_groups = sql.raw(`(workspace_id, id, name, campaign_id, ad_platform, store_id) select ${ws}, btrim(s.ad_group_id), btrim(s.ad_group_id), min(btrim(s.campaign_id)), min(${platform}), min(btrim(s.store_id)) ${from} where ${cell('ad_group_id')} is not null group by btrim(s.ad_group_id)`);
    }
  }
  return {
    columns,
    key,
    select,
    from: sql.raw(from),
    update: columns.filter((c) => !fixed.has(c)),
    dims,
  };
}
