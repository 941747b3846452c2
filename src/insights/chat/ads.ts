/**
 * `ads tags [14d] [store:us-main]` (`广告标签 …`): the ad tags of the chat's stores as one card, each
 * line with the rule that fired and its numbers, and a "已处理 / Done" button that records the
 * action and updates the card in place. Without a scope: every store the chat may see.
 */
import { actions, button, card, note, text, type Button, type CardBlock } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { Database } from '../../db/client.ts';
import { notDone, notUnderstood } from '../../digests/chat/common.ts';
import { recordInsightAction } from '../ad-tags/actions.ts';
import { adTagsFor, MAX_TAG_WINDOW, type AdTagLine, type AdTagsResult } from '../ad-tags/load.ts';
import type { AdTag, AdTagKind } from '../ad-tags/rules.ts';
import { parseInsightArgs } from './args.ts';
import { actorLabel, dayText, decodeValue, encodeValue, inLocale, money, pct, replaceClicked, windowWords, zText, scopeWords } from './common.ts';

export const AD_DONE_ACTION = 'insights.ad_done';
export const ADS_EXAMPLES = ['ads tags', 'ads tags store:us-main', 'ads tags 30d store:us-main', '广告标签 近14天 店铺:us-main'];
const DEFAULT_DAYS = 14;
const MAX_LINES = 10;

const TAG_NAMES: Record<AdTagKind, { en: string; 'zh-CN': string }> = {
  negate: { en: '否定/关停 Negate or pause', 'zh-CN': '否定/关停' },
  lower_bid: { en: '降竞价 Lower bids', 'zh-CN': '降竞价' },
  raise_budget: { en: '加预算 Raise budget', 'zh-CN': '加预算' },
  spend_spike: { en: '花费突增 Spend spike', 'zh-CN': '花费突增' },
};

function ruleText(ctx: BotContext, tag: AdTag, days: number, currency: string): string {
  switch (tag.kind) {
    case 'negate':
      return ctx.t({ en: `${tag.clicks} clicks ≥ ${tag.minClicks} and 0 orders in ${days} d`, 'zh-CN': `${days}天 ${tag.clicks} 次点击 ≥ ${tag.minClicks}，0 单` });
    case 'lower_bid':
      return ctx.t({ en: `ACoS ${pct(tag.acos)} > break-even ACoS ${pct(tag.breakEven)}`, 'zh-CN': `ACoS ${pct(tag.acos)} > 盈亏平衡ACoS ${pct(tag.breakEven)}` });
    case 'raise_budget':
      return ctx.t({
        en: `ROAS ${tag.roas.toFixed(2)}× > target ${tag.targetRoas.toFixed(2)}×, budget capped on ${tag.cappedDays}/${tag.spendDays} days`,
        'zh-CN': `ROAS ${tag.roas.toFixed(2)}× > 目标 ${tag.targetRoas.toFixed(2)}×，${tag.spendDays} 天中 ${tag.cappedDays} 天预算花完`,
      });
    case 'spend_spike':
      return ctx.t({
        en: `${dayText(ctx, tag.date)} spend ${money(ctx, tag.value, currency)} vs same-weekday median ${money(ctx, tag.median, currency)} (z ${zText(tag.score)})`,
        'zh-CN': `${dayText(ctx, tag.date)} 花费 ${money(ctx, tag.value, currency)}，同星期中位数 ${money(ctx, tag.median, currency)}（z ${zText(tag.score)}）`,
      });
  }
}

/** Spend spikes are in the campaign's own currency; everything else in the reporting currency. */
function lineText(ctx: BotContext, r: AdTagsResult, l: AdTagLine, i: number, days: number, storeCurrency: Map<string, string>): string {
  const where = l.level === 'ad_group' ? `${l.campaignName} › ${l.name}` : l.campaignName;
  const rule = ruleText(ctx, l.tag, days, storeCurrency.get(l.storeId) ?? r.currency);
  const spend = l.spend === null ? '' : ctx.t({ en: ` · spend ${money(ctx, l.spend, r.currency)}`, 'zh-CN': ` · 花费 ${money(ctx, l.spend, r.currency)}` });
  const done = l.done ? ctx.t({ en: ` · ✓ done by ${l.done.by} ${dayText(ctx, l.done.day)}`, 'zh-CN': ` · ✓ ${l.done.by} 已处理 ${dayText(ctx, l.done.day)}` }) : '';
  return `${i}. **${ctx.t(TAG_NAMES[l.tag.kind])}** ${l.storeId} · ${where}\n${rule}${spend}${done}`;
}

