/**
 * The digest feature in chat: `digest now` (the chat's digest, queued through the outbox like a
 * scheduled one; in a DM the personal brief), `digest preview` (the same card as a direct reply),
 * `digest subscribe …`, `digest unsubscribe …`, `digest list`, `review pack …`, and the "展开 /
 * More" and "长图 / Long image" buttons. Listed in src/features.ts.
 */
import { canSeeMetricClass } from '../../access/authorize.ts';
import type { Principal } from '../../access/types.ts';
import { note } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { BotFeature, FeatureDeps } from '../../bot/feature.ts';
import { MORE_ACTION } from '../digest-card.ts';
import { REVIEW_IMAGE_ACTION, type ReviewSection } from '../review-pack.ts';
import { createDigestService, type DigestService } from '../service.ts';
import { notDone, notUnderstood, sub, usage } from './common.ts';
import { showMore } from './more.ts';
import { REVIEW_EXAMPLES, reviewImage, reviewPack } from './review.ts';
import { listSubscriptions, subscribe, SUBSCRIBE_EXAMPLES, unsubscribe } from './subscribe.ts';

const canRead = (p: Principal) => canSeeMetricClass(p, 'sales');

const SUBCOMMANDS = {
  now: ['now', '现在', '立即', '马上'],
  preview: ['preview', '预览'],
  subscribe: ['subscribe', 'sub', '订阅'],
  unsubscribe: ['unsubscribe', 'unsub', 'stop', '退订', '取消订阅'],
  list: ['list', 'status', '列表', '查看'],
};

const REFUSALS = {
  unknown_chat: { en: 'This chat is not known yet: send me any message first.', 'zh-CN': '还不认识这个群：先随便发一条消息给我。' },
  bot_removed: { en: 'The bot is no longer in this chat.', 'zh-CN': '机器人已不在这个群。' },
  not_enrolled: { en: 'Only enrolled people get a personal brief: ask an admin to add you.', 'zh-CN': '个人简报只发给已登记的成员：请管理员先添加你。' },
};

async function now(service: DigestService, deps: FeatureDeps, ctx: BotContext, at: Date, preview: boolean): Promise<void> {
  const chat = { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey, chatId: ctx.event.conversation.chatId };
  // In a DM the brief is the asker's own: their DM by the ports.ts convention, whatever the chat id.
  const key = ctx.chat.kind === 'direct' ? { ...chat, chatId: `user:${ctx.event.user.id}` } : chat;
  await usage(deps.database, ctx, 'digest_read');
  if (preview) {
    const r = await service.cardForChat(key, { now: at });
    if (!r.ok) return notDone(ctx, REFUSALS[r.reason]);
    const said = ctx.t({ en: 'Preview: only this reply, nothing was scheduled or posted.', 'zh-CN': '预览：仅此回复，不会定时发送。' });
    await ctx.reply({ kind: 'card', card: { ...r.card, blocks: [...r.card.blocks, note(said)], fallbackText: `${r.card.fallbackText}\n${said}` } });
    return;
  }
  const r = await service.runForChat(key, { now: at });
  if (!r.ok) return notDone(ctx, REFUSALS[r.reason]);
}

export interface DigestFeatureOptions {
  /** The bot's clock (tests pin it). */
  clock?: () => Date;
  /** Sections later features add to review packs. */
  reviewSections?: readonly ReviewSection[];
}

export function createDigestFeature(opts: DigestFeatureOptions = {}): BotFeature {
  const clock = opts.clock ?? (() => new Date());
  return {
    name: 'digests',
    register({ commands, actions }, deps) {
      const service = createDigestService({
        database: deps.database,
        charts: deps.charts,
        publicUrl: deps.config.publicUrl,
        logger: deps.logger,
        defaultLocale: deps.config.defaultLocale,
        clock,
        ...(deps.wakeOutbox ? { wakeOutbox: deps.wakeOutbox } : {}),
        ...(opts.reviewSections ? { reviewSections: opts.reviewSections } : {}),
      });
      commands.register({
        name: 'digest',
        aliases: ['简报'],
        summary: { en: 'the daily digest now, a preview, or a schedule', 'zh-CN': '简报：立即发送、预览、定时订阅' },
        usage: 'digest now | preview | subscribe <HH:MM> [weekly mon|biweekly|monthly] [workdays] [kpis:gmv,acos] [me] | unsubscribe | list',
        examples: ['digest now', 'digest preview', ...SUBSCRIBE_EXAMPLES],
        permission: canRead,
        async run(ctx, args) {
          const which = args.length ? sub(args[0], SUBCOMMANDS) : 'list';
          const rest = args.slice(1);
          switch (which) {
            case 'now':
              return now(service, deps, ctx, clock(), false);
            case 'preview':
              return now(service, deps, ctx, clock(), true);
            case 'subscribe':
              return subscribe(deps.database, service, ctx, rest, clock());
            case 'unsubscribe':
              return unsubscribe(deps.database, ctx, rest);
            case 'list':
              return listSubscriptions(deps.database, service, ctx, clock());
            default:
              return notUnderstood(ctx, { en: `"${args[0]!.slice(0, 40)}" is not a digest command.`, 'zh-CN': `没有“${args[0]!.slice(0, 40)}”这个简报命令。` }, ['digest now', 'digest preview', ...SUBSCRIBE_EXAMPLES]);
          }
        },
      });
      commands.register({
        name: 'review',
        aliases: ['复盘'],
        summary: { en: 'a team’s weekly review pack (card, long image, PDF)', 'zh-CN': '团队周会复盘包（卡片、长图、PDF）' },
        usage: 'review pack [team:<id>] [last week|this week|last month|this month]',
        examples: REVIEW_EXAMPLES,
        permission: canRead,
        run: (ctx, args) => reviewPack(deps.database, service, ctx, args, clock()),
      });
      actions.register({ actionId: MORE_ACTION, permission: canRead, run: (ctx, value) => showMore(deps.database, ctx, value, clock()) });
      actions.register({ actionId: REVIEW_IMAGE_ACTION, permission: canRead, run: (ctx, value) => reviewImage(deps.database, service, ctx, value, clock()) });
    },
  };
}

export const digestFeature = createDigestFeature();
