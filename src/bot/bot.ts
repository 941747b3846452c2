/**
 * `createBot(deps).dispatch(event)`: filters → dedup → context → route to a command, an action or
 * a membership change. Handlers' errors are caught here: the asker gets a short apology, the log
 * gets the details, nobody gets a stack trace.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { card, text } from './card.ts';
import { buildHelpCard, buildUsageHint, registerHelp } from './commands/help.ts';
import { buildContext, type BotContext, type ContextConfig } from './context.ts';
import type { BotFeature, FeatureDeps } from './feature.ts';
import type { InboundEvent, Platform } from './events.ts';
import { FILTERS } from './filters.ts';
import { firstClick, firstDelivery } from './idempotency.ts';
import type { ChatAdapter } from './ports.ts';
import { sendReply } from './reply.ts';
import { ActionRegistry, CommandRegistry } from './router.ts';

export interface BotDeps {
  database: Database;
  config: ContextConfig & { publicUrl: string };
  adapterFor: (platform: Platform) => ChatAdapter | undefined;
  logger: Logger;
  wakeOutbox?: () => void;
  charts: FeatureDeps['charts'];
  /** Features in help order (src/features.ts). */
  features?: readonly BotFeature[];
}

export interface Bot {
  readonly commands: CommandRegistry;
  readonly actions: ActionRegistry;
  dispatch(event: InboundEvent): Promise<void>;
}

export function createBot(deps: BotDeps): Bot {
  const commands = new CommandRegistry();
  const actions = new ActionRegistry();
  registerHelp(commands);
  const { database, logger } = deps;
  const features = deps.features ?? [];
  for (const f of features) {
    f.register({ commands, actions }, { ...deps, logger: logger.child({ feature: f.name }) });
  }

  async function route(ctx: BotContext): Promise<void> {
    const e = ctx.event;
    if (ctx.asker.kind === 'external') {
      await ctx.reply({
        kind: 'text',
        markdown: ctx.t({
          en: 'Sorry, this bot only answers members of the organisation.',
          'zh-CN': '抱歉，本机器人只为本组织成员提供数据。',
        }),
      });
      return;
    }
    if (e.kind === 'membership') {
      await database.query(sql`update chats set active = ${e.change === 'added'}
        where platform = ${e.platform} and tenant_key = ${e.conversation.tenantKey} and chat_id = ${e.conversation.chatId}`);
      if (e.change === 'added') {
        for (const f of features) if (f.onBotAdded && (await f.onBotAdded(ctx))) return;
        await ctx.reply({ kind: 'card', card: buildHelpCard(ctx, commands, ctx.t({ en: 'Hello! Here is what I can do', 'zh-CN': '大家好！我能做这些' })) });
      }
      return;
    }
    if (e.kind === 'action') {
      if (!(await firstClick(database, e))) return;
      const spec = actions.get(e.actionId);
      if (!spec) {
        await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is no longer active.', 'zh-CN': '这个按钮已失效。' }) });
        return;
      }
      await spec.run(ctx, e.value);
      return;
    }
    const input = e.kind === 'command' ? [e.name, ...e.args].join(' ') : e.text;
    const parsed = commands.parse(input);
    if (parsed.kind === 'command') return parsed.spec.run(ctx, parsed.args);
    const word = parsed.kind === 'unknown' ? parsed.word : '';
    await ctx.reply({
      kind: 'card',
      card: parsed.kind === 'empty' ? buildHelpCard(ctx, commands) : buildUsageHint(ctx, word, parsed.suggestion),
    });
  }

  async function dispatch(e: InboundEvent): Promise<void> {
    if (!FILTERS.every((f) => f(e))) return;
    if (!(await firstDelivery(database, e))) {
      logger.debug({ platform: e.platform, eventId: e.eventId }, 'duplicate delivery dropped');
      return;
    }
    const adapter = deps.adapterFor(e.platform);
    if (!adapter) {
      logger.error({ platform: e.platform }, 'event from a platform with no adapter');
      return;
    }
    const built = await buildContext(database, deps.config, e);
    if (!built.ok) {
      logger.warn({ platform: e.platform, tenant: e.conversation.tenantKey }, `tenant refused: ${built.reason}`);
      // The local console belongs to the operator of this server: tell them why, in place.
      if (e.platform === 'console') await adapter.reply(e, { kind: 'text', markdown: built.reason });
      return;
    }
    const base = built.ctx;
    const replyDeps = { database, adapter, publicUrl: deps.config.publicUrl, logger, wakeOutbox: deps.wakeOutbox };
    const ctx: BotContext = {
      ...base,
      reply: (message) => sendReply(replyDeps, e, base.workspace, base.locale, message),
    };
    try {
      await route(ctx);
    } catch (err) {
      logger.error({ err, platform: e.platform, kind: e.kind }, 'handler failed');
      await ctx
        .reply({
          kind: 'card',
          card: card({
            title: ctx.t({ en: 'Something went wrong', 'zh-CN': '出错了' }),
            tone: 'critical',
            blocks: [text(ctx.t({ en: 'Please try again in a moment.', 'zh-CN': '请稍后再试。' }))],
          }),
        })
        .catch((replyErr: unknown) => logger.error({ err: replyErr }, 'apology failed too'));
    }
  }

  return { commands, actions, dispatch };
}
