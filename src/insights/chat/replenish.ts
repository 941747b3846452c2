/**
 * `补货 [store:us-main] [60d] [all]` (`replenish`, `reorder`): SKUs under the cover threshold with
 * the suggested quantity, how it was reached and their owner, each with an "已下单 / Ordered"
 * button; the SKUs that ran out in the window (default 30 days); warehouse capacity where the
 * warehouse has one. `all` also lists SKUs with a suggestion but enough cover.
 */
import { actions, button, card, fields, note, text, type CardBlock } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { Database } from '../../db/client.ts';
import { notDone, notUnderstood } from '../../digests/chat/common.ts';
import { recordInsightAction } from '../ad-tags/actions.ts';
import { MAX_STOCKOUT_WINDOW, replenishmentFor, reorderKey, type ReorderLine, type ReplenishmentResult } from '../replenish/plan.ts';
import { parseInsightArgs } from './args.ts';
import { actorLabel, dayText, decodeValue, encodeValue, inLocale, pct, replaceClicked, windowWords, scopeWords } from './common.ts';

export const ORDERED_ACTION = 'insights.reorder_ordered';
export const REPLENISH_EXAMPLES = ['补货', '补货 店铺:us-main', '补货 近60天', 'replenish store:us-main all'];
const MAX_LINES = 10;

const int = (n: number | null) => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));

function how(ctx: BotContext, l: ReorderLine): string {
  if (l.reorderQty === null || l.leadTimeDays === null || l.targetCoverDays === null) {
    return ctx.t({ en: 'no lead time or target cover on the SKU: cannot plan', 'zh-CN': 'SKU 未设交期或目标库存天数，无法计算' });
  }
  const v = l.units30 === null ? null : l.units30 / 30;
  return ctx.t({
    en: `${v === null ? '—' : v.toFixed(1)}/day × (${l.leadTimeDays} d lead + ${l.targetCoverDays} d cover) − ${int(l.available)} available − ${int(l.inbound)} inbound`,
    'zh-CN': `日销 ${v === null ? '—' : v.toFixed(1)} × (交期 ${l.leadTimeDays} 天 + 安全库存 ${l.targetCoverDays} 天) − 可售 ${int(l.available)} − 在途 ${int(l.inbound)}`,
  });
}

export function replenishCard(ctx: BotContext, r: ReplenishmentResult, words: string[], scopeLabel?: string) {
  const title = `${ctx.t({ en: 'Replenishment', 'zh-CN': '补货建议' })} · ${scopeWords(ctx, scopeLabel)}`;
  const blocks: CardBlock[] = [];
  const max = Math.min(MAX_LINES, ctx.capabilities.maxButtons || MAX_LINES);
  const shown = r.lines.slice(0, max);
  blocks.push(text(ctx.t({ en: `**Under ${r.thresholdDays} days of cover** (SKU × quantity × owner)`, 'zh-CN': `**可售天数低于 ${r.thresholdDays} 天**（SKU × 补货量 × 负责人）` })));
  if (!shown.length) blocks.push(text(ctx.t({ en: 'No SKU is under the threshold.', 'zh-CN': '没有低于阈值的 SKU。' })));
  shown.forEach((l, n) => {
    const qty = l.reorderQty === null ? '—' : int(l.reorderQty);
    const owner = l.owner?.name ?? ctx.t({ en: 'no owner', 'zh-CN': '无负责人' });
    const ordered = l.ordered ? ctx.t({ en: ` · ✓ ordered by ${l.ordered.by} ${dayText(ctx, l.ordered.day)}`, 'zh-CN': ` · ✓ ${l.ordered.by} 已下单 ${dayText(ctx, l.ordered.day)}` }) : '';
    blocks.push(text(ctx.t({
      en: `${n + 1}. **${l.skuId}** ${l.skuName} (${l.storeId}) — reorder **${qty}** units · cover ${l.daysOfCover?.toFixed(1) ?? '—'} d · ${owner}${ordered}\n${how(ctx, l)}`,
      'zh-CN': `${n + 1}. **${l.skuId}** ${l.skuName}（${l.storeId}）— 补 **${qty}** 件 · 可售 ${l.daysOfCover?.toFixed(1) ?? '—'} 天 · ${owner}${ordered}\n${how(ctx, l)}`,
    })));
    if (!l.ordered && ctx.capabilities.buttons && (l.reorderQty ?? 0) > 0) {
      blocks.push(actions(button(ORDERED_ACTION, `${ctx.t({ en: 'Ordered', 'zh-CN': '已下单' })} ${n + 1}`, encodeValue({ a: words, k: reorderKey(l.storeId, l.skuId), t: 'reorder', l: ctx.locale }))));
    }
  });
  if (r.lines.length > shown.length) blocks.push(text(ctx.t({ en: `…and ${r.lines.length - shown.length} more, lowest cover first.`, 'zh-CN': `……还有 ${r.lines.length - shown.length} 个，按可售天数从低到高。` })));
  if (r.notUrgent) {
    blocks.push(note(ctx.t({ en: `${r.notUrgent} more SKU(s) have a reorder suggestion with ≥ ${r.thresholdDays} days of cover: add \`all\`.`, 'zh-CN': `另有 ${r.notUrgent} 个 SKU 有补货建议但可售天数 ≥ ${r.thresholdDays} 天：加 \`全部\` 查看。` })));
  }
  const outs = r.stockouts.slice(0, 8).map((s) => ctx.t({
    en: `• **${s.skuId}** ${s.skuName} (${s.storeId}): out of stock on ${s.days} day(s), last ${dayText(ctx, s.lastDay)}`,
    'zh-CN': `• **${s.skuId}** ${s.skuName}（${s.storeId}）：断货 ${s.days} 天，最近 ${dayText(ctx, s.lastDay)}`,
  }));
  blocks.push(text(`${ctx.t({ en: `**Stockouts, ${windowWords(ctx, r.days)}**`, 'zh-CN': `**断货记录（${windowWords(ctx, r.days)}）**` })}\n${outs.length ? outs.join('\n') : ctx.t({ en: 'none', 'zh-CN': '无' })}`));
  if (r.capacity.length) {
    blocks.push(text(ctx.t({ en: '**Warehouse capacity** (仓容利用率)', 'zh-CN': '**仓容利用率**' })));
    blocks.push(fields(r.capacity.slice(0, 8).map((c) => ({ label: c.name, value: `${pct(c.utilization)} / ${c.capacityM3} m³` }))));
  }
  blocks.push(note(ctx.t({
    en: 'Reorder = Σ per warehouse max(0, ⌈velocity30 × (lead time + target cover) − available − inbound⌉) (glossary reorder_qty).',
    'zh-CN': '补货量 = 各仓 max(0, ⌈近30天日均销量 × (交期 + 目标库存天数) − 可售 − 在途⌉) 之和（指标 reorder_qty）。',
  })));
  return card({ title, tone: r.lines.some((l) => !l.ordered) ? 'warning' : 'success', blocks });
}

