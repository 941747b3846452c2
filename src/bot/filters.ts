/**
 * Small named filters applied before any handler (bolt-style), instead of ad-hoc ifs.
 */
import type { InboundEvent } from './events.ts';

/** The bot's own messages never reach handlers (no reply loops). */
export function ignoreSelf(e: InboundEvent): boolean {
  return e.user.isBot !== true;
}

/**
 * In groups, plain messages and files count only when they mention the bot. Slash commands, DMs, button
 * clicks and console messages (always addressed to the bot) pass.
 */
export function requireMentionInGroups(e: InboundEvent): boolean {
  if ((e.kind !== 'message' && e.kind !== 'file') || e.conversation.kind === 'direct' || e.platform === 'console') return true;
  return e.mentionedBot;
}

export const FILTERS = [ignoreSelf, requireMentionInGroups] as const;
