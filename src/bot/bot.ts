/**
 * `createBot(deps).dispatch(event)`: filters → dedup → context → route to a command, the
 * fallback parser (KPI questions), an action or a membership change. Permissions declared by
 * commands and actions are checked here, once, with the asker's principal. Handlers' errors are
 * caught here: the asker gets a short apology, the log gets the details, nobody gets a stack trace.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { card, text } from './card.ts';
import { buildHelpCard, registerHelp } from './commands/help.ts';
import { buildParseHint, buildUsageHint, notPermitted, slowDown } from './commands/hints.ts';
import { registerLang } from './commands/lang.ts';
import { registerWhoami } from './commands/whoami.ts';
import { buildContext, type BotContext, type ContextConfig } from './context.ts';
import type { BotFeature, FeatureDeps } from './feature.ts';
import type { InboundEvent, Platform } from './events.ts';
import { FILTERS } from './filters.ts';
import { claim, createHolder, trackSends, type HoldState } from './hold.ts';
import { firstClick, firstDelivery } from './idempotency.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { tr } from './language.ts';
import type { ChatAdapter } from './ports.ts';
import { sendDirect, sendReply, updateSent } from './reply.ts';
import { ActionRegistry, CommandRegistry, permits, tokenize, type Permission } from './router.ts';
import { takeUserToken } from './user-rate.ts';

/**
 * Longer text is refused before any parsing. Questions are short; Slack allows 40k characters
 * in a message, and a 10 kB paste should get a hint, not a slow parse.
 */
export const MAX_INPUT_CHARS = 1000;

/**
 * Buttons of one card may share an action id and differ by value (KPI drill-downs: by store,
 * previous period…), so a click is deduplicated per button: the value's hash joins the key.
 */
function perButton(e: Extract<InboundEvent, { kind: 'action' }>): Extract<InboundEvent, { kind: 'action' }> {
  if (!e.value) return e;
  return { ...e, actionId: `${e.actionId}#${createHash('sha256').update(e.value).digest('base64url').slice(0, 16)}` };
}

export interface BotDeps {
  database: Database;
  config: ContextConfig & { publicUrl: string };
  adapterFor: (platform: Platform) => ChatAdapter | undefined;
  logger: Logger;
  wakeOutbox?: () => void;
  charts: FeatureDeps['charts'];
  filesFor?: FeatureDeps['filesFor'];
  /** Features in help order (src/features.ts). */
  features?: readonly BotFeature[];
}

export interface Bot {
  readonly commands: CommandRegistry;
  readonly actions: ActionRegistry;
  dispatch(event: InboundEvent): Promise<void>;
  /** When an event last found the database unreachable and was held (epoch ms; 0: never), see hold.ts. */
  lastDatabaseOutageAt(): number;
}

