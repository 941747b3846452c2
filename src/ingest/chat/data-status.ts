/**
 * `data status` / `数据 状态`: per store and dataset, how fresh the counted data is — complete
 * through which day, when it last arrived and from which source — with stale sources marked.
 * Shows only the stores the chat's audience may see.
 */
import { inScope } from '../../access/authorize.ts';
import { card, note, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { BotFeature } from '../../bot/feature.ts';
import type { Database } from '../../db/client.ts';
import { freshness, type FreshnessEntry } from '../freshness.ts';
import { dingtalkUsageLine } from '../../bot/outbox/quota.ts';
import { loadLookups } from '../pipeline/lookups.ts';
import { DATA_SUBCOMMANDS } from './data-commands.ts';

const DATASET_ZH: Record<string, string> = { orders: '订单', ads: '广告', inventory: '库存', service: '客服', content: '内容', costs: '成本', activity: '动态' };

function age(ctx: Pick<BotContext, 't'>, hours: number | null): string {
  if (hours === null) return ctx.t({ en: 'never', 'zh-CN': '从未' });
  if (hours < 1) return ctx.t({ en: 'just now', 'zh-CN': '刚刚' });
  if (hours < 48) return ctx.t({ en: `${Math.round(hours)} h ago`, 'zh-CN': `${Math.round(hours)} 小时前` });
  return ctx.t({ en: `${Math.round(hours / 24)} d ago`, 'zh-CN': `${Math.round(hours / 24)} 天前` });
}

function line(ctx: Pick<BotContext, 't'>, e: FreshnessEntry): string {
  const name = ctx.t({ en: e.dataset, 'zh-CN': DATASET_ZH[e.dataset] ?? e.dataset });
  const mark = e.stale ? '⚠️' : '✅';
  if (e.reasons.includes('never')) return `${mark} ${name}: ${ctx.t({ en: 'no data yet', 'zh-CN': '尚无数据' })}`;
  const through = e.completeThrough ? ctx.t({ en: `through ${e.completeThrough.slice(5)}`, 'zh-CN': `截至 ${e.completeThrough.slice(5)}` }) : '';
  const why = e.reasons.map((r) => (r === 'late' ? ctx.t({ en: 'late', 'zh-CN': '超时未更新' }) : ctx.t({ en: `needs ${e.requiredThrough.slice(5)}`, 'zh-CN': `应到 ${e.requiredThrough.slice(5)}` })));
  const failing = e.lastStatus === 'failed' ? ctx.t({ en: ` · last run failed${e.lastErrorCode ? ` (${e.lastErrorCode})` : ''}`, 'zh-CN': ` · 最近一次失败${e.lastErrorCode ? `（${e.lastErrorCode}）` : ''}` }) : '';
  return `${mark} ${name}: ${through} · ${age(ctx, e.ageHours)} · ${e.source ?? ''}${why.length ? ` · ${why.join(', ')}` : ''}${failing}`;
}

export async function dataStatusCard(database: Database, ctx: Pick<BotContext, 't' | 'workspace' | 'audience'>, now = new Date()) {
  const lookups = await loadLookups(database, ctx.workspace.id);
  const scope = ctx.audience.scope;
  const visible = [...lookups.stores.values()].filter((s) => scope.all || inScope(scope, { storeId: s.id, teamId: s.teamId ?? undefined })).map((s) => s.id);
  const entries = await freshness(database, ctx.workspace.id, { now, storeIds: visible });
  const title = ctx.t({ en: 'Data status', 'zh-CN': '数据状态' });
  if (entries.length === 0) {
    return card({ title, tone: 'info', blocks: [text(ctx.t({ en: 'No stores to show yet.', 'zh-CN': '还没有可显示的店铺。' }))] });
  }
  const stores = [...new Set(entries.map((e) => e.storeId))];
  const blocks = stores.map((s) => text(`**${s}**\n${entries.filter((e) => e.storeId === s).map((e) => line(ctx, e)).join('\n')}`));
  const stale = entries.filter((e) => e.stale).length;
  blocks.push(note(stale
    ? ctx.t({ en: `${stale} stale — import the missing days or check the connector.`, 'zh-CN': `${stale} 项数据过期：请导入缺失日期或检查连接。` })
    : ctx.t({ en: 'Everything is up to date.', 'zh-CN': '数据均已更新。' })));
  const quota = await dingtalkUsageLine(database, ctx.workspace.id, ctx.t, now);
  if (quota) blocks.push(note(quota));
  return card({ title, tone: stale ? 'warning' : 'success', blocks });
}

export const dataStatusFeature: BotFeature = {
  name: 'data',
  register({ commands }, deps) {
    commands.register({
      name: 'data',
      aliases: ['数据'],
      summary: { en: 'data freshness, import reports, checks against the marketplace, the counted source', 'zh-CN': '数据新鲜度、导入报告、与平台后台核对、计入数据源' },
      usage: 'data status | data report <run> | data check store:<id> gmv|spend <from>..<to> <total> [CCY] | data source primary store:<id> <dataset> <source>',
      examples: ['data status', 'data check store:us-main gmv 2026-11-16..2026-11-22 12345.67 USD', 'data source primary store:us-main orders api'],
      async run(ctx, args) {
        const sub = (args[0] ?? 'status').toLowerCase();
        const other = Object.hasOwn(DATA_SUBCOMMANDS, sub) ? DATA_SUBCOMMANDS[sub] : undefined;
        if (other) return other(ctx, args.slice(1), deps);
        if (sub !== 'status' && sub !== '状态') {
          await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'Try `data status`, `data report <run>`, `data check …` or `data source primary …`.', 'zh-CN': '请输入 `数据 状态`、`数据 报告 <编号>`、`数据 核对 …` 或 `数据 数据源 主 …`。' }) });
          return;
        }
        await ctx.reply({ kind: 'card', card: await dataStatusCard(deps.database, ctx) });
      },
    });
  },
};
