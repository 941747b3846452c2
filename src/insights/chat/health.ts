/**
 * `health [store:us-main] [30d]` (`健康度`): each store's ad-health and account-health scores with
 * their parts (value, target, achievement, points), the platform's own account health beside
 * them, and any red line that capped the score.
 */
import { card, note, text, type CardBlock } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { Database } from '../../db/client.ts';
import { notDone, notUnderstood } from '../../digests/chat/common.ts';
import { metricLabel } from '../../bot/commands/kpi/labels.ts';
import { metricById } from '../../kpi/catalogue/index.ts';
import { healthFor, MAX_HEALTH_WINDOW, type StoreHealth } from '../health/load.ts';
import type { HealthScore } from '../health/score.ts';
import { parseInsightArgs } from './args.ts';
import { pct, windowWords, scopeWords } from './common.ts';

export const HEALTH_EXAMPLES = ['health', 'health store:us-main', '健康度 近30天 店铺:us-main'];

function scoreText(ctx: BotContext, h: HealthScore): string {
  if (h.score === null) return ctx.t({ en: 'no score (over half the parts have no data)', 'zh-CN': '无得分（超过一半指标无数据）' });
  return `**${h.score.toFixed(1)}** (${h.grade})`;
}

function partsText(ctx: BotContext, h: HealthScore): string {
  return h.parts.map((p) => {
    const def = metricById(p.metric);
    const name = def ? metricLabel(def, ctx.locale) : p.metric;
    if (p.achievement === null) {
      const why = p.grey ?? ctx.t({ en: 'no data', 'zh-CN': '无数据' });
      return ctx.t({ en: `${name} ${pct(p.value)} (grey: ${why})`, 'zh-CN': `${name} ${pct(p.value)}（灰：${why}）` });
    }
    return ctx.t({
      en: `${name} ${pct(p.value)} vs ${pct(p.target)} → ${(p.achievement * 100).toFixed(0)} %, ${p.points!.toFixed(1)} pts`,
      'zh-CN': `${name} ${pct(p.value)}，目标 ${pct(p.target)} → 达成 ${(p.achievement * 100).toFixed(0)} %，${p.points!.toFixed(1)} 分`,
    });
  }).join(' · ');
}

function storeBlock(ctx: BotContext, s: StoreHealth): string {
  const veto = s.account.veto?.length
    ? `\n${ctx.t({ en: `⚠ red line breached (${s.account.veto.join(', ')}): capped at 60`, 'zh-CN': `⚠ 触及平台红线（${s.account.veto.join('、')}）：封顶 60 分` })}`
    : '';
  const platform = s.platformHealth === null ? '' : ctx.t({ en: ` · platform account health ${s.platformHealth}`, 'zh-CN': ` · 平台账户健康值 ${s.platformHealth}` });
  return [
    `**${s.store.id}** ${s.store.name}`,
    `${ctx.t({ en: 'Ad health', 'zh-CN': '广告健康度' })} ${scoreText(ctx, s.ads)}: ${partsText(ctx, s.ads)}`,
    `${ctx.t({ en: 'Account health', 'zh-CN': '店铺健康度' })} ${scoreText(ctx, s.account)}${platform}: ${partsText(ctx, s.account)}${veto}`,
  ].join('\n');
}

export async function health(database: Database, ctx: BotContext, words: string[], now: Date): Promise<void> {
  const parsed = await parseInsightArgs(database, ctx, words, { now });
  if (!parsed.ok) return notUnderstood(ctx, parsed.problem, HEALTH_EXAMPLES);
  const days = parsed.args.days ?? 30;
  if (days > MAX_HEALTH_WINDOW) return notUnderstood(ctx, { en: `The window takes at most ${MAX_HEALTH_WINDOW} days.`, 'zh-CN': `时间窗口最多 ${MAX_HEALTH_WINDOW} 天。` }, HEALTH_EXAMPLES);
  const r = await healthFor(database, { workspaceId: ctx.workspace.id, days, principal: ctx.audience, now, ...(parsed.args.storeIds ? { storeIds: parsed.args.storeIds } : {}) });
  if (!r.stores.length) return notDone(ctx, { en: 'This chat may not see those stores.', 'zh-CN': '本群无权查看这些店铺。' });
  const blocks: CardBlock[] = r.stores.slice(0, 10).map((s) => text(storeBlock(ctx, s)));
  if (r.stores.length > 10) blocks.push(text(ctx.t({ en: `…${r.stores.length - 10} more stores: add store:<id>.`, 'zh-CN': `……另有 ${r.stores.length - 10} 个店铺：可加 店铺:<id>。` })));
  blocks.push(note(ctx.t({
    en: 'Score = 100 × Σ weight × min(achievement, 1.2), equal weights; grey parts (no data or below the minimum sample) give their weight to the others; a breached platform red line caps it at 60. S ≥ 110, A ≥ 100, B ≥ 85, C below.',
    'zh-CN': '得分 = 100 × Σ 权重 × min(达成率, 1.2)，各指标等权；灰色指标（无数据或样本不足）的权重按比例分给其他指标；触及平台红线封顶 60 分。S ≥ 110，A ≥ 100，B ≥ 85，其余 C。',
  })));
  const low = r.stores.some((s) => (s.ads.score ?? 100) < 85 || (s.account.score ?? 100) < 85);
  const title = `${ctx.t({ en: 'Health scores', 'zh-CN': '健康度' })} · ${scopeWords(ctx, parsed.args.scopeLabel)} · ${windowWords(ctx, days)}`;
  await ctx.reply({ kind: 'card', card: card({ title, tone: low ? 'warning' : 'info', blocks }) });
}
