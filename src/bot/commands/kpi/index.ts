/**
 * The KPI feature: questions in words (`gmv 7d by store`, `本周 GMV 按店铺`) through the
 * registry's fallback, `chart …` / `图表 …` for just the chart, and the drill-down and "more"
 * buttons. Listed in src/features.ts; `createKpiFeature` takes other limits and annotators
 * (goals' RAG marks, data freshness) without touching this code.
 */
import { canSeeMetricClass } from '../../../access/authorize.ts';
import type { Principal } from '../../../access/types.ts';
import { METRICS } from '../../../kpi/catalogue/index.ts';
import { answerWhy } from '../../../insights/why/chat.ts';
import type { BotContext } from '../../context.ts';
import type { BotFeature, FeatureDeps } from '../../feature.ts';
import { parseKpiText } from '../../parse/index.ts';
import type { KpiAsk } from '../../parse/types.ts';
import type { CommandRegistry } from '../../router.ts';
import { buildParseHint } from '../hints.ts';
import { answerKpi, DEFAULT_KPI_OPTIONS, type KpiOptions } from './answer.ts';
import { customMetricWords } from './custom-words.ts';
import { requestFromAsk } from './ask.ts';
import { DRILL_ACTION, MORE_ACTION } from './drill.ts';
import { decodeRequest } from './request.ts';

export type { KpiAnnotateInput, KpiAnnotation, KpiAnnotator, KpiOptions } from './answer.ts';

/** Anyone who may see sales-level metrics (not external people, not members when member_access=none). */
const canAsk = (p: Principal) => canSeeMetricClass(p, 'sales');

function parse(ctx: BotContext, commands: CommandRegistry, text: string, now: Date, customMetrics: [string, string][] = []) {
  return parseKpiText(text, { now, timezone: ctx.chat.timezone, commandWords: commands.words(), customMetrics });
}

export function createKpiFeature(overrides: Partial<KpiOptions> = {}): BotFeature {
  const opts: KpiOptions = { ...DEFAULT_KPI_OPTIONS, ...overrides };
  return {
    name: 'kpi',
    register({ commands, actions }, deps: FeatureDeps) {
      async function ask(ctx: BotContext, parsed: KpiAsk, text: string): Promise<void> {
        const r = await requestFromAsk(deps.database, ctx, parsed, text);
        if (!r.ok) {
          await ctx.reply({ kind: 'card', card: r.card });
          return;
        }
        await answerKpi(deps, opts, ctx, r.req, r.notes.map((n) => ctx.t(n)));
      }

      commands.setFallback({
        name: 'kpi',
        summary: { en: 'ask for a metric: period, grouping, comparison, scope', 'zh-CN': '查询指标：时间、维度、对比、范围' },
        usage: '<metric> [period] [by store|site|sku] [vs prev|yoy|wow] [store:<id>]',
        examples: ['gmv 7d by store', '本周 GMV 按店铺', 'acos this month by site', '上月 净利润 同比', '本月 GMV 环比', 'gmv 7d store:us-main', '转化率 7d'],
        permission: canAsk,
        vocabulary: () => METRICS.map((d) => d.id),
        async parse(ctx, text) {
          // `为什么GMV下降` has no space after the command word: it is still a why question.
          const why = /^(为什么|为何)\s*(\S[\s\S]*)$/.exec(text.trim());
          if (why) return { kind: 'run', run: () => answerWhy(deps, ctx, why[2]!, opts.clock()) };
          const parsed = parse(ctx, commands, text, opts.clock(), await customMetricWords(deps.database, ctx.workspace.id));
          if (parsed.kind === 'hint') return parsed;
          return { kind: 'run', run: () => ask(ctx, parsed, text) };
        },
      });

      commands.register({
        name: 'chart',
        aliases: ['图表'],
        summary: { en: 'just the chart of a metric', 'zh-CN': '只看指标图表' },
        usage: 'chart <metric> [period] [by store|site|sku]',
        examples: ['chart gmv 30d', '图表 销售额 30天', 'chart acos this month by site'],
        permission: canAsk,
        async run(ctx, args) {
          const text = `chart ${args.join(' ')}`;
          const parsed = parse(ctx, commands, text, opts.clock(), await customMetricWords(deps.database, ctx.workspace.id));
          if (parsed.kind === 'hint') {
            const word = parsed.word ?? args[0] ?? '';
            await ctx.reply({ kind: 'card', card: buildParseHint(ctx, parsed, word ? commands.suggest(word, parsed.suggestions) : parsed.suggestions) });
            return;
          }
          await ask(ctx, { ...parsed, chartOnly: true }, text);
        },
      });

      for (const actionId of [DRILL_ACTION, MORE_ACTION]) {
        actions.register({
          actionId,
          permission: canAsk,
          async run(ctx, value) {
            const req = decodeRequest(value);
            if (!req) {
              await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is no longer active.', 'zh-CN': '这个按钮已失效。' }) });
              return;
            }
            if (req.l) ctx.locale = req.l;
            await answerKpi(deps, opts, ctx, req);
          },
        });
      }
    },
  };
}

