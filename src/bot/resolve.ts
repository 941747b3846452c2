/**
 * Names typed in chat (`store:us-main`, `店铺:美国主店`, `团队:亚马逊美国`, `@李强`, `<@U123>`)
 * resolved against one workspace's stores, teams, people, SKUs, campaigns and marketplaces, and
 * a parsed ask's scopes turned into the KPI engine's filters. Matching rules: name-match.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { FilterDimension, Filters } from '../kpi/dimensions.ts';
import { matchName, type NameCandidate, type NameMatch } from './parse/name-match.ts';
import { parseMention } from './parse/mention.ts';
import type { ScopeRef } from './parse/types.ts';
import { FILTER_WORDS } from './parse/vocab-dimensions.ts';

export type Resolved = NameMatch;

export interface ResolveOptions {
  /** Chat platform of the asker: `<@U123>` and bare platform user ids match its chat identities. */
  platform?: string;
  tenantKey?: string;
}

/** Candidate rows read for one lookup; past this the big tables are prefiltered in SQL. */
const MAX_CANDIDATES = 500;

type Row = { id: string; name: string | null; name_en?: string | null; extra?: string | null };

function candidates(rows: Row[]): NameCandidate[] {
  const byId = new Map<string, NameCandidate>();
  for (const r of rows) {
    const c = byId.get(r.id) ?? { id: r.id, label: r.name ?? r.id, names: [] };
    for (const n of [r.name, r.name_en, r.extra]) if (n && !c.names.includes(n)) c.names.push(n);
    byId.set(r.id, c);
  }
  return [...byId.values()];
}

/** Chinese and English words for codes (美国 → US, 亚马逊 → amazon) as extra names. */
function vocabNames(dim: 'marketplace' | 'platform' | 'region', rows: Row[]): Row[] {
  const known = new Set(rows.map((r) => r.id.toLowerCase()));
  const words = FILTER_WORDS.filter(([, s]) => s.dim === dim && known.has(s.text.toLowerCase()));
  const idOf = new Map(rows.map((r) => [r.id.toLowerCase(), r.id]));
  return [...rows, ...words.map(([w, s]) => ({ id: idOf.get(s.text.toLowerCase())!, name: null, extra: w }))];
}

async function lookup(database: Database, text: string, load: () => Promise<Row[]>): Promise<Resolved> {
  const t = text.normalize('NFKC').trim();
  if (t === '' || t.length > 200) return { ok: false, suggestions: [] };
  return matchName(t, candidates(await load()));
}

const like = (t: string) => t.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Big tables (SKUs, campaigns, ad groups): rows whose id or name contains the text, else rows
 * sharing its first character, so suggestions still work without reading the whole table.
 */
async function prefiltered(database: Database, text: string, query: (where: SQL) => SQL): Promise<Row[]> {
  const t = text.normalize('NFKC').trim();
  const hits = await database.query<Row>(query(sql`(lower(id) like ${`%${like(t)}%`} or lower(name) like ${`%${like(t)}%`})`));
  if (hits.length > 0) return hits;
  return database.query<Row>(query(sql`(left(lower(id), 1) = ${t.slice(0, 1).toLowerCase()} or left(lower(name), 1) = ${t.slice(0, 1).toLowerCase()})`));
}

export function resolveStore(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    database.query<Row>(sql`select id, name from stores where workspace_id = ${workspaceId} order by id limit ${MAX_CANDIDATES}`));
}

export function resolveTeam(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    database.query<Row>(sql`select id, name, name_en from teams where workspace_id = ${workspaceId} order by id limit ${MAX_CANDIDATES}`));
}

/**
 * A person: user id (`carol`), display name (`李强`), English name or its first word (`Bob`),
 * e-mail, or a chat identity's platform user id / display name (on `opts.platform` when given).
 */
export async function resolveUser(database: Database, workspaceId: string, text: string, opts: ResolveOptions = {}): Promise<Resolved> {
  const who = parseMention(text) ?? text;
  const platform = opts.platform ?? null;
  const tenant = opts.tenantKey ?? null;
  return lookup(database, who, async () => {
    const users = await database.query<Row>(sql`
      select id, display_name as name, name_en, email as extra from users where workspace_id = ${workspaceId} order by active desc, id limit ${MAX_CANDIDATES}`);
    const firstNames = users.filter((u) => u.name_en).map((u) => ({ id: u.id, name: u.name, extra: u.name_en!.split(/\s+/)[0]! }));
    const identities = await database.query<Row>(sql`
      select ci.user_id as id, u.display_name as name, ci.platform_user_id as extra from chat_identities ci
      join users u on u.workspace_id = ci.workspace_id and u.id = ci.user_id
      where ci.workspace_id = ${workspaceId} and (${platform}::text is null or ci.platform = ${platform})
        and (${tenant}::text is null or ci.tenant_key = ${tenant}) limit ${MAX_CANDIDATES}`);
    const chatNames = await database.query<Row>(sql`
      select ci.user_id as id, u.display_name as name, ci.display_name as extra from chat_identities ci
      join users u on u.workspace_id = ci.workspace_id and u.id = ci.user_id
      where ci.workspace_id = ${workspaceId} and ci.display_name is not null
        and (${platform}::text is null or ci.platform = ${platform})
        and (${tenant}::text is null or ci.tenant_key = ${tenant}) limit ${MAX_CANDIDATES}`);
    return [...users, ...firstNames, ...identities, ...chatNames];
  });
}

