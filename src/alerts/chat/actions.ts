/**
 * The real handlers behind the alert card's buttons on every platform (and DingTalk's signed
 * links, which dispatch the same action events): `alert.ack` (value = alert id) and
 * `alert.snooze` (value = `<id>:1h|4h|1d`). No central permission: a late click must hear
 * "already acknowledged by X at T" before any permission check (chat-access.ts decides after).
 * A winning click says nothing extra: the card itself changes, everywhere.
 */
import type { FeatureDeps } from '../../bot/feature.ts';
import type { ActionSpec } from '../../bot/router.ts';
import { parseAlertId } from '../lifecycle/parse.ts';
import { ackAlert } from '../lifecycle/transitions.ts';
import { snoozeFor } from './alert-commands.ts';
import { actorOf, blockedText, chatMayAct } from './chat-access.ts';

const stale = { en: 'This button is not valid any more.', 'zh-CN': '这个按钮已失效。' };

export function alertActions(deps: FeatureDeps): ActionSpec[] {
  return [
    {
      actionId: 'alert.ack',
      async run(ctx, value) {
        const id = parseAlertId(value);
        if (id === undefined) return void (await ctx.reply({ kind: 'text', markdown: ctx.t(stale) }));
        const out = await ackAlert(deps, { workspaceId: ctx.workspace.id, alertId: id, actor: actorOf(ctx), now: new Date(), mayAct: chatMayAct(ctx) });
        if (out.kind !== 'done') await ctx.reply({ kind: 'text', markdown: blockedText(ctx, id, out, ctx.chat.timezone) });
      },
    },
    {
      actionId: 'alert.snooze',
      async run(ctx, value) {
        const m = /^(\d{1,15}):(\d{1,3}[hdw])$/.exec(value ?? '');
        const id = m ? parseAlertId(m[1]) : undefined;
        if (!m || id === undefined) return void (await ctx.reply({ kind: 'text', markdown: ctx.t(stale) }));
        await snoozeFor(ctx, deps, id, [m[2]!]);
      },
    },
  ];
}
