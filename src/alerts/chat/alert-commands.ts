/**
 * `alert list|ack|snooze|assign` (ARCHITECTURE.md chat grammar). `alert list` answers with one
 * card per live alert, each recorded as a delivery of that alert, so an ack anywhere updates it
 * in place too. Other `alert` sub-commands (`rule`, `mute`) are the engine's: it adds them with
 * `registerAlertSubcommand`, so one `alert` command word serves both halves.
 */
import { sql } from 'drizzle-orm';
import { authorize } from '../../access/authorize.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { pickLocale } from '../../bot/language.ts';
import { resolveUser } from '../../bot/resolve.ts';
import type { CommandSpec } from '../../bot/router.ts';
import { localDate } from '../../kpi/dates.ts';
import { zonedInstant } from '../../scheduler/zoned-time.ts';
import { cardFor } from '../lifecycle/cards.ts';
import { parseAlertId, parseCause, parseSnooze } from '../lifecycle/parse.ts';
import { ackAlert, assignAlert, snoozeAlert } from '../lifecycle/transitions.ts';
import { loadAlertView } from '../view.ts';
import { actorOf, blockedText, chatMayAct } from './chat-access.ts';
import type { AckCause } from '../../db/schema/index.ts';

export interface AlertSubcommand {
  name: string;
  aliases?: string[];
  usage: string;
  run(ctx: BotContext, args: string[]): Promise<void>;
}

const extra = new Map<string, AlertSubcommand>();

/** For the engine half: `alert rule …`, `alert mute …` under the same command word. */
export function registerAlertSubcommand(sub: AlertSubcommand): void {
  for (const w of [sub.name, ...(sub.aliases ?? [])]) extra.set(w.toLowerCase(), sub);
}

export const USAGE = {
  list: 'alert list',
  ack: 'alert ack <id> [cause:stockout|competitor_price|budget_out|post_promo|other] [note "…"]',
  snooze: 'alert snooze <id> 1h|4h|1d|1w|<MM-DD>',
  assign: 'alert assign <id> @someone',
};

/** Cards per `alert list`: a chat is not a dashboard; the REST list has the rest. */
export const LIST_LIMIT = 10;

const say = (ctx: BotContext, markdown: string) => ctx.reply({ kind: 'text', markdown });

function usage(ctx: BotContext, which: keyof typeof USAGE | 'all', why?: string): Promise<unknown> {
  const lines = which === 'all' ? [...Object.values(USAGE), ...[...new Set(extra.values())].map((s) => s.usage)] : [USAGE[which]];
  const head = why ?? ctx.t({ en: 'Usage:', 'zh-CN': '用法：' });
  return say(ctx, `${head}\n${lines.map((l) => `\`${l}\``).join('\n')}`);
}

async function list(ctx: BotContext, deps: FeatureDeps): Promise<void> {
  const allowed = authorize(ctx.asker, 'alert.ack');
  if (!allowed.ok) return void (await say(ctx, ctx.t({ en: `Alerts are not available to you here: ${allowed.reason}.`, 'zh-CN': '你在这里无法查看预警。' })));
  const c = ctx.event.conversation;
  const all = ctx.asker.scope.all || ctx.audience.scope.all;
  const teams = [...new Set([...(ctx.asker.scope.all ? [] : ctx.asker.scope.teamIds), ...(ctx.audience.scope.all ? [] : ctx.audience.scope.teamIds)])];
  const visible = all ? sql`true` : teams.length > 0 ? sql`a.team_id in ${teams}` : sql`false`;
  const rows = await deps.database.query<{ id: number; total: number }>(sql`
    select a.id, count(*) over () as total from alerts a
    where a.workspace_id = ${ctx.workspace.id} and a.status in ('open', 'snoozed')
      and (${visible}
        or exists (select 1 from deliveries d where d.workspace_id = a.workspace_id and d.source_type = 'alert'
          and d.source_id = a.id::text and d.platform = ${c.platform} and d.target->>'chatId' = ${c.chatId}))
    order by case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end, a.opened_at desc, a.id desc
    limit ${LIST_LIMIT}`);
  if (rows.length === 0) {
    await say(ctx, ctx.t({ en: 'No open alerts. 🎉', 'zh-CN': '当前没有未处理的预警。🎉' }));
    return;
  }
  // A card is shared by the whole chat: it speaks the chat's language, as every later update of it will.
  const look = { locale: pickLocale(ctx.workspace.locale === 'en' ? 'en' : 'zh-CN', ctx.chat.locale), isDemo: false };
  for (const r of rows) {
    const view = await loadAlertView(deps.database, r.id);
    if (!view) continue;
    // The demo note is added by reply itself; times in the chat's zone unless the alert has one.
    const sent = await ctx.reply(cardFor({ ...view, timeZone: view.timeZone ?? ctx.chat.timezone }, look));
    if (sent) {
      await deps.database.query(sql`update deliveries set source_type = 'alert', source_id = ${String(r.id)} where id = ${sent.deliveryId}`);
    }
  }
  const total = Number(rows[0]!.total);
  if (total > rows.length) {
    await say(ctx, ctx.t({ en: `…and ${total - rows.length} more (GET /api/v1/alerts?status=open).`, 'zh-CN': `……另有 ${total - rows.length} 条（GET /api/v1/alerts?status=open）。` }));
  }
}

/** `cause:断货`, `原因:stockout`, `note "…"`, `备注 "…"`, `note:…`; anything else is refused. */
export function parseAckOptions(args: string[]): { cause?: AckCause; note?: string } | undefined {
  const out: { cause?: AckCause; note?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const kv = /^(cause|原因|note|备注)[:：](.*)$/i.exec(a);
    const key = (kv ? kv[1]! : a).toLowerCase();
    if (key === 'cause' || key === '原因') {
      const cause = parseCause(kv ? kv[2]! : (args[++i] ?? ''));
      if (!cause || out.cause) return undefined;
      out.cause = cause;
    } else if (key === 'note' || key === '备注') {
      const note = (kv && kv[2] !== '' ? kv[2]! : (args[++i] ?? '')).trim();
      if (note === '' || note.length > 500 || out.note) return undefined;
      out.note = note;
    } else {
      const cause = parseCause(a);
      if (!cause || out.cause) return undefined;
      out.cause = cause;
    }
  }
  return out;
}

async function ack(ctx: BotContext, deps: FeatureDeps, args: string[]): Promise<void> {
  const id = parseAlertId(args[0]);
  const opts = id === undefined ? undefined : parseAckOptions(args.slice(1));
  if (id === undefined || !opts) {
    await usage(ctx, 'ack', ctx.t({ en: 'I need an alert number, then optionally a cause and a note:', 'zh-CN': '请给出预警编号，可选原因和备注：' }));
    return;
  }
  const out = await ackAlert(deps, { workspaceId: ctx.workspace.id, alertId: id, actor: actorOf(ctx), ...opts, now: new Date(), mayAct: chatMayAct(ctx) });
  if (out.kind !== 'done') return void (await say(ctx, blockedText(ctx, id, out, ctx.chat.timezone)));
  await say(ctx, ctx.t({ en: `✅ Alert #${id} acknowledged; every copy of its card is being updated.`, 'zh-CN': `✅ 已确认预警 #${id}，所有群里的卡片都会同步更新。` }));
}