export function createBot(deps: BotDeps): Bot {
  const commands = new CommandRegistry();
  const actions = new ActionRegistry();
  const { database, logger } = deps;
  registerHelp(commands);
  registerWhoami(commands, database);
  registerLang(commands, database);
  const features = deps.features ?? [];
  const featureDeps = new Map(features.map((f) => [f, { ...deps, logger: logger.child({ feature: f.name }) }] as const));
  for (const [f, fd] of featureDeps) f.register({ commands, actions }, fd);

  async function route(ctx: BotContext, hold: HoldState): Promise<void> {
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
        for (const [f, fd] of featureDeps) if (f.onBotAdded && (await f.onBotAdded(ctx, fd))) return;
        await ctx.reply({ kind: 'card', card: buildHelpCard(ctx, commands, ctx.t({ en: 'Hello! Here is what I can do', 'zh-CN': '大家好！我能做这些' })) });
      }
      return;
    }
    // Per-person allowance for everything below (user-rate.ts); KPI questions have a tighter one.
    const allowance = await takeUserToken(database, e);
    if (!allowance.ok) {
      if (allowance.notify) await ctx.reply({ kind: 'card', card: slowDown(ctx, allowance.waitMs) });
      else logger.debug({ platform: e.platform, kind: e.kind }, 'flood: event dropped after the slow-down notice');
      return;
    }
    if (e.kind === 'file') {
      for (const [f, fd] of featureDeps) if (f.onFile && (await f.onFile(ctx, e, fd))) return;
      await ctx.reply({
        kind: 'text',
        markdown: ctx.t({
          en: 'I read data files (CSV or XLSX) sent in a chat bound to a store or team, e.g. an orders or ads export. Type `help` for what else I can do.',
          'zh-CN': '我可以读取发到已绑定店铺或团队的群里的数据文件（CSV 或 XLSX），例如订单或广告报表。输入 `help` 查看其他功能。',
        }),
      });
      return;
    }
    if (e.kind === 'action') {
      if (!(await claim(hold, 'click', () => firstClick(database, perButton(e))))) return;
      const spec = actions.get(e.actionId);
      if (!spec) {
        await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is no longer active.', 'zh-CN': '这个按钮已失效。' }) });
        return;
      }
      if (await refused(ctx, spec.permission)) return;
      await spec.run(ctx, e.value);
      return;
    }
    const input = e.kind === 'command' ? [e.name, ...e.args].join(' ') : e.text;
    if (input.length > MAX_INPUT_CHARS) {
      await ctx.reply({ kind: 'card', card: buildParseHint(ctx, { kind: 'hint', reason: 'too_long', suggestions: [] }, []) });
      return;
    }
    const parsed = commands.parse(input);
    if (parsed.kind === 'command') {
      if (await refused(ctx, parsed.spec.permission)) return;
      return parsed.spec.run(ctx, parsed.args);
    }
    if (parsed.kind === 'fallback') {
      const outcome = await parsed.spec.parse(ctx, parsed.text);
      if (outcome.kind === 'run') {
        if (await refused(ctx, parsed.spec.permission)) return;
        return outcome.run();
      }
      if (outcome.reason === 'empty') {
        await ctx.reply({ kind: 'card', card: buildHelpCard(ctx, commands, undefined, ctx.asker) });
        return;
      }
      const word = outcome.word ?? tokenize(parsed.text)[0] ?? '';
      const suggestions = outcome.reason === 'unknown_word' || outcome.reason === 'no_metric' ? commands.suggest(word, outcome.suggestions) : outcome.suggestions;
      await ctx.reply({ kind: 'card', card: buildParseHint(ctx, outcome, suggestions) });
      return;
    }
    const word = parsed.kind === 'unknown' ? parsed.word : '';
    await ctx.reply({
      kind: 'card',
      card: parsed.kind === 'empty' ? buildHelpCard(ctx, commands, undefined, ctx.asker) : buildUsageHint(ctx, word, parsed.suggestion),
    });
  }

  /** The central permission check: a polite refusal, nothing else. */
  async function refused(ctx: BotContext, permission: Permission | undefined): Promise<boolean> {
    if (permits(permission, ctx.asker)) return false;
    await ctx.reply({ kind: 'card', card: notPermitted(ctx) });
    return true;
  }

  // Events that hit a database outage are held and handled again once it answers (hold.ts).
  const holder = createHolder(logger);
  async function dispatch(e: InboundEvent): Promise<void> {
    if (!FILTERS.every((f) => f(e))) return;
    await holder.run({ platform: e.platform, eventId: e.eventId, kind: e.kind }, (hold) => handle(e, hold));
  }

  async function handle(e: InboundEvent, hold: HoldState): Promise<void> {
    if (!(await claim(hold, 'delivery', () => firstDelivery(database, e)))) {
      logger.debug({ platform: e.platform, eventId: e.eventId }, 'duplicate delivery dropped');
      return;
    }
    const platformAdapter = deps.adapterFor(e.platform);
    if (!platformAdapter) {
      logger.error({ platform: e.platform }, 'event from a platform with no adapter');
      return;
    }
    const adapter = trackSends(platformAdapter, hold);
    const built = await buildContext(database, deps.config, e);
    if (!built.ok) {
      logger.warn({ platform: e.platform, tenant: e.conversation.tenantKey }, `tenant refused: ${built.reason}`);
      // The local console belongs to the operator of this server: tell them why, in place.
      if (e.platform === 'console') await adapter.reply(e, { kind: 'text', markdown: built.reason });
      return;
    }
    const base = built.ctx;
    const replyDeps = { database, adapter, publicUrl: deps.config.publicUrl, logger, wakeOutbox: deps.wakeOutbox };
    // `locale` may change while handling (`lang en`); everything reads it at call time.
    const ctx: BotContext = {
      ...base,
      t: (s) => tr(ctx.locale, s),
      capabilities: adapter.capabilities,
      reply: (message) => sendReply(replyDeps, e, base.workspace, ctx.locale, message),
      dm: (message) => sendDirect(replyDeps, e, base.workspace, ctx.locale, message),
      update: (sent, message) => updateSent(replyDeps, base.workspace, ctx.locale, sent, message),
    };
    try {
      await route(ctx, hold);
    } catch (err) {
      // No apology for an outage: the holder retries the event, or logs it if an answer went out.
      if (isDatabaseUnavailable(err)) throw err;
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

  return { commands, actions, dispatch, lastDatabaseOutageAt: holder.lastUnavailableAt };
}
