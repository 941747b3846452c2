/**
 * Insight commands in chat (issue #27 items 4–7): `ads tags`, `补货` / `replenish`, `anomalies`
 * / `异常`, `health` / `健康度`, `insights settings|set`, and the "已处理 / Done" and "已下单 /
 * Ordered" buttons. Answers are
 * at the chat's audience level (a group sees its bound team's stores). Listed in src/features.ts.
 *
 * `ads` is also the first word of KPI questions such as `ads spend 7d`: anything after `ads`
 * that is not `tags` goes to the KPI parser unchanged.
 */
import type { BotContext } from '../../bot/context.ts';
import type { BotFeature } from '../../bot/feature.ts';
import { cleanInput, tokenize, type CommandRegistry } from '../../bot/router.ts';
import { notUnderstood } from '../../digests/chat/common.ts';
import { adDone, adsTags, ADS_EXAMPLES, AD_DONE_ACTION } from './ads.ts';
import { anomalies, ANOMALY_EXAMPLES } from './anomalies.ts';
import { canRead } from './common.ts';
import { health, HEALTH_EXAMPLES } from './health.ts';
import { ORDERED_ACTION, reorderOrdered, replenish, REPLENISH_EXAMPLES } from './replenish.ts';
import { insightSettings, SETTINGS_EXAMPLES } from './settings.ts';

/** The word the command was typed with (`ads`, or an alias such as `广告标签`). */
function commandWord(ctx: BotContext): string {
  const e = ctx.event;
  const text = e.kind === 'message' || e.kind === 'command' ? e.text : '';
  return (tokenize(cleanInput(text).trim().replace(/^\/kpi(\s+|$)/i, ''))[0] ?? '').toLowerCase();
}

async function ads(commands: CommandRegistry, run: (words: string[]) => Promise<void>, ctx: BotContext, args: string[]): Promise<void> {
  // The Chinese aliases name the tags themselves: `广告标签 近14天`.
  if (commandWord(ctx) !== 'ads' || (args[0] && /^(tags|tag|标签)$/i.test(args[0]))) return run(args);
  const fallback = commands.fallback;
  if (args.length && fallback) {
    const outcome = await fallback.parse(ctx, ['ads', ...args].join(' '));
    if (outcome.kind === 'run') return outcome.run();
  }
  return notUnderstood(ctx, { en: 'Did you mean `ads tags`?', 'zh-CN': '是要 `ads tags`（广告标签）吗？' }, ADS_EXAMPLES);
}

export function createInsightsFeature(opts: { clock?: () => Date } = {}): BotFeature {
  const clock = opts.clock ?? (() => new Date());
  return {
    name: 'insights',
    register({ commands, actions }, deps) {
      const db = deps.database;
      commands.register({
        name: 'ads',
        aliases: ['广告标签', '优化建议'],
        summary: { en: 'ad tags: what to negate, bid down, give budget (with the rule behind each)', 'zh-CN': '广告优化标签：否定/关停、降竞价、加预算（附规则）' },
        usage: 'ads tags [14d] [store:<id>|team:<id>|site:<code>]',
        examples: ADS_EXAMPLES,
        permission: canRead,
        run: (ctx, args) => ads(commands, (words) => adsTags(db, ctx, words, clock()), ctx, args),
      });
      commands.register({
        name: 'replenish',
        aliases: ['补货', 'reorder'],
        summary: { en: 'what to reorder: SKUs under the cover threshold, quantity and owner', 'zh-CN': '补货建议：低于可售天数阈值的 SKU、补货量和负责人' },
        usage: 'replenish [store:<id>] [30d] [all]',
        examples: REPLENISH_EXAMPLES,
        permission: canRead,
        run: (ctx, args) => replenish(db, ctx, args, clock()),
      });
      commands.register({
        name: 'anomalies',
        aliases: ['异常', 'anomaly'],
        summary: { en: 'days a metric left its weekday baseline', 'zh-CN': '指标偏离同星期基线的日子' },
        usage: 'anomalies <metric> [30d] [store:<id>]',
        examples: ANOMALY_EXAMPLES,
        permission: canRead,
        run: (ctx, args) => anomalies(db, ctx, args, clock()),
      });
      commands.register({
        name: 'health',
        aliases: ['健康度'],
        summary: { en: 'ad-health and account-health scores per store, with their parts', 'zh-CN': '各店铺广告健康度与店铺健康度及其构成' },
        usage: 'health [store:<id>] [30d]',
        examples: HEALTH_EXAMPLES,
        permission: canRead,
        run: (ctx, args) => health(db, ctx, args, clock()),
      });
      commands.register({
        name: 'insights',
        aliases: ['洞察设置'],
        summary: { en: 'the workspace’s insight thresholds; admins change them', 'zh-CN': '洞察阈值（管理员可修改）' },
        usage: 'insights settings | insights set <key> <value>',
        examples: SETTINGS_EXAMPLES,
        permission: canRead,
        run: (ctx, args) => insightSettings(db, ctx, args),
      });
      actions.register({ actionId: AD_DONE_ACTION, permission: canRead, run: (ctx, value) => adDone(db, ctx, value, clock()) });
      actions.register({ actionId: ORDERED_ACTION, permission: canRead, run: (ctx, value) => reorderOrdered(db, ctx, value, clock()) });
    },
  };
}

export const insightsFeature = createInsightsFeature();