export async function snoozeFor(ctx: BotContext, deps: FeatureDeps, id: number, spec: string[]): Promise<void> {
  const now = new Date();
  const parsed = parseSnooze(spec, localDate(ctx.chat.timezone, now));
  if (!parsed) {
    await usage(ctx, 'snooze', ctx.t({ en: 'A snooze is 5 minutes to 30 days ahead, e.g. 1h, 4h, 1d, 1w or a date:', 'zh-CN': '推迟时长须在 5 分钟到 30 天之间，例如 1h、4h、1d、1w 或日期：' }));
    return;
  }
  const until = parsed.kind === 'for' ? new Date(now.getTime() + parsed.ms) : zonedInstant(parsed.date, '09:00', ctx.chat.timezone);
  const out = await snoozeAlert(deps, { workspaceId: ctx.workspace.id, alertId: id, until, now, mayAct: chatMayAct(ctx) });
  if (out.kind !== 'done') return void (await say(ctx, blockedText(ctx, id, out, ctx.chat.timezone)));
  await say(ctx, ctx.t({ en: `💤 Alert #${id} snoozed; it comes back then if still firing.`, 'zh-CN': `💤 已推迟预警 #${id}，到时仍未恢复会再次提醒。` }));
}

async function assign(ctx: BotContext, deps: FeatureDeps, args: string[]): Promise<void> {
  const id = parseAlertId(args[0]);
  if (id === undefined || args.length !== 2) return void (await usage(ctx, 'assign'));
  const who = await resolveUser(deps.database, ctx.workspace.id, args[1]!, { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey });
  if (!who.ok) {
    const hint = who.suggestions.length ? ctx.t({ en: ` Did you mean ${who.suggestions.join(', ')}?`, 'zh-CN': ` 你是不是要找 ${who.suggestions.join('、')}？` }) : '';
    return void (await say(ctx, ctx.t({ en: `I don't know ${args[1]}.`, 'zh-CN': `找不到 ${args[1]}。` }) + hint));
  }
  const out = await assignAlert(deps, { workspaceId: ctx.workspace.id, alertId: id, assigneeUserId: who.id, now: new Date(), mayAct: chatMayAct(ctx, 'operator') });
  if (out.kind !== 'done') return void (await say(ctx, blockedText(ctx, id, out, ctx.chat.timezone)));
  await say(ctx, ctx.t({ en: `👤 Alert #${id} assigned to ${who.label}.`, 'zh-CN': `👤 预警 #${id} 已指派给 ${who.label}。` }));
}

export function alertCommand(deps: FeatureDeps): CommandSpec {
  return {
    name: 'alert',
    aliases: ['alerts', '预警'],
    summary: { en: 'Open alerts: list, acknowledge, snooze, assign', 'zh-CN': '预警：查看、确认、推迟、指派' },
    usage: 'alert list|ack|snooze|assign …',
    examples: ['alert list', 'alert ack 12 cause:stockout note "补货在途"', 'alert snooze 12 4h', 'alert assign 12 @carol'],
    async run(ctx, args) {
      const [sub, ...rest] = args;
      switch (sub?.toLowerCase()) {
        case 'list':
        case '列表':
          return list(ctx, deps);
        case 'ack':
        case '确认':
          return ack(ctx, deps, rest);
        case 'snooze':
        case '推迟': {
          const id = parseAlertId(rest[0]);
          if (id === undefined || rest.length < 2) return void (await usage(ctx, 'snooze'));
          return snoozeFor(ctx, deps, id, rest.slice(1));
        }
        case 'assign':
        case '指派':
          return assign(ctx, deps, rest);
        default: {
          const other = sub ? extra.get(sub.toLowerCase()) : undefined;
          if (other) return other.run(ctx, rest);
          await usage(ctx, 'all');
        }
      }
    },
  };
}
