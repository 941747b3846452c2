/**
 * "When the feed is stale for > 3 days, an admin alert" (issue #32). Checked after every FX feed
 * run, failed ones included: the newest rate the feed wrote (source `ecb`) older than 3 calendar
 * days before today (UTC; ECB days are CET working days, so a normal weekend is 3 days at most)
 * raises one live alert; a fresh rate resolves it. A feed that never delivered counts from the day
 * its connector was created.
 */
import { sql } from 'drizzle-orm';
import { addDays, daysBetween, localDate } from '../../../kpi/dates.ts';
import { raiseAdminAlert, resolveAdminAlert, type AlertDeps } from '../admin-alert.ts';
import { ECB_SOURCE } from './index.ts';

export const FX_FEED_STALE_DAYS = 3;
export const FX_STALE_SCOPE = 'fx:feed:stale';

export async function checkFxFeedFreshness(deps: AlertDeps, workspaceId: string, now: Date): Promise<{ latest: string | null; stale: boolean }> {
  const [row] = await deps.database.query<{ latest: string | null; since: string | null }>(sql`select
      (select max(date)::text from fx_rates where workspace_id = ${workspaceId} and source = ${ECB_SOURCE}) as latest,
      (select min(created_at)::date::text from connectors where workspace_id = ${workspaceId} and kind = 'fx_feed') as since`);
  const today = localDate('UTC', now);
  const latest = row?.latest ?? null;
  const reference = latest ?? row?.since ?? null;
  if (!reference) return { latest, stale: false };
  const age = daysBetween(reference, today);
  if (age <= FX_FEED_STALE_DAYS) {
    await resolveAdminAlert(deps.database, workspaceId, FX_STALE_SCOPE);
    return { latest, stale: false };
  }
  const last = latest ? { en: `the newest rate is from ${latest} (${age} days ago)`, zh: `最新汇率日期为 ${latest}（${age} 天前）` } : { en: `no rate since ${reference}`, zh: `自 ${reference} 起没有汇率` };
  await raiseAdminAlert(deps, {
    workspaceId, scopeKey: FX_STALE_SCOPE, severity: 'warning',
    title: { en: `FX feed stale: ${last.en}`, 'zh-CN': `汇率源已过期：${last.zh}` },
    body: {
      en: `Money converted across currencies falls back to rates up to 7 days old, then shows no value (after ${latest ? addDays(latest, 7) : 'now'}). Check the fx_feed connector (kpibot connectors test) or import rates by hand (dataset fx).`,
      'zh-CN': `跨币种换算会沿用最多 7 天前的汇率，之后不再显示数值（${latest ? addDays(latest, 7) : '现在'} 之后）。请检查汇率连接器（kpibot connectors test）或手动导入汇率（fx 数据集）。`,
    },
    details: { kind: 'fx_feed_stale', latest, days: age },
  });
  return { latest, stale: true };
}
