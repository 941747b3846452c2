/**
 * Answers one KPI request in a chat: rate limit → who sees what (dm-split.ts) → queryKpi per
 * part → card (card.ts) with chart and buttons → reply, plus a DM with the restricted part. A
 * query slower than `slowAfterMs` first gets "working on it", replaced in place by the answer
 * where the platform can edit messages. Numbers come from queryKpi exactly as `/api/v1/kpi`.
 */
import type { Principal } from '../../../access/types.ts';
import { metricById } from '../../../kpi/catalogue/index.ts';
import { PeriodError } from '../../../kpi/periods.ts';
import { KpiError, queryKpi, type KpiResult } from '../../../kpi/query.ts';
import type { ScoreLookup } from '../../../kpi/score-lookup.ts';
import type { MetricDef } from '../../../kpi/types.ts';
import type { Database } from '../../../db/client.ts';
import { card, text, type OutboundMessage } from '../../card.ts';
import type { BotContext } from '../../context.ts';
import type { FeatureDeps } from '../../feature.ts';
import type { Bilingual, Locale } from '../../language.ts';
import { takeToken, type BucketSpec } from '../../outbox/rate-limit.ts';
import type { Sent } from '../../reply.ts';
import { buildQueryHint, notPermitted, slowDown } from '../hints.ts';
import { buildAnswerCard, rankedRows } from './card.ts';
import { chartPart } from './chart.ts';
import { splitAnswer, type AnswerPart } from './dm-split.ts';
import { drillButtons } from './drill.ts';
import { metricLabel, periodLine, provisionalMarkTexts } from './labels.ts';
import { isOneDay, type KpiRequest } from './request.ts';

/** What an annotator adds to an answer: marks after headline values, and note lines. */
export interface KpiAnnotation {
  /** Per metric id, e.g. a RAG word vs the matching goal, or "provisional" on fresh ad data. */
  marks?: Record<string, string>;
  notes?: string[];
}

export interface KpiAnnotateInput {
  database: FeatureDeps['database'];
  workspaceId: string;
  /** Whose view the answer is (the group audience or the asker); annotators must respect it. */
  principal: Principal;
  request: KpiRequest;
  result: KpiResult;
  locale: Locale;
}

/**
 * The seam for goals (RAG vs goal) and data freshness (provisional marks): each annotator looks
 * at the finished result and returns marks and notes; the card shows them. None are built in.
 */
export type KpiAnnotator = (input: KpiAnnotateInput) => Promise<KpiAnnotation>;

export interface KpiOptions {
  /** Per-user bucket for expensive questions (KPI, chart, drill). */
  rate: BucketSpec;
  /** After this long, "working on it" goes out first (0: always). */
  slowAfterMs: number;
  annotate: readonly KpiAnnotator[];
  /** "Now" for periods (tests pin it to get stores on different days). */
  clock: () => Date;
  /** Answers `kpi_score` (the Scores feature's lookup, with its privacy rules); absent → not_available. */
  scores?: (database: Database) => ScoreLookup;
}

/** 10 questions per minute per user, all 10 at once if they like. */
export const DEFAULT_KPI_OPTIONS: KpiOptions = {
  rate: { ratePerSecond: 10 / 60, burst: 10 },
  slowAfterMs: 1500,
  annotate: [],
  clock: () => new Date(),
};

const MISSING_WORDS: Record<string, Bilingual> = {
  no_data: { en: 'no data', 'zh-CN': '暂无数据' },
  not_reported: { en: 'not reported by the source', 'zh-CN': '数据源未提供' },
  zero_denominator: { en: 'nothing to divide by', 'zh-CN': '分母为零' },
  fx_missing: { en: 'some exchange rates are missing', 'zh-CN': '部分汇率缺失' },
  not_applicable: { en: 'not available at this grouping', 'zh-CN': '该维度下不适用' },
  not_available: { en: 'not computed yet', 'zh-CN': '暂未计算' },
};

type Built = { message: OutboundMessage };

/** The `prev` comparison of a result, as the answer itself (the "previous period" button, `sh`). */
function previousAsResult(r: KpiResult): KpiResult {
  const c = r.compare!;
  return { period: { id: `custom:${c.from}..${c.to}`, from: c.from, to: c.to, partial: false }, currency: r.currency, total: c.total, rows: c.rows, ...(r.missing ? { missing: r.missing } : {}), ...(r.fx ? { fx: r.fx } : {}) };
}

