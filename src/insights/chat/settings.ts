/**
 * `insights settings` (everyone who may read metrics) shows the workspace's insight thresholds;
 * `insights set adTagMinClicks 30` (admins) changes one, audited. Values are plain numbers;
 * shares may be written as percentages (`95%` → 0.95).
 */
import { card, fields, note } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { authorize } from '../../access/authorize.ts';
import type { Database } from '../../db/client.ts';
import { notDone, notUnderstood } from '../../digests/chat/common.ts';
import { isAppError } from '../../errors.ts';
import { actorOf } from '../../org/chat/common.ts';
import { INSIGHT_KEYS, insightKey, loadInsightSettings, setInsightSetting } from '../../tenancy/settings.ts';

export const SETTINGS_EXAMPLES = ['insights settings', 'insights set adTagMinClicks 30', 'insights set coverThresholdDays 21', 'insights set adBudgetCappedShare 90%'];

function parseNumber(text: string): number {
  const t = text.trim();
  const pct = /^(-?\d+(?:\.\d+)?)\s*[%％]$/.exec(t);
  if (pct) return Number(pct[1]) / 100;
  return /^-?\d+(?:\.\d+)?$/.test(t) ? Number(t) : NaN;
}

async function show(database: Database, ctx: BotContext): Promise<void> {
  const s = await loadInsightSettings(database, ctx.workspace.id);
  await ctx.reply({
    kind: 'card',
    card: card({
      title: ctx.t({ en: 'Insight thresholds', 'zh-CN': '洞察阈值' }),
      tone: 'info',
      blocks: [fields(INSIGHT_KEYS.map((k) => ({ label: k, value: String(s[k]) }))), note(ctx.t({ en: 'Admins change one with `insights set <key> <value>`.', 'zh-CN': '管理员可用 `insights set <key> <value>` 修改。' }))],
    }),
  });
}

export async function insightSettings(database: Database, ctx: BotContext, args: string[]): Promise<void> {
  const [sub, key, value, ...rest] = args;
  if (!sub || /^(settings|show|list|设置|查看)$/i.test(sub)) return show(database, ctx);
  if (!/^(set|设定|修改)$/i.test(sub) || !key || value === undefined || rest.length) {
    return notUnderstood(ctx, { en: 'Use `insights settings` or `insights set <key> <value>`.', 'zh-CN': '请用 `insights settings` 或 `insights set <key> <value>`。' }, SETTINGS_EXAMPLES);
  }
  if (!authorize(ctx.asker, 'workspace.admin').ok) return notDone(ctx, { en: 'Only an admin changes insight thresholds.', 'zh-CN': '只有管理员可以修改洞察阈值。' });
  const k = insightKey(key);
  if (!k) return notUnderstood(ctx, { en: `No threshold "${key.slice(0, 40)}". Known: ${INSIGHT_KEYS.join(', ')}.`, 'zh-CN': `没有阈值“${key.slice(0, 40)}”。可用：${INSIGHT_KEYS.join('、')}。` }, SETTINGS_EXAMPLES);
  try {
    const r = await setInsightSetting(database.db, ctx.workspace.id, k, parseNumber(value), actorOf(ctx));
    await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Insight threshold set', 'zh-CN': '洞察阈值已修改' }), tone: 'success', blocks: [fields([{ label: k, value: `${r.before} → ${r.after}` }])] }) });
  } catch (err) {
    if (isAppError(err) && err.code === 'invalid_argument') return notUnderstood(ctx, { en: err.message, 'zh-CN': `取值超出范围：${err.message}` }, SETTINGS_EXAMPLES);
    throw err;
  }
}
