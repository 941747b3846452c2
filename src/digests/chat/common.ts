/**
 * Small pieces the digest commands share: the digest target of the chat a command came from, the
 * usage record, and the "not understood" / "not done" cards in the asker's language.
 */
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { Bilingual } from '../../bot/language.ts';
import type { Database } from '../../db/client.ts';
import { recordUsage, type UsageKind } from '../../org/usage.ts';
import type { DigestTarget } from '../target.ts';

export function targetOf(ctx: BotContext, teamName: string | null = null): DigestTarget {
  const w = ctx.workspace;
  return {
    workspace: { id: w.id, name: w.name, isDemo: w.isDemo, timezone: w.timezone, currency: w.currency.trim() },
    conversation: ctx.event.conversation,
    active: true,
    teamId: ctx.chat.teamId,
    teamName,
    locale: ctx.locale,
    timezone: ctx.chat.timezone,
    principal: ctx.audience,
    ...(ctx.chat.kind === 'direct' && ctx.asker.userId ? { userId: ctx.asker.userId } : {}),
  };
}

export async function usage(database: Database, ctx: BotContext, kind: UsageKind): Promise<void> {
  await recordUsage(database, { workspaceId: ctx.workspace.id, userId: ctx.asker.userId ?? `${ctx.event.platform}:${ctx.event.user.id}`, kind, platform: ctx.event.platform });
}

export async function notUnderstood(ctx: BotContext, problem: Bilingual, examples: string[]): Promise<void> {
  const lines = [ctx.t(problem), `${ctx.t({ en: 'For example', 'zh-CN': '例如' })}:`, ...examples.map((e) => `• \`${e}\``)];
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not understood', 'zh-CN': '没看懂' }), tone: 'warning', blocks: [text(lines.join('\n'))] }) });
}

export async function notDone(ctx: BotContext, reason: Bilingual): Promise<void> {
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not done', 'zh-CN': '未执行' }), tone: 'warning', blocks: [text(ctx.t(reason))] }) });
}

/** First word of a subcommand in English or Chinese. */
export function sub<K extends string>(word: string | undefined, forms: Record<K, string[]>): K | undefined {
  const w = (word ?? '').normalize('NFKC').toLowerCase();
  for (const [key, words] of Object.entries(forms) as [K, string[]][]) if (words.includes(w)) return key;
  return undefined;
}
