/**
 * `anomalies gmv 30d store:us-main` (`异常 广告费 近90天`): the days of the window whose value is
 * anomalous against its weekday baseline, per store, strongest first, with the expected range;
 * stores whose baseline is off say why ("not enough data (12 days, need 28)").
 */
import { card, note, text, type CardBlock } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { Database } from '../../db/client.ts';
import { notDone, notUnderstood } from '../../digests/chat/common.ts';
import { isAppError } from '../../errors.ts';
import { metricLabel } from '../../bot/commands/kpi/labels.ts';
import { anomaliesFor, MAX_WINDOW_DAYS, type StoreAnomalies } from '../anomaly/series.ts';
import { loadInsightSettings } from '../../tenancy/settings.ts';
import { parseInsightArgs } from './args.ts';
import { dayText, valueOf, windowWords, zText, scopeWords } from './common.ts';
import type { MetricDef } from '../../kpi/types.ts';

export const ANOMALY_EXAMPLES = ['anomalies gmv 30d store:us-main', 'anomalies ad_spend 90d', '异常 广告费 近90天 店铺:us-main'];
const PER_STORE = 5;

function storeLines(ctx: BotContext, def: MetricDef, s: StoreAnomalies, currency: string): string {
  const head = `**${s.store.id}**`;
  if (s.anomalies.length) {
    const lines = s.anomalies.slice(0, PER_STORE).map((d) => {
      const sc = d.score!;
      const arrow = sc.direction === 'up' ? '↑' : '↓';
      return ctx.t({
        en: `• ${dayText(ctx, d.date)} ${valueOf(ctx, def, d.value, currency)} ${arrow} · expected ${valueOf(ctx, def, sc.expected.lo, currency)}–${valueOf(ctx, def, sc.expected.hi, currency)} · z ${zText(sc.score)}`,
        'zh-CN': `• ${dayText(ctx, d.date)} ${valueOf(ctx, def, d.value, currency)} ${arrow} · 预期 ${valueOf(ctx, def, sc.expected.lo, currency)}–${valueOf(ctx, def, sc.expected.hi, currency)} · z ${zText(sc.score)}`,
      });
    });
    const more = s.anomalies.length > PER_STORE ? [ctx.t({ en: `• …${s.anomalies.length - PER_STORE} more`, 'zh-CN': `• ……另有 ${s.anomalies.length - PER_STORE} 天` })] : [];
    return [head, ...lines, ...more].join('\n');
  }
  const evaluated = s.days.filter((d) => d.score).length;
  const off = Object.entries(s.off).filter(([reason]) => !reason.startsWith('declared'));
  if (!evaluated && off.length) {
    const first = s.days.find((d) => d.baseline.status === 'off' && !d.baseline.reason.startsWith('declared'))?.baseline;
    const why = first && first.status === 'off' ? ctx.t({ en: first.reason, 'zh-CN': first.reasonZh }) : off[0]![0];
    return `${head} ${ctx.t({ en: `baseline off: ${why}`, 'zh-CN': `基线关闭：${why}` })}`;
  }
  return `${head} ${ctx.t({ en: `no anomaly in ${evaluated} evaluated day(s)`, 'zh-CN': `${evaluated} 个可评估日均无异常` })}`;
}

export async function anomalies(database: Database, ctx: BotContext, words: string[], now: Date): Promise<void> {
  const parsed = await parseInsightArgs(database, ctx, words, { metric: true, now });
  if (!parsed.ok) return notUnderstood(ctx, parsed.problem, ANOMALY_EXAMPLES);
  const a = parsed.args;
  if (!a.metric) return notUnderstood(ctx, { en: 'Name a metric, e.g. gmv or ad_spend.', 'zh-CN': '请写一个指标，例如 GMV 或 广告费。' }, ANOMALY_EXAMPLES);
  const days = a.days ?? 30;
  if (days > MAX_WINDOW_DAYS) return notUnderstood(ctx, { en: `The window takes at most ${MAX_WINDOW_DAYS} days.`, 'zh-CN': `时间窗口最多 ${MAX_WINDOW_DAYS} 天。` }, ANOMALY_EXAMPLES);
  let r;
  try {
    r = await anomaliesFor(database, { workspaceId: ctx.workspace.id, metric: a.metric, days, principal: ctx.audience, now, ...(a.storeIds ? { storeIds: a.storeIds } : {}) });
  } catch (err) {
    if (isAppError(err) && err.code === 'forbidden') return notDone(ctx, { en: 'That metric is not visible in this chat.', 'zh-CN': '本群无权查看该指标。' });
    throw err;
  }
  if (!r.stores.length) return notDone(ctx, { en: 'This chat may not see those stores.', 'zh-CN': '本群无权查看这些店铺。' });
  const settings = await loadInsightSettings(database, ctx.workspace.id);
  const currency = ctx.workspace.currency.trim();
  const blocks: CardBlock[] = [];
  const ranked = [...r.stores].sort((x, y) => y.anomalies.length - x.anomalies.length || x.store.id.localeCompare(y.store.id));
  for (const s of ranked.slice(0, 12)) blocks.push(text(storeLines(ctx, r.metric, s, currency)));
  if (ranked.length > 12) blocks.push(text(ctx.t({ en: `…${ranked.length - 12} more stores: add store:<id>.`, 'zh-CN': `……另有 ${ranked.length - 12} 个店铺：可加 店铺:<id>。` })));
  blocks.push(note(ctx.t({
    en: `Baseline: median and MAD of the same weekday over the prior 8 weeks (≥ 28 days needed); declared promo, holiday and double days and incomplete days excluded. Anomalous: |z| ≥ ${settings.anomalyZ} and ≥ ${Math.round(settings.anomalyMinChange * 100)} % from the median.`,
    'zh-CN': `基线：前 8 周同星期几的中位数与 MAD（至少 28 天数据）；不含日历中的大促、节假日、双数日及未完结的当天。异常：|z| ≥ ${settings.anomalyZ} 且偏离中位数 ≥ ${Math.round(settings.anomalyMinChange * 100)} %。`,
  })));
  const count = r.stores.reduce((n, s) => n + s.anomalies.length, 0);
  const title = `${ctx.t({ en: 'Anomalies', 'zh-CN': '异常' })} · ${metricLabel(r.metric, ctx.locale)} · ${scopeWords(ctx, a.scopeLabel)} · ${windowWords(ctx, days)}`;
  await ctx.reply({ kind: 'card', card: card({ title, tone: count ? 'warning' : 'info', blocks }) });
}