async function buildPart(deps: FeatureDeps, opts: KpiOptions, ctx: BotContext, req: KpiRequest, part: AnswerPart, notes: string[]): Promise<Built> {
  const oneDayAsked = isOneDay(req.p);
  const g = req.g ?? (oneDayAsked ? undefined : 'day');
  const asked = await queryKpi(deps.database, {
    workspaceId: ctx.workspace.id,
    metrics: part.defs.map((d) => d.id),
    period: req.p,
    compare: req.sh ? 'prev' : req.c,
    groupBy: g,
    filters: part.filters,
    currency: req.cur,
    principal: part.principal,
    now: opts.clock(),
    ...(opts.scores ? { scores: opts.scores(deps.database) } : {}),
  });
  const result = req.sh ? previousAsResult(asked) : asked;
  const ranges = result.period.storeDays ? Object.values(result.period.storeDays) : [result.period];
  const oneDay = ranges.every((r) => r.from === r.to);
  const locale = ctx.locale;
  const first = part.defs.find((d) => typeof result.total[d.id] === 'number') ?? part.defs[0]!;
  const grouped = Boolean(req.g && !['day', 'week', 'month'].includes(req.g));
  const chart = !oneDay && !req.off ? await chartPart(deps.charts, first, result, locale, g ?? 'day') : undefined;
  const annotations = await Promise.all(opts.annotate.map((a) => a({ database: deps.database, workspaceId: ctx.workspace.id, principal: part.principal, request: req, result, locale })));
  const marks: Record<string, string> = {};
  for (const a of annotations) for (const [id, m] of Object.entries(a.marks ?? {})) marks[id] = marks[id] ? `${marks[id]} ${m}` : m;
  const extra = [...notes, ...annotations.flatMap((a) => a.notes ?? [])];
  const late = provisionalMarkTexts(result, part.defs, locale);
  for (const [id, m] of Object.entries(late.marks)) marks[id] = marks[id] ? `${marks[id]} ${m}` : m;
  if (late.note) extra.push(late.note);
  for (const d of part.defs) {
    const why = result.missing?.[d.id];
    if (why && MISSING_WORDS[why]) extra.push(`${metricLabel(d, locale)}: ${ctx.t(MISSING_WORDS[why])}`);
  }
  if (result.period.fellBack) extra.push(ctx.t({ en: 'No complete day in this period yet; showing the previous one.', 'zh-CN': '本期尚无完整数据，显示上一期。' }));
  if (result.period.partial) extra.push(ctx.t({ en: 'Includes days that are not complete yet.', 'zh-CN': '含尚未结束的日期。' }));
  if (result.fx?.stale) extra.push(ctx.t({ en: 'Some exchange rates may be out of date.', 'zh-CN': '部分汇率可能不是最新。' }));
  const rateDay = result.fx?.latestRateDay;
  if (rateDay) extra.push(ctx.t({ en: `Converted to ${result.currency} at each day's rate (latest rate: ${rateDay}).`, 'zh-CN': `已按每日汇率折算为 ${result.currency}（最新汇率日期 ${rateDay}）。` }));
  const top = grouped ? rankedRows(req, result, first).slice(0, 2).map((r) => String(r[req.g!])) : [];
  const message: OutboundMessage = {
    kind: 'card',
    card: buildAnswerCard({
      req: { ...req, l: locale },
      result,
      defs: part.defs,
      locale,
      periodLine: await periodLine(deps.database, ctx.workspace.id, result, locale),
      ...(chart ? { chart } : {}),
      buttons: req.off ? [] : drillButtons({ ...req, l: locale }, result, locale, top),
      notes: extra,
      marks,
      limits: { maxTextLength: ctx.capabilities.maxTextLength, maxButtons: ctx.capabilities.buttons ? ctx.capabilities.maxButtons : 0 },
    }),
  };
  return { message };
}

const names = (defs: MetricDef[], locale: Locale) => defs.map((d) => metricLabel(d, locale)).join(locale === 'en' ? ', ' : '、');