export async function resolveSku(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    prefiltered(database, text, (where) => sql`select id, name from skus where workspace_id = ${workspaceId} and ${where} order by id limit ${MAX_CANDIDATES}`));
}

export async function resolveCampaign(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    prefiltered(database, text, (where) => sql`select id, name from campaigns where workspace_id = ${workspaceId} and ${where} order by id limit ${MAX_CANDIDATES}`));
}

export async function resolveAdGroup(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    prefiltered(database, text, (where) => sql`select id, name from ad_groups where workspace_id = ${workspaceId} and ${where} order by id limit ${MAX_CANDIDATES}`));
}

/** A marketplace code (`US`), its name (`美国`), English name, or a chat word for it (`美国站`). */
export async function resolveMarketplace(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, async () => {
    const rows = await database.query<Row>(sql`
      select code as id, name, name_en from marketplaces where workspace_id = ${workspaceId}
      union all select distinct marketplace, null, null from stores where workspace_id = ${workspaceId}`);
    return vocabNames('marketplace', rows);
  });
}

export async function resolvePlatform(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, async () =>
    vocabNames('platform', await database.query<Row>(sql`select distinct platform as id, null as name from stores where workspace_id = ${workspaceId}`)));
}

export async function resolveRegion(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, async () =>
    vocabNames('region', await database.query<Row>(sql`
      select distinct region as id, null as name from stores where workspace_id = ${workspaceId} and region is not null
      union select distinct region, null from marketplaces where workspace_id = ${workspaceId}`)));
}

export async function resolveChannel(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () => database.query<Row>(sql`select distinct channel as id, null as name from stores where workspace_id = ${workspaceId}`));
}

export async function resolveCategory(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    database.query<Row>(sql`select id, name, name_en from categories where workspace_id = ${workspaceId} order by id limit ${MAX_CANDIDATES * 4}`));
}

export async function resolveWarehouse(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    database.query<Row>(sql`select id, name from warehouses where workspace_id = ${workspaceId} order by id limit ${MAX_CANDIDATES}`));
}

/** A parent ASIN / SPU: the `parent_id` SKUs carry (a SKU without one is its own parent). */
export async function resolveParentSku(database: Database, workspaceId: string, text: string): Promise<Resolved> {
  return lookup(database, text, () =>
    prefiltered(database, text, (where) => sql`select id, name from (
      select distinct coalesce(parent_id, id) as id, null::text as name from skus where workspace_id = ${workspaceId}) p
      where ${where} order by id limit ${MAX_CANDIDATES}`));
}

type Resolver = (database: Database, workspaceId: string, text: string, opts?: ResolveOptions) => Promise<Resolved>;

const RESOLVERS: Record<ScopeRef['dim'], Resolver> = {
  store: resolveStore,
  team: resolveTeam,
  owner: resolveUser,
  sku: resolveSku,
  parent_sku: resolveParentSku,
  campaign: resolveCampaign,
  ad_group: resolveAdGroup,
  marketplace: resolveMarketplace,
  platform: resolvePlatform,
  region: resolveRegion,
  channel: resolveChannel,
  category: resolveCategory,
  warehouse: resolveWarehouse,
};

export type ScopeResolution =
  | { ok: true; filters: Filters; labels: { scope: ScopeRef; id: string; label: string }[] }
  | { ok: false; scope: ScopeRef; suggestions: string[] };

/** KPI engine filters for the scopes (several of one dimension are alternatives), or the first that names nothing. */
export async function resolveScopes(database: Database, workspaceId: string, scopes: ScopeRef[], opts: ResolveOptions = {}): Promise<ScopeResolution> {
  const filters: Filters = {};
  const labels: { scope: ScopeRef; id: string; label: string }[] = [];
  for (const scope of scopes) {
    const r = await RESOLVERS[scope.dim](database, workspaceId, scope.text, opts);
    if (!r.ok) return { ok: false, scope, suggestions: r.suggestions };
    const dim = scope.dim as FilterDimension;
    const values = filters[dim] ?? [];
    if (!values.includes(r.id)) values.push(r.id);
    filters[dim] = values;
    labels.push({ scope, id: r.id, label: r.label });
  }
  return { ok: true, filters, labels };
}