export function adTagsCard(ctx: BotContext, r: AdTagsResult, days: number, words: string[], scopeLabel?: string) {
  const title = `${ctx.t({ en: 'Ad tags', 'zh-CN': '广告优化建议' })} · ${scopeWords(ctx, scopeLabel)} · ${windowWords(ctx, days)}`;
  const blocks: CardBlock[] = [];
  const storeCurrency = new Map(r.stores.map((s) => [s.id, s.currency]));
  const max = Math.min(MAX_LINES, ctx.capabilities.maxButtons || MAX_LINES);
  const shown = r.lines.slice(0, max);
  if (!shown.length) blocks.push(text(ctx.t({ en: 'No tags: no ad group or campaign meets a rule.', 'zh-CN': '没有需要处理的广告组或广告活动。' })));
  shown.forEach((l, n) => {
    blocks.push(text(lineText(ctx, r, l, n + 1, days, storeCurrency)));
    if (!l.done && ctx.capabilities.buttons) {
      const b: Button = button(AD_DONE_ACTION, `${ctx.t({ en: 'Done', 'zh-CN': '已处理' })} ${n + 1}`, encodeValue({ a: words, k: l.key, t: l.tag.kind, l: ctx.locale }));
      blocks.push(actions(b));
    }
  });
  if (r.lines.length > shown.length) {
    blocks.push(text(ctx.t({ en: `…and ${r.lines.length - shown.length} more (largest spend first). Narrow with store:<id>.`, 'zh-CN': `……还有 ${r.lines.length - shown.length} 条（按花费排序），可加 店铺:<id> 缩小范围。` })));
  }
  const s = r.settings;
  const notes = [
    ctx.t({
      en: `Rules: 否定/关停 ≥ ${s.adTagMinClicks} clicks and 0 orders · 降竞价 ACoS > break-even ACoS · 加预算 ROAS > ${s.adTargetRoas}× with budget capped on ≥ ${Math.round(s.adBudgetCappedDays * 100)} % of days · 花费突增 spend ≥ ${s.adSpikeMinRatio}× same-weekday median and |z| ≥ ${s.anomalyZ}.`,
      'zh-CN': `规则：否定/关停 = 点击 ≥ ${s.adTagMinClicks} 且 0 单 · 降竞价 = ACoS 高于盈亏平衡ACoS · 加预算 = ROAS > ${s.adTargetRoas}× 且 ≥ ${Math.round(s.adBudgetCappedDays * 100)} % 的天数预算花完 · 花费突增 = 花费 ≥ 同星期中位数 ${s.adSpikeMinRatio} 倍且 |z| ≥ ${s.anomalyZ}。`,
    }),
  ];
  if (r.budgetUnknown.length) {
    notes.push(ctx.t({ en: `加预算 not decidable for ${r.budgetUnknown.length} campaign(s) without a daily budget.`, 'zh-CN': `${r.budgetUnknown.length} 个广告活动没有日预算，无法判断加预算。` }));
  }
  if (r.breakEvenUnknown.length) {
    notes.push(ctx.t({ en: `降竞价 not decidable where break-even ACoS is unknown or not visible here: ${r.breakEvenUnknown.join(', ')}.`, 'zh-CN': `以下店铺的盈亏平衡ACoS未知或无权查看，无法判断降竞价：${r.breakEvenUnknown.join('、')}。` }));
  }
  notes.push(ctx.t({ en: 'Data has campaigns and ad groups; keyword-level data is not imported.', 'zh-CN': '数据到广告活动和广告组，未导入关键词级数据。' }));
  blocks.push(note(notes.join(' ')));
  return card({ title, tone: r.lines.some((l) => !l.done) ? 'warning' : 'success', blocks });
}

/** The tags the words ask for, at the chat's audience level; null after answering a problem. */
async function load(database: Database, ctx: BotContext, words: string[], now: Date) {
  const rest = words[0] && /^(tags|tag|标签)$/i.test(words[0]) ? words.slice(1) : words;
  const parsed = await parseInsightArgs(database, ctx, rest, { now });
  if (!parsed.ok) {
    await notUnderstood(ctx, parsed.problem, ADS_EXAMPLES);
    return null;
  }
  const days = parsed.args.days ?? DEFAULT_DAYS;
  if (days > MAX_TAG_WINDOW) {
    await notUnderstood(ctx, { en: `Ad tags look back at most ${MAX_TAG_WINDOW} days.`, 'zh-CN': `广告标签最多回看 ${MAX_TAG_WINDOW} 天。` }, ADS_EXAMPLES);
    return null;
  }
  const r = await adTagsFor(database, { workspaceId: ctx.workspace.id, days, principal: ctx.audience, now, ...(parsed.args.storeIds ? { storeIds: parsed.args.storeIds } : {}) });
  if (!r.stores.length) {
    await notDone(ctx, { en: 'This chat may not see those stores.', 'zh-CN': '本群无权查看这些店铺。' });
    return null;
  }
  return { r, days, label: parsed.args.scopeLabel };
}

export async function adsTags(database: Database, ctx: BotContext, words: string[], now: Date): Promise<void> {
  const x = await load(database, ctx, words, now);
  if (x) await ctx.reply({ kind: 'card', card: adTagsCard(ctx, x.r, x.days, words, x.label) });
}

/**
 * "已处理 / Done": the clicker's chat must still see the tag (the value is never trusted for
 * access), then the action is recorded and the card is redrawn with the mark.
 */
export async function adDone(database: Database, clicked: BotContext, value: string | undefined, now: Date): Promise<void> {
  const v = decodeValue(value);
  const ctx = inLocale(clicked, v?.l);
  if (!v || !/^(ad_group|campaign):/.test(v.k)) {
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is no longer active.', 'zh-CN': '这个按钮已失效。' }) });
    return;
  }
  const x = await load(database, ctx, v.a, now);
  if (!x) return;
  const line = x.r.lines.find((l) => l.key === v.k && l.tag.kind === v.t);
  if (!line) {
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'That tag no longer applies here.', 'zh-CN': '该标签已不再适用。' }) });
    return;
  }
  const day = x.r.stores.find((s) => s.id === line.storeId)!.lastDay;
  const done = await recordInsightAction(database, { workspaceId: ctx.workspace.id, kind: 'ad_tag', objectKey: v.k, tag: v.t, action: 'done', day, userId: ctx.asker.userId ?? null, actorLabel: actorLabel(ctx) });
  line.done ??= { by: done.by, day };
  await replaceClicked(database, ctx, { kind: 'card', card: adTagsCard(ctx, x.r, x.days, v.a, x.label) });
}
