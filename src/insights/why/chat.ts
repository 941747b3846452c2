/**
 * `why gmv 7d`, `why gmv yesterday`, `为什么 GMV 下降`: the words after `why` / `为什么` are a
 * KPI question (one metric, a period, scopes); words like 下降 / dropped only say which way it
 * went and are ignored. Without a period: the last 7 complete days vs the 7 before, the KPI
 * grammar's default period compared with the previous one.
 */
import { canSeeMetricClass } from '../../access/authorize.ts';
import { image, text, type OutboundMessage } from '../../bot/card.ts';
import { narrowToAsker } from '../../bot/commands/kpi/dm-split.ts';
import { metricById } from '../../kpi/catalogue/index.ts';
import { customMetricWords } from '../../bot/commands/kpi/custom-words.ts';
import { DEFAULT_KPI_OPTIONS } from '../../bot/commands/kpi/answer.ts';
import { buildParseHint, buildQueryHint, buildScopeHint, notPermitted, slowDown } from '../../bot/commands/hints.ts';
import type { BotContext } from '../../bot/context.ts';
import type { BotFeature, FeatureDeps } from '../../bot/feature.ts';
import { takeToken } from '../../bot/outbox/rate-limit.ts';
import { parseKpiText } from '../../bot/parse/index.ts';
import { resolveScopes } from '../../bot/resolve.ts';
import { chartFallbackTable } from '../../render/index.ts';
import { KpiError } from '../../kpi/query.ts';
import { PeriodError } from '../../kpi/periods.ts';
import { periodLine } from '../../bot/commands/kpi/labels.ts';
import { bridgeInput, buildWhyCard, noChangeCard, notExplainableCard } from './card.ts';
import { explainableIds, explainChange } from './explain.ts';

export const WHY_PERIOD = 'last_7d';
export const WHY_EXAMPLES = ['why gmv 7d', 'why gmv yesterday', '为什么 GMV 下降', 'why ad_spend 7d store:us-main', '为什么 广告费 上涨 近14天'];

/** Words that only say which way it moved. */
const DIRECTION_WORDS = /下降|下跌|降低|减少|上升|上涨|增长|增加|变化|波动|这么多|这么少|为啥|了|吗|呢|[？?]|\b(?:went|go|goes|gone|down|up|drop(?:ped|s)?|fell|fall(?:en|s)?|rise|rose|risen|move[ds]?|moved|change[ds]?|did|does|do|is|was|so|much)\b/gi;

export function whyText(text: string): string {
  return text.replace(DIRECTION_WORDS, ' ').replace(/[涨跌降]\s*$/, ' ').replace(/\s+/g, ' ').trim();
}

/** Answers a why question (`text` without the leading `why` / `为什么`). */
export async function answerWhy(deps: FeatureDeps, ctx: BotContext, raw: string, now = new Date()): Promise<void> {
  const e = ctx.event;
  const bucket = await takeToken(deps.database, `kpi:${e.platform}:${e.conversation.tenantKey}:${e.user.id}`, DEFAULT_KPI_OPTIONS.rate);
  if (!bucket.ok) return void (await ctx.reply({ kind: 'card', card: slowDown(ctx, bucket.waitMs) }));
  const words = whyText(raw);
  const parsed = parseKpiText(words || 'gmv', { now, timezone: ctx.chat.timezone, defaultPeriod: WHY_PERIOD, customMetrics: await customMetricWords(deps.database, ctx.workspace.id) });
  if (parsed.kind === 'hint') return void (await ctx.reply({ kind: 'card', card: buildParseHint(ctx, parsed, parsed.suggestions) }));
  const resolved = await resolveScopes(deps.database, ctx.workspace.id, parsed.scopes, { platform: e.platform, tenantKey: e.conversation.tenantKey });
  if (!resolved.ok) return void (await ctx.reply({ kind: 'card', card: buildScopeHint(ctx, resolved.scope.dim, resolved.scope.text, resolved.suggestions) }));
  try {
    const metric = parsed.metrics[0]!;
    const def = metricById(metric, ctx.workspace.id);
    // Who sees what, as for KPI answers (dm-split.ts): the asker's role in a DM; in a group what the
    // chat's audience may see, within the asker's own stores; a metric only the asker may see goes by DM.
    const group = ctx.chat.kind === 'group';
    if (def && !canSeeMetricClass(ctx.asker, def.class)) return void (await ctx.reply({ kind: 'card', card: notPermitted(ctx) }));
    const privately = group && def !== undefined && !canSeeMetricClass(ctx.audience, def.class);
    const filters = group && !privately ? narrowToAsker(resolved.filters, ctx.asker) : resolved.filters;
    if (!filters) return void (await ctx.reply({ kind: 'card', card: notPermitted(ctx) }));
    const a = await explainChange(deps.database, {
      workspaceId: ctx.workspace.id,
      metric,
      period: parsed.period,
      compare: parsed.compare && parsed.compare !== 'goal' ? parsed.compare : 'prev',
      ...(Object.keys(filters).length ? { filters } : {}),
      principal: group && !privately ? ctx.audience : ctx.asker,
      now,
      ...(parsed.currency ? { currency: parsed.currency } : {}),
    });
    const send = async (message: OutboundMessage) => {
      if (!privately) return void (await ctx.reply(message));
      await ctx.dm(message);
      await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'Sent you a DM with the answer.', 'zh-CN': '已私信你答案。' }) });
    };
    if (a.change === null) return void (await send({ kind: 'card', card: noChangeCard(a, ctx.locale) }));
    const input = bridgeInput(a, ctx.locale);
    let chart;
    let fallback: string | undefined;
    if (input) {
      fallback = chartFallbackTable(input);
      const r = await deps.charts.render(input);
      chart = r.ok ? image({ png: r.png }, r.alt, r.width, r.height) : text(fallback);
    }
    const result = { period: { ...a.period, partial: false, ...(a.storeDays ? { storeDays: a.storeDays } : {}) }, currency: a.currency, total: {}, rows: [] };
    const dates = await periodLine(deps.database, ctx.workspace.id, result, ctx.locale);
    await send({ kind: 'card', card: buildWhyCard(a, ctx.locale, dates, chart, chart?.type === 'image' ? fallback : undefined) });
  } catch (err) {
    if (err instanceof KpiError && err.field === 'why') return void (await ctx.reply({ kind: 'card', card: notExplainableCard(err.suggestion ?? '', explainableIds(), ctx.locale) }));
    if (err instanceof KpiError) return void (await ctx.reply({ kind: 'card', card: buildQueryHint(ctx, err.field, err.suggestion) }));
    if (err instanceof PeriodError) return void (await ctx.reply({ kind: 'card', card: buildQueryHint(ctx, 'period') }));
    throw err;
  }
}

export const whyFeature: BotFeature = {
  name: 'why',
  register({ commands }, deps) {
    commands.register({
      name: 'why',
      aliases: ['为什么', '为何'],
      summary: { en: 'why a metric moved: drivers, stores and SKUs behind the change', 'zh-CN': '指标为什么变化：驱动因素、店铺和 SKU 贡献' },
      usage: 'why <metric> [period] [store:<id>]',
      examples: WHY_EXAMPLES,
      permission: (p) => canSeeMetricClass(p, 'sales'),
      run: (ctx, args) => answerWhy(deps, ctx, args.join(' ')),
    });
  },
};
