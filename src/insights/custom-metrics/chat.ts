/**
 * `metric add <id> = <formula> unit:percent direction:up name:"…"` (指标 新增), `metric list`
 * (指标 列表) and `metric remove <id>` (指标 删除). Anyone who may ask for metrics lists them;
 * only admins add or remove (the same service as `POST /api/v1/metrics`). A refused formula
 * says why, where (character position) and, for a typo, the closest name.
 */
import { canSeeMetricClass } from '../../access/authorize.ts';
import { card, fields, note, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { BotFeature, FeatureDeps } from '../../bot/feature.ts';
import { parseOptions } from '../../bot/parse/index.ts';
import { addCustomMetric, CustomMetricError, listCustomMetrics, removeCustomMetric } from './service.ts';

const ADD = new Set(['add', 'new', 'create', '新增', '添加', '新建']);
const LIST = new Set(['list', 'ls', '列表', '查看', '全部']);
const REMOVE = new Set(['remove', 'rm', 'delete', 'del', '删除', '移除']);
const OPTION_KEYS = { unit: ['单位'], direction: ['方向', 'dir'], name: ['名称', '名字', 'en'], zh: ['中文名'] };

export const METRIC_EXAMPLES = [
  'metric add ad_margin = (gross_sales - ad_spend) / gross_sales unit:percent direction:up name:"Margin after ads"',
  '指标 新增 广告后毛利率 = (gross_sales - ad_spend) / gross_sales 单位:percent 方向:up',
  'metric list',
  'metric remove ad_margin',
];

async function usage(ctx: BotContext, problem: { en: string; 'zh-CN': string }): Promise<void> {
  const lines = [ctx.t(problem), `${ctx.t({ en: 'For example', 'zh-CN': '例如' })}:`, ...METRIC_EXAMPLES.map((e) => `• \`${e}\``)];
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not understood', 'zh-CN': '没看懂' }), tone: 'warning', blocks: [text(lines.join('\n'))] }) });
}

async function refused(ctx: BotContext, err: CustomMetricError): Promise<void> {
  const reason = ctx.locale === 'en' ? err.message : err.zh;
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not done', 'zh-CN': '未执行' }), tone: 'warning', blocks: [text(reason)] }) });
}

/**
 * `name:"Margin after ads"` reaches us split at its spaces (the router only groups quotes that
 * start a word): put such a value back together, without its quotes.
 */
export function joinQuotedOptions(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const open = /^([^:：\s]+[:：])["“「](.*)$/.exec(args[i]!);
    if (!open) {
      out.push(args[i]!);
      continue;
    }
    const parts = [open[2]!];
    let j = i;
    while (!/["”」]$/.test(parts[parts.length - 1]!) && j + 1 < args.length) parts.push(args[++j]!);
    out.push(`${open[1]}${parts.join(' ').replace(/["”」]$/, '')}`);
    i = j;
  }
  return out;
}

async function add(ctx: BotContext, deps: FeatureDeps, args: string[]): Promise<void> {
  const { options, rest } = parseOptions(joinQuotedOptions(args), OPTION_KEYS);
  const m = /^([^\s=]+)\s*=\s*([\s\S]+)$/.exec(rest.join(' ').trim());
  if (!m) return usage(ctx, { en: 'Write the id, "=", then the formula.', 'zh-CN': '请写 id、等号，再写公式。' });
  const name = options.name ? (options.zh ? { en: options.name, zh: options.zh } : options.name) : options.zh;
  const def = await addCustomMetric(deps.database, ctx.asker, { id: m[1], formula: m[2], unit: options.unit, direction: options.direction, name });
  const rows = [
    { label: 'id', value: def.id },
    { label: ctx.t({ en: 'Formula', 'zh-CN': '公式' }), value: def.custom!.formula },
    { label: ctx.t({ en: 'Unit', 'zh-CN': '单位' }), value: def.unit },
    { label: ctx.t({ en: 'Direction', 'zh-CN': '方向' }), value: def.direction },
    { label: ctx.t({ en: 'Aggregation', 'zh-CN': '汇总方式' }), value: def.aggregation },
  ];
  await ctx.reply({
    kind: 'card',
    card: card({
      title: ctx.t({ en: `Custom metric ${def.id} added`, 'zh-CN': `已新增自定义指标 ${def.id}` }),
      tone: 'success',
      blocks: [fields(rows), note(ctx.t({ en: `Ask it like any metric: \`${def.id} 7d by store\`.`, 'zh-CN': `像其他指标一样查询：\`${def.id} 7d 按店铺\`。` }))],
    }),
  });
}

async function list(ctx: BotContext, deps: FeatureDeps): Promise<void> {
  const all = await listCustomMetrics(deps.database, ctx.workspace.id);
  const lines = all.map((c) =>
    c.def
      ? `• \`${c.id}\` = ${c.formula} · ${ctx.locale === 'en' ? c.def.name.en : c.def.name.zh} · ${c.def.unit} · ${c.def.direction}`
      : `• \`${c.id}\` = ${c.formula} · ${ctx.t({ en: 'broken', 'zh-CN': '无法计算' })}: ${c.error ?? ''}`,
  );
  await ctx.reply({
    kind: 'card',
    card: card({
      title: ctx.t({ en: 'Custom metrics', 'zh-CN': '自定义指标' }),
      tone: 'info',
      blocks: [text(lines.length ? lines.join('\n') : ctx.t({ en: 'None yet. Admins add one with `metric add`.', 'zh-CN': '还没有。管理员可用 `指标 新增` 添加。' }))],
    }),
  });
}

async function remove(ctx: BotContext, deps: FeatureDeps, args: string[]): Promise<void> {
  const id = args[0];
  if (!id || args.length > 1) return usage(ctx, { en: 'Name one custom metric id to remove.', 'zh-CN': '请写要删除的一个自定义指标 id。' });
  await removeCustomMetric(deps.database, ctx.asker, id);
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: `Custom metric ${id} removed`, 'zh-CN': `已删除自定义指标 ${id}` }), tone: 'success', blocks: [text(id)] }) });
}

export const customMetricsFeature: BotFeature = {
  name: 'custom-metrics',
  register({ commands }, deps) {
    commands.register({
      name: 'metric',
      aliases: ['指标', 'metrics'],
      summary: { en: 'custom metrics: list; admins add and remove formulas', 'zh-CN': '自定义指标：查看；管理员新增、删除公式' },
      usage: 'metric add <id> = <formula> unit:percent|money|count|ratio direction:up|down name:"…" · metric list · metric remove <id>',
      examples: METRIC_EXAMPLES,
      permission: (p) => canSeeMetricClass(p, 'sales'),
      async run(ctx, args) {
        const [sub, ...rest] = args;
        const word = (sub ?? 'list').toLowerCase();
        try {
          if (ADD.has(word)) return await add(ctx, deps, rest);
          if (LIST.has(word)) return await list(ctx, deps);
          if (REMOVE.has(word)) return await remove(ctx, deps, rest);
          return await usage(ctx, { en: `Unknown subcommand "${word.slice(0, 40)}".`, 'zh-CN': `没有子命令“${word.slice(0, 40)}”。` });
        } catch (err) {
          if (err instanceof CustomMetricError) return refused(ctx, err);
          throw err;
        }
      },
    });
  },
};
