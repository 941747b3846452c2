/**
 * What every org command shares: the audit actor for the asker, the usage record, the small
 * cards (done / refused / how to type it) and turning an OrgError into a refusal in the asker's
 * language — a client mistake is never an apology for a crash.
 */
import type { Actor } from '../../audit/audit-log.ts';
import { card, fields, note, text, type Field } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { Bilingual } from '../../bot/language.ts';
import type { Database } from '../../db/client.ts';
import { isOrgError } from '../errors.ts';
import type { OrgDecision } from '../permissions.ts';
import { recordUsage } from '../usage.ts';

export function actorOf(ctx: BotContext): Actor {
  return { kind: 'user', id: ctx.asker.userId ?? `${ctx.event.platform}:${ctx.event.user.id}`, name: ctx.asker.displayName ?? ctx.event.user.displayName };
}

export function usageUserId(ctx: BotContext): string {
  return ctx.asker.userId ?? `${ctx.event.platform}:${ctx.event.user.id}`;
}

export async function done(ctx: BotContext, title: Bilingual, rows: Field[], footer?: Bilingual): Promise<void> {
  const blocks = [fields(rows)];
  if (footer) blocks.push(note(ctx.t(footer)));
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t(title), tone: 'success', blocks }) });
}

export async function refuse(ctx: BotContext, reason: Bilingual): Promise<void> {
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not done', 'zh-CN': '未执行' }), tone: 'warning', blocks: [text(ctx.t(reason))] }) });
}

/** A short "how to type it" card for a subcommand typed wrong. */
export async function usageHint(ctx: BotContext, problem: Bilingual, examples: string[]): Promise<void> {
  const lines = [ctx.t(problem), `${ctx.t({ en: 'For example', 'zh-CN': '例如' })}:`, ...examples.map((e) => `• \`${e}\``)];
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not understood', 'zh-CN': '没看懂' }), tone: 'warning', blocks: [text(lines.join('\n'))] }) });
}

/** Refuses when the decision says no; true when the caller may go on. */
export async function allowed(ctx: BotContext, decision: OrgDecision): Promise<boolean> {
  if (decision.ok) return true;
  await refuse(ctx, decision.text);
  return false;
}

/**
 * Runs a command body, turning OrgErrors (unknown team, conflict, last admin…) into a refusal and
 * recording one usage event. Other errors go on to the bot's apology.
 */
export async function handled(database: Database, ctx: BotContext, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!isOrgError(err)) throw err;
    await refuse(ctx, err.text);
  } finally {
    await recordUsage(database, { workspaceId: ctx.workspace.id, userId: usageUserId(ctx), kind: 'command', platform: ctx.event.platform });
  }
}

/** First word of a subcommand, matched against English and Chinese forms. */
export function subcommand<K extends string>(word: string | undefined, forms: Record<K, string[]>): K | undefined {
  const w = (word ?? '').normalize('NFKC').toLowerCase();
  for (const [key, words] of Object.entries(forms) as [K, string[]][]) if (words.includes(w)) return key;
  return undefined;
}