type Outcome = { ok: true; messages: OutboundMessage[] } | { ok: false; err: unknown };

/** Waits for `work`, saying "working on it" first when it takes longer than `ms`. */
async function withPatience(ctx: BotContext, ms: number, work: Promise<Outcome>): Promise<{ outcome: Outcome; working?: Sent }> {
  if (ms > 0) {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), ms)));
    const first = await Promise.race([work, slow]);
    clearTimeout(timer);
    if (first !== 'slow') return { outcome: first };
  }
  const working = await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'Working on it…', 'zh-CN': '正在查询…' }) });
  return { outcome: await work, ...(working ? { working } : {}) };
}

/** Answers `req` for the asker in this chat. `notes` are extra lines for the answer (e.g. the 转化率 rule). */
export async function answerKpi(deps: FeatureDeps, opts: KpiOptions, ctx: BotContext, req: KpiRequest, notes: string[] = []): Promise<void> {
  const e = ctx.event;
  const bucket = await takeToken(deps.database, `kpi:${e.platform}:${e.conversation.tenantKey}:${e.user.id}`, opts.rate);
  if (!bucket.ok) {
    await ctx.reply({ kind: 'card', card: slowDown(ctx, bucket.waitMs) });
    return;
  }
  const defs = req.m.map((id) => metricById(id, ctx.workspace.id)).filter((d): d is MetricDef => d !== undefined);
  const plan = splitAnswer(defs, req, ctx.chat.kind, ctx.asker, ctx.audience);
  if (!plan.here && !plan.dm) {
    await ctx.reply({ kind: 'card', card: plan.outOfScope ? outOfScopeCard(ctx) : notPermitted(ctx) });
    return;
  }
  const sentDm = plan.dm && ctx.t({ en: `Sent you a DM with ${names(plan.dm.defs, 'en')}.`, 'zh-CN': `已私信你：${names(plan.dm.defs, 'zh-CN')}` });
  const hereNotes = [...notes];
  if (plan.hidden.length) hereNotes.push(ctx.t({ en: `Not shown for your role: ${names(plan.hidden, 'en')}`, 'zh-CN': `你的角色无权查看：${names(plan.hidden, 'zh-CN')}` }));
  if (sentDm) hereNotes.push(sentDm);
  if (ctx.chat.kind === 'group' && plan.here && JSON.stringify(plan.here.filters) !== JSON.stringify(req.f ?? {})) {
    hereNotes.push(ctx.t({ en: 'Only your own stores.', 'zh-CN': '仅含你负责的店铺。' }));
  }
  const work: Promise<Outcome> = (async () => {
    const here = plan.here ? (await buildPart(deps, opts, ctx, req, plan.here, hereNotes)).message : undefined;
    const dm = plan.dm ? (await buildPart(deps, opts, ctx, req, plan.dm, notes)).message : undefined;
    return { ok: true as const, messages: [here ?? { kind: 'text' as const, markdown: sentDm! }, ...(dm ? [dm] : [])] };
  })().catch((err: unknown) => ({ ok: false as const, err }));
  const { outcome, working } = await withPatience(ctx, opts.slowAfterMs, work);
  let hereMessage: OutboundMessage;
  if (outcome.ok) {
    const [here, dm] = outcome.messages;
    // The DM goes first, so "sent you a DM" is already true when the group reads it.
    if (dm) await ctx.dm(dm);
    hereMessage = here!;
  } else {
    const err = outcome.err;
    if (!(err instanceof KpiError) && !(err instanceof PeriodError)) throw err;
    hereMessage = { kind: 'card', card: buildQueryHint(ctx, err instanceof KpiError ? err.field : 'period', err instanceof KpiError ? err.suggestion : undefined) };
  }
  if (working && ctx.capabilities.updateInPlace) await ctx.update(working, hereMessage);
  else await ctx.reply(hereMessage);
}

function outOfScopeCard(ctx: BotContext) {
  return card({
    title: ctx.t({ en: 'Outside your scope', 'zh-CN': '超出范围' }),
    tone: 'warning',
    blocks: [text(ctx.t({ en: 'None of the stores asked about are yours, so there is nothing to show here.', 'zh-CN': '所问的店铺都不在你的负责范围内，这里没有可显示的数据。' }))],
  });
}
