/**
 * A parsed question (KpiAsk) made into a request the engine can run: names resolved to ids
 * (resolve.ts; an unknown store is a hint, never an empty answer), the default comparison
 * (`prev` for periods of several days), and the glossary's 转化率 rule: on Amazon stores a bare
 * 转化率 / conversion means unit session percentage; over both kinds of store both are shown.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import type { Filters } from '../../../kpi/dimensions.ts';
import type { Card } from '../../card.ts';
import type { BotContext } from '../../context.ts';
import type { Bilingual } from '../../language.ts';
import type { KpiAsk } from '../../parse/types.ts';
import { resolveScopes } from '../../resolve.ts';
import { buildScopeHint } from '../hints.ts';
import { isOneDay, type KpiRequest } from './request.ts';

export type AskOutcome = { ok: true; req: KpiRequest; notes: Bilingual[] } | { ok: false; card: Card };

/** "转化率" or "conversion" without a word that names the session rate (cvr) itself. */
export function bareConversion(text: string): boolean {
  return /转化率|conversion/i.test(text) && !/cvr|成交转化率|订单转化率|session conversion|广告转化率|内容转化率/i.test(text);
}

const STORE_COLUMNS: Partial<Record<keyof Filters, string>> = {
  store: 'id',
  team: 'team_id',
  platform: 'platform',
  marketplace: 'marketplace',
  region: 'region',
  channel: 'channel',
};

/** Platforms of the stores an answer would cover (store-level filters and the asker's own stores). */
async function platformsInScope(database: Database, ctx: BotContext, filters: Filters): Promise<Set<string>> {
  let stores = await database.query<Record<string, string | null>>(sql`
    select id, team_id, platform, marketplace, region, channel from stores where workspace_id = ${ctx.workspace.id}`);
  for (const [dim, col] of Object.entries(STORE_COLUMNS)) {
    const wanted = filters[dim as keyof Filters];
    if (wanted?.length) stores = stores.filter((s) => wanted.includes(String(s[col!])));
  }
  const p = ctx.asker;
  if (!p.scope.all && p.role !== 'member' && p.role !== 'finance' && p.scope.storeIds.length) {
    stores = stores.filter((s) => p.scope.all || (p.scope.storeIds as string[]).includes(String(s.id)));
  }
  return new Set(stores.map((s) => String(s.platform)));
}

export async function requestFromAsk(database: Database, ctx: BotContext, ask: KpiAsk, text: string): Promise<AskOutcome> {
  const resolved = await resolveScopes(database, ctx.workspace.id, ask.scopes, { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey });
  if (!resolved.ok) return { ok: false, card: buildScopeHint(ctx, resolved.scope.dim, resolved.scope.text, resolved.suggestions) };
  const filters = resolved.filters;
  const notes: Bilingual[] = [];
  // Goals answer `vs goal` as marks on the headline values (src/goals/kpi-annotator.ts), not as a
  // second column: a goal has a pace, not a comparison period.
  if (ask.compare === 'goal') {
    notes.push({ en: 'A matching goal shows its colour and pace next to the value; `goal progress` lists every goal.', 'zh-CN': '有对应目标时，数值旁显示目标灯色和进度；`goal progress` 查看全部目标。' });
  }
  let metrics = [...ask.metrics];
  if (metrics.includes('cvr') && bareConversion(text)) {
    const platforms = await platformsInScope(database, ctx, filters);
    if (platforms.size > 0 && [...platforms].every((p) => p === 'amazon')) {
      metrics = metrics.map((m) => (m === 'cvr' ? 'unit_session_pct' : m));
      notes.push({ en: 'On Amazon, conversion is the unit session percentage (units ÷ sessions), as in Seller Central.', 'zh-CN': '亚马逊店铺的转化率按 Unit Session Percentage（件数 ÷ 会话数）计算，与后台一致。' });
    } else if (platforms.has('amazon')) {
      metrics.splice(metrics.indexOf('cvr') + 1, 0, 'unit_session_pct');
      notes.push({ en: 'Amazon stores count conversion as units ÷ sessions, other platforms as orders ÷ sessions: both are shown.', 'zh-CN': '亚马逊按件数 ÷ 会话数、其他平台按订单数 ÷ 会话数计算转化率，两者都列出。' });
    }
    metrics = [...new Set(metrics)];
  }
  const req: KpiRequest = { m: metrics, p: ask.period };
  const compare = ask.compare === 'goal' ? undefined : (ask.compare ?? (isOneDay(ask.period) ? undefined : 'prev'));
  if (compare) req.c = compare;
  // A ranking needs rows: "top 5 by gmv" without a dimension ranks stores.
  if (ask.groupBy) req.g = ask.groupBy;
  else if (ask.rank) req.g = 'store';
  if (Object.keys(filters).length) req.f = filters;
  if (ask.currency) req.cur = ask.currency;
  if (ask.rank) req.r = { n: ask.rank.n, ...(ask.rank.bottom ? { b: 1 as const } : {}) };
  if (ask.chartOnly) req.o = 1;
  return { ok: true, req, notes };
}