/** The plan the words ask for, at the chat's audience level; null after answering a problem. */
async function load(database: Database, ctx: BotContext, words: string[], now: Date) {
  const parsed = await parseInsightArgs(database, ctx, words, { now });
  if (!parsed.ok) {
    await notUnderstood(ctx, parsed.problem, REPLENISH_EXAMPLES);
    return null;
  }
  const days = parsed.args.days ?? 30;
  if (days > MAX_STOCKOUT_WINDOW) {
    await notUnderstood(ctx, { en: `Stockouts look back at most ${MAX_STOCKOUT_WINDOW} days.`, 'zh-CN': `断货记录最多回看 ${MAX_STOCKOUT_WINDOW} 天。` }, REPLENISH_EXAMPLES);
    return null;
  }
  const r = await replenishmentFor(database, { workspaceId: ctx.workspace.id, days, principal: ctx.audience, now, all: parsed.args.all, ...(parsed.args.storeIds ? { storeIds: parsed.args.storeIds } : {}) });
  if (!r.stores.length) {
    await notDone(ctx, { en: 'This chat may not see those stores.', 'zh-CN': '本群无权查看这些店铺。' });
    return null;
  }
  return { r, label: parsed.args.scopeLabel };
}

export async function replenish(database: Database, ctx: BotContext, words: string[], now: Date): Promise<void> {
  const x = await load(database, ctx, words, now);
  if (x) await ctx.reply({ kind: 'card', card: replenishCard(ctx, x.r, words, x.label) });
}

/** "已下单 / Ordered": recorded with the quantity shown now, if the clicker's chat still sees the line. */
export async function reorderOrdered(database: Database, clicked: BotContext, value: string | undefined, now: Date): Promise<void> {
  const v = decodeValue(value);
  const ctx = inLocale(clicked, v?.l);
  if (!v || !v.k.startsWith('sku:')) {
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is no longer active.', 'zh-CN': '这个按钮已失效。' }) });
    return;
  }
  const x = await load(database, ctx, v.a, now);
  if (!x) return;
  const line = x.r.lines.find((l) => reorderKey(l.storeId, l.skuId) === v.k);
  if (!line) {
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'That SKU is no longer on the list here.', 'zh-CN': '该 SKU 已不在补货清单上。' }) });
    return;
  }
  const day = x.r.stores.find((s) => s.id === line.storeId)!.lastDay;
  const done = await recordInsightAction(database, { workspaceId: ctx.workspace.id, kind: 'reorder', objectKey: v.k, tag: 'reorder', action: 'ordered', day, quantity: line.reorderQty, userId: ctx.asker.userId ?? null, actorLabel: actorLabel(ctx) });
  line.ordered ??= { by: done.by, day, quantity: line.reorderQty };
  await replaceClicked(database, ctx, { kind: 'card', card: replenishCard(ctx, x.r, v.a, x.label) });
}
