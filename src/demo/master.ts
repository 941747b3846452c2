/**
 * Master data of the demo for a window: the organisation, stores, categories, warehouses, the
 * SKUs on sale in the window (core range plus launches), campaigns and ad groups, creators and
 * content items. Launch SKUs, their ad groups and content items depend on the window; the rest
 * is fixed. Roll-forward inserts the rows of the new days and skips the ones already there.
 */
import { CAMPAIGNS, CORE_AD_GROUPS, campaignBudget, launchAdGroup } from './ads-catalog.ts';
import { contentItemRows, creatorRows } from './content-facts.ts';
import { dayOf, fromDay, toDay } from './dates.ts';
import { onSaleIndex } from './generate.ts';
import { listingsBetween, type Listing } from './listings.ts';
import { orgRows } from './org.ts';
import { categoryRows, WAREHOUSES } from './products.ts';
import { streamFor } from './random.ts';
import type { Row } from './sales-facts.ts';
import { storeById, storeRows } from './stores.ts';

/** Launch date of a core SKU: some day between its store's opening and mid-2023. */
function coreLaunchDate(seed: number, l: Listing): string {
  const opened = toDay(storeById(l.store).openedOn);
  const latest = Math.max(opened + 30, dayOf(2023, 6, 30));
  return fromDay(streamFor(seed, `sku:${l.sku}`).int(opened, latest, 0, 1));
}

function skuRows(ws: string, seed: number, listings: Listing[]): Row[] {
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const l of listings) {
    if (seen.has(l.sku)) continue;
    seen.add(l.sku);
    rows.push({
      workspace_id: ws, id: l.sku, store_id: l.store, parent_id: l.parent, name: l.name, category_id: l.category,
      launch_date: l.launch === null ? coreLaunchDate(seed, l) : fromDay(l.launch),
      // Outlet stock and the overstocked Christmas lights are being cleared; others follow their launch date.
      lifecycle_stage: l.store === 'us-outlet' || l.role === 'slow' ? 'clearance' : null,
      lead_time_days: l.role === 'lowcover' ? 12 : l.wh.leadTimeDays, target_cover_days: l.wh.targetCoverDays,
      unit_cost: l.unitCost.toFixed(l.st.decimals), currency: l.st.currency,
    });
  }
  return rows;
}

/** Table name → rows, in an order that satisfies the foreign keys. */
export function masterRows(ws: string, seed: number, fromIso: string, toIso: string): [string, Row[]][] {
  const from = toDay(fromIso);
  const to = toDay(toIso);
  const org = orgRows(ws);
  const listings = listingsBetween(seed, from - 30, to);
  const launched = listings.filter((l) => l.slot !== null);
  const onSale = onSaleIndex(seed, from, to);
  return [
    ['marketplaces', org.marketplaces!],
    ['teams', org.teams!],
    ['users', org.users!],
    ['role_assignments', org.role_assignments!],
    ['ownership', org.ownership!],
    ['platform_tenants', org.platform_tenants!],
    ['chats', org.chats!],
    ['chat_identities', org.chat_identities!],
    ['subscriptions', org.subscriptions!],
    ['stores', storeRows(ws)],
    ['categories', categoryRows(ws)],
    ['warehouses', WAREHOUSES.map((w) => ({ workspace_id: ws, id: w.id, name: w.name, type: w.type, store_id: w.storeId, capacity_m3: w.capacityM3.toFixed(3) }))],
    ['skus', skuRows(ws, seed, listings)],
    ['campaigns', CAMPAIGNS.map((c) => {
      const st = storeById(c.store);
      return {
        workspace_id: ws, id: c.id, ad_platform: c.adPlatform, store_id: c.store, name: c.name, status: 'enabled',
        budget: campaignBudget(c, st).toFixed(st.decimals), budget_period: 'daily', currency: st.currency,
      };
    })],
    ['ad_groups', [...CORE_AD_GROUPS, ...launched.map(launchAdGroup)].map((g) => ({
      workspace_id: ws, id: g.id, campaign_id: g.campaign.id, ad_platform: g.campaign.adPlatform, store_id: g.campaign.store,
      name: g.name, status: 'enabled',
    }))],
    ['creators', creatorRows(ws)],
    ['content_items', contentItemRows(ws, seed, from, to, (d) => onSale('tiktok-us', d))],
  ];
}
