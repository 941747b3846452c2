/**
 * Arguments of the insight commands: a window (`14d`, `近30天`, `yesterday`), scopes
 * (`store:us-main`, `店铺:美国主店`, `team:amazon-us`, `site:US` …) resolved to the stores they
 * cover, a metric word for `anomalies` (`gmv`, `广告费`), and `all` for `补货`. Anything else is
 * named back to the asker with the examples.
 */
import type { BotContext } from '../../bot/context.ts';
import { parseScopeToken, periodFromToken } from '../../bot/parse/index.ts';
import type { ScopeRef } from '../../bot/parse/types.ts';
import { METRIC_WORDS } from '../../bot/parse/vocab-metrics.ts';
import { resolveScopes } from '../../bot/resolve.ts';
import type { Database } from '../../db/client.ts';
import { loadStores } from '../../kpi/store-ranges.ts';

/** Scopes a store list can answer; SKU, campaign and owner scopes are for KPI questions. */
const STORE_DIMS = new Set(['store', 'team', 'platform', 'marketplace', 'region', 'channel']);

export interface InsightArgs {
  days?: number;
  /** undefined: every store the chat may see. */
  storeIds?: string[];
  /** Labels of the scopes asked, for the card title. */
  scopeLabel?: string;
  metric?: string;
  all: boolean;
}

export type ParsedArgs = { ok: true; args: InsightArgs } | { ok: false; problem: { en: string; 'zh-CN': string } };

const ALL_WORDS = new Set(['all', '全部', '所有']);

export function metricOf(word: string): string | undefined {
  const w = word.normalize('NFKC').trim().toLowerCase();
  return METRIC_WORDS.find(([x]) => x.toLowerCase() === w)?.[1];
}

export async function parseInsightArgs(database: Database, ctx: BotContext, words: readonly string[], o: { metric?: boolean; now: Date }): Promise<ParsedArgs> {
  const scopes: ScopeRef[] = [];
  const out: InsightArgs = { all: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.slice(0, 200);
    const scope = parseScopeToken(w);
    if (scope) {
      if (!STORE_DIMS.has(scope.dim)) return { ok: false, problem: { en: `"${w.slice(0, 40)}" is not a store, team or site scope.`, 'zh-CN': `“${w.slice(0, 40)}”不是店铺、团队或站点范围。` } };
      scopes.push(scope);
      continue;
    }
    if (ALL_WORDS.has(w.toLowerCase())) {
      out.all = true;
      continue;
    }
    const period = periodFromToken(w, o.now, ctx.chat.timezone);
    if (period?.period) {
      const m = /^last_(\d+)d$/.exec(period.period);
      if (m) out.days = Number(m[1]);
      else if (period.period === 'yesterday') out.days = 1;
      else return { ok: false, problem: { en: `Give the window as a number of days, e.g. 14d (not "${w.slice(0, 40)}").`, 'zh-CN': `请用天数写时间窗口，例如 14天（不是“${w.slice(0, 40)}”）。` } };
      continue;
    }
    if (period?.bad) return { ok: false, problem: { en: `"${w.slice(0, 40)}" is not a usable window.`, 'zh-CN': `“${w.slice(0, 40)}”不是可用的时间窗口。` } };
    // Metric names of two words (`ad spend`, `net profit`) arrive as two tokens.
    const two = o.metric && i + 1 < words.length ? metricOf(`${w} ${words[i + 1]!.slice(0, 200)}`) : undefined;
    const metric = o.metric ? (two ?? metricOf(w)) : undefined;
    if (metric && !out.metric) {
      out.metric = metric;
      if (two) i++;
      continue;
    }
    return { ok: false, problem: { en: `"${w.slice(0, 40)}" is not understood here.`, 'zh-CN': `看不懂“${w.slice(0, 40)}”。` } };
  }
  if (scopes.length) {
    const r = await resolveScopes(database, ctx.workspace.id, scopes, { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey });
    if (!r.ok) {
      const hint = r.suggestions.length ? ` (${r.suggestions.join(', ')}?)` : '';
      return { ok: false, problem: { en: `No ${r.scope.dim} "${r.scope.text.slice(0, 40)}"${hint}.`, 'zh-CN': `找不到“${r.scope.text.slice(0, 40)}”${hint}。` } };
    }
    const { stores } = await loadStores(database, ctx.workspace.id, r.filters);
    out.storeIds = stores.map((s) => s.id);
    out.scopeLabel = r.labels.map((l) => l.label).join(', ');
    if (!out.storeIds.length) return { ok: false, problem: { en: 'That scope has no stores.', 'zh-CN': '该范围下没有店铺。' } };
  }
  return { ok: true, args: out };
}
