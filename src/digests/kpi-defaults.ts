/**
 * Which KPIs a team's digest leads with when its chat chose none (`kpis:gmv,acos` overrides).
 * The team's type comes from the platforms of its stores: an Amazon team lives on ACoS/TACoS and
 * sessions, a SEA marketplace team on orders and ROAS, a content team on content GMV and GPM,
 * a DTC shop on AOV and margin (the seed articles' 日报 examples per role). Six headline lines
 * at most; the extra ones appear behind "展开 / More".
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { metricById } from '../kpi/catalogue/index.ts';

export type TeamType = 'amazon' | 'marketplace' | 'social' | 'dtc' | 'mixed';

export const MAX_HEADLINE_KPIS = 6;

export const DEFAULT_KPIS: Record<TeamType, { headline: string[]; more: string[] }> = {
  amazon: { headline: ['gmv', 'orders', 'sessions', 'cvr', 'acos', 'tacos'], more: ['aov', 'roas', 'ad_spend', 'refund_rate', 'days_of_cover', 'net_margin'] },
  marketplace: { headline: ['gmv', 'orders', 'aov', 'cvr', 'roas', 'refund_rate'], more: ['sessions', 'acos', 'ad_spend', 'cancel_rate', 'days_of_cover', 'net_margin'] },
  social: { headline: ['gmv', 'orders', 'content_gmv_share', 'gpm', 'engagement_rate', 'roas'], more: ['aov', 'cvr', 'ad_spend', 'videos_published', 'live_hours', 'net_margin'] },
  dtc: { headline: ['gmv', 'orders', 'aov', 'cvr', 'roas', 'net_margin'], more: ['sessions', 'ad_spend', 'refund_rate', 'days_of_cover', 'contribution_profit'] },
  mixed: { headline: ['gmv', 'orders', 'aov', 'cvr', 'acos', 'tacos'], more: ['sessions', 'roas', 'ad_spend', 'refund_rate', 'days_of_cover', 'net_margin'] },
};

const PLATFORM_TYPE: Record<string, TeamType> = {
  amazon: 'amazon',
  shopee: 'marketplace',
  lazada: 'marketplace',
  walmart: 'marketplace',
  tiktok_shop: 'social',
  shopify: 'dtc',
};

/** The type most of the stores share (more than half of them), else `mixed`. */
export function teamTypeOf(platforms: readonly string[]): TeamType {
  if (platforms.length === 0) return 'mixed';
  const counts = new Map<TeamType, number>();
  for (const p of platforms) {
    const t = PLATFORM_TYPE[p] ?? 'mixed';
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const [best, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return n * 2 > platforms.length ? best : 'mixed';
}

/** Team type from the stores of the team's subtree (null team: every store of the workspace). */
export async function loadTeamType(database: Database, workspaceId: string, storeIds: readonly string[] | null): Promise<TeamType> {
  const rows = storeIds === null
    ? await database.query<{ platform: string }>(sql`select platform from stores where workspace_id = ${workspaceId}`)
    : storeIds.length
      ? await database.query<{ platform: string }>(sql`select platform from stores where workspace_id = ${workspaceId} and id in ${storeIds}`)
      : [];
  return teamTypeOf(rows.map((r) => r.platform));
}

/** Known metric ids only, without repeats, in the order given. */
export function cleanKpis(ids: readonly string[]): string[] {
  return [...new Set(ids.map((i) => i.trim().toLowerCase()))].filter((id) => metricById(id));
}
