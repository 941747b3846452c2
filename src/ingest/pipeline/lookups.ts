/**
 * What an import resolves rows against, read once per run: the workspace's zone and currency,
 * its stores (by id, and by name for ERP files that name stores the way people do) and teams.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { StoreInfo } from '../datasets/types.ts';

export interface Lookups {
  workspace: { id: string; timezone: string; currency: string };
  stores: Map<string, StoreInfo>;
  storesByName: Map<string, StoreInfo>;
  teams: Set<string>;
  /** Finds a store by id, else by its name (case-insensitive). */
  store(text: string): StoreInfo | undefined;
}

export async function loadLookups(database: Pick<Database, 'query'>, workspaceId: string): Promise<Lookups> {
  const [ws] = await database.query<{ id: string; timezone: string; currency: string }>(
    sql`select id, timezone, trim(currency) as currency from workspaces where id = ${workspaceId}`,
  );
  if (!ws) throw new AppError('not_found', `no workspace "${workspaceId.slice(0, 64)}"`, { field: 'workspace' });
  const rows = await database.query<{ id: string; name: string; currency: string; timezone: string; platform: string; team_id: string | null; prices_include_tax: boolean; tax_rate: string | null }>(
    sql`select id, name, trim(currency) as currency, timezone, platform, team_id, prices_include_tax, tax_rate::text as tax_rate from stores where workspace_id = ${workspaceId}`,
  );
  const stores = new Map<string, StoreInfo>();
  const storesByName = new Map<string, StoreInfo>();
  for (const r of rows) {
    const info: StoreInfo = { id: r.id, name: r.name, currency: r.currency, timezone: r.timezone, platform: r.platform, teamId: r.team_id, pricesIncludeTax: r.prices_include_tax, taxRate: r.tax_rate };
    stores.set(r.id, info);
    storesByName.set(r.name.toLowerCase(), info);
  }
  const teams = new Set((await database.query<{ id: string }>(sql`select id from teams where workspace_id = ${workspaceId}`)).map((t) => t.id));
  return {
    workspace: ws,
    stores,
    storesByName,
    teams,
    store: (text) => stores.get(text) ?? storesByName.get(text.toLowerCase()),
  };
}
