/**
 * Scores are private (glossary §3.8): an answer is built for the asker at their own role and goes
 * to their DM; asked in a group, the group only hears "已私信 / sent you a DM" — refusals go to
 * the DM too, so a group never learns whose score exists. External people get a polite refusal.
 */
import { card, text, type OutboundMessage } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { AppError } from '../../errors.ts';
import { goalErrorText } from '../../goals/errors.ts';

export function refusalCard(ctx: BotContext, message: string): OutboundMessage {
  return { kind: 'card', card: card({ title: ctx.t({ en: 'Not done', 'zh-CN': '未执行' }), tone: 'warning', blocks: [text(message)] }) };
}

export const DM_NOTICE = { en: 'Sent you a DM.', 'zh-CN': '已私信' } as const;

export async function answerPrivately(ctx: BotContext, build: () => Promise<OutboundMessage>): Promise<void> {
  if (ctx.asker.kind === 'external') {
    await ctx.reply(refusalCard(ctx, ctx.t({ en: 'Sorry, scores are only for people of this organisation.', 'zh-CN': '抱歉，绩效仅对本组织成员开放。' })));
    return;
  }
  let message: OutboundMessage;
  try {
    message = await build();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    message = refusalCard(ctx, goalErrorText(err, ctx.locale) ?? err.message);
  }
  if (ctx.chat.kind === 'group') {
    await ctx.dm(message);
    await ctx.reply({ kind: 'text', markdown: ctx.t(DM_NOTICE) });
    return;
  }
  await ctx.reply(message);
}
