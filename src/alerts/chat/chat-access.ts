/**
 * Who may act on an alert from a chat: "anyone who can see the alert in that chat (member or
 * above)" — the card was delivered to this chat, or the alert's team lies in the asker's or the
 * chat's scope. Checked after the state checks, inside the transition's transaction.
 */
import { sql } from 'drizzle-orm';
import { authorize, inScope } from '../../access/authorize.ts';
import type { BotContext } from '../../bot/context.ts';
import { resultRows } from '../../db/normalize.ts';
import { formatAlertTime } from '../card.ts';
import type { Actor, AlertRow, Blocked, MayAct } from '../lifecycle/transitions.ts';
import type { Tx } from '../lifecycle/cards.ts';

export function actorOf(ctx: BotContext): Actor {
  const e = ctx.event;
  return {
    id: ctx.asker.userId ?? `${e.platform}:${e.user.id}`,
    name: ctx.asker.displayName ?? e.user.displayName ?? ctx.asker.userId ?? e.user.id,
  };
}

async function deliveredHere(tx: Tx, ctx: BotContext, alert: AlertRow): Promise<boolean> {
  const c = ctx.event.conversation;
  const rows = await tx.execute(sql`
    select 1 from deliveries where workspace_id = ${alert.workspaceId} and source_type = 'alert' and source_id = ${String(alert.id)}
      and platform = ${c.platform} and target->>'chatId' = ${c.chatId} limit 1`);
  return resultRows(rows).length > 0;
}

export function chatMayAct(ctx: BotContext, minimum: 'member' | 'operator' = 'member'): MayAct {
  return async (alert, tx) => {
    if (!authorize(ctx.asker, 'alert.ack').ok) return false;
    if (minimum === 'operator' && ctx.asker.role === 'member') return false;
    const r = alert.teamId ? { teamId: alert.teamId } : {};
    if (ctx.asker.scope.all || (alert.teamId && (inScope(ctx.asker.scope, r) || inScope(ctx.audience.scope, r)))) return true;
    return deliveredHere(tx, ctx, alert);
  };
}

/** The reply for a transition that did not happen. */
export function blockedText(ctx: BotContext, alertId: number, b: Blocked, timeZone?: string): string {
  switch (b.kind) {
    case 'not_found':
      return ctx.t({ en: `There is no alert #${alertId}. \`alert list\` shows the open ones.`, 'zh-CN': `没有预警 #${alertId}。输入 \`alert list\` 查看未处理的预警。` });
    case 'already': {
      const at = formatAlertTime(b.at, timeZone);
      return ctx.t({ en: `Alert #${alertId} was already acknowledged by ${b.byName} at ${at}.`, 'zh-CN': `预警 #${alertId} 已由 ${b.byName} 于 ${at} 确认。` });
    }
    case 'resolved':
      return ctx.t({
        en: `Alert #${alertId} has already resolved${b.at ? ` (${formatAlertTime(b.at, timeZone)})` : ''}; nothing to do.`,
        'zh-CN': `预警 #${alertId} 已恢复${b.at ? `（${formatAlertTime(b.at, timeZone)}）` : ''}，无需处理。`,
      });
    case 'denied':
      return ctx.t({ en: `You cannot act on alert #${alertId}: it is not visible in this chat or to you.`, 'zh-CN': `你无法处理预警 #${alertId}：它不在本群或你的权限范围内。` });
  }
}
