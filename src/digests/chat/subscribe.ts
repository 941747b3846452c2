/**
 * `digest subscribe 09:00 [weekly mon|biweekly|monthly day 2|review] [workdays] [kpis:gmv,acos]
 * [tz:Area/City] [me]`, `digest unsubscribe [daily|weekly|…|me|all]` and `digest list`. In a DM,
 * or with `me`, the subscription is the person's morning brief. Bad input (25:00, an unknown
 * zone, a cadence nobody can read) is refused with the reason and an example.
 */
import { card, fields, note, type Field } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { langOf } from '../../bot/commands/kpi/labels.ts';
import type { Bilingual } from '../../bot/language.ts';
import { ROLE_RANK } from '../../bot/router.ts';
import type { Database } from '../../db/client.ts';
import { formatDay } from '../../render/index.ts';
import { nextSlot } from '../../scheduler/schedule.ts';
import { localParts } from '../../scheduler/zoned-time.ts';
import type { DigestService } from '../service.ts';
import { parseSubscribeArgs, type SubscribeError } from '../subscribe-args.ts';
import { removeSubscriptions, subscriptionsOfChat, upsertSubscription, type ChatKey, type Subscription, type SubscriptionKind } from '../subscriptions.ts';
import { notDone, notUnderstood, sub, usage } from './common.ts';
import { sql } from 'drizzle-orm';

export const SUBSCRIBE_EXAMPLES = ['digest subscribe 09:00', 'digest subscribe 09:30 weekly mon', 'digest subscribe 09:00 workdays kpis:gmv,acos', 'digest subscribe 08:30 me', 'digest unsubscribe'];

const KIND_WORDS: Record<SubscriptionKind, Bilingual> = {
  daily: { en: 'daily digest', 'zh-CN': '日报' },
  weekly: { en: 'weekly digest', 'zh-CN': '周报' },
  biweekly: { en: 'biweekly digest', 'zh-CN': '双周报' },
  monthly: { en: 'monthly digest', 'zh-CN': '月报' },
  review_pack: { en: 'weekly review pack', 'zh-CN': '周会复盘包' },
  personal: { en: 'personal morning brief', 'zh-CN': '个人早报' },
};
const WEEKDAY_WORDS: Bilingual[] = [
  { en: 'Mon', 'zh-CN': '周一' }, { en: 'Tue', 'zh-CN': '周二' }, { en: 'Wed', 'zh-CN': '周三' }, { en: 'Thu', 'zh-CN': '周四' },
  { en: 'Fri', 'zh-CN': '周五' }, { en: 'Sat', 'zh-CN': '周六' }, { en: 'Sun', 'zh-CN': '周日' },
];

function problem(e: SubscribeError): Bilingual {
  const dym = (s?: string) => (s ? { en: ` Did you mean "${s}"?`, zh: `是不是“${s}”？` } : { en: '', zh: '' });
  switch (e.error) {
    case 'no_time':
      return { en: 'Give the time of day, as HH:MM.', 'zh-CN': '请给出发送时间，格式 HH:MM。' };
    case 'bad_time':
      return { en: `"${e.word}" is not a time of day: use 00:00 to 23:59.`, 'zh-CN': `“${e.word}”不是有效时间：请用 00:00 到 23:59。` };
    case 'bad_timezone':
      return { en: `"${e.word}" is not a time zone: use an IANA zone such as Asia/Shanghai or America/New_York.`, 'zh-CN': `“${e.word}”不是有效时区：请用 IANA 时区，如 Asia/Shanghai。` };
    case 'bad_kpi':
      return { en: `Unknown KPI "${e.word}".${dym(e.suggestion).en}`, 'zh-CN': `不认识指标“${e.word}”。${dym(e.suggestion).zh}` };
    case 'bad_day':
      return { en: `"${e.word}" is not a day of the month: use 1 to 28.`, 'zh-CN': `“${e.word}”不是有效日期：请用 1 到 28 号。` };
    case 'unknown_word':
      return { en: `"${e.word}" is not a cadence: use daily, weekly [mon], biweekly, monthly [day 2] or review.${dym(e.suggestion).en}`, 'zh-CN': `看不懂“${e.word}”：频率可以是 每天、每周 [周一]、双周、每月 [2号] 或 复盘。${dym(e.suggestion).zh}` };
  }
}

function when(ctx: BotContext, s: Subscription, tz: string): string {
  const t = (b: Bilingual) => ctx.t(b);
  const day =
    s.kind === 'weekly' || s.kind === 'biweekly' || s.kind === 'review_pack'
      ? `${s.kind === 'biweekly' ? t({ en: 'every other ', 'zh-CN': '隔周' }) : t({ en: 'every ', 'zh-CN': '每' })}${t(WEEKDAY_WORDS[(s.weekday ?? 1) - 1]!)}`
      : s.kind === 'monthly'
        ? t({ en: `monthly on day ${s.dayOfMonth ?? 2}`, 'zh-CN': `每月 ${s.dayOfMonth ?? 2} 号` })
        : s.workingDaysOnly
          ? t({ en: 'working days', 'zh-CN': '工作日' })
          : t({ en: 'every day', 'zh-CN': '每天' });
  return `${day} ${s.time} (${tz})`;
}

async function confirm(service: DigestService, ctx: BotContext, s: Subscription, now: Date, title: Bilingual): Promise<void> {
  const job = (await service.jobs(now)).find((j) => j.id === `${s.kind}:${s.id}`);
  const tz = job?.schedule.timezone ?? s.timezone ?? ctx.chat.timezone;
  const next = job ? nextSlot(job.schedule, now) : undefined;
  const rows: Field[] = [
    { label: ctx.t({ en: 'What', 'zh-CN': '内容' }), value: ctx.t(KIND_WORDS[s.kind]) },
    { label: ctx.t({ en: 'When', 'zh-CN': '时间' }), value: when(ctx, s, tz) },
  ];
  if (s.kpis?.length) rows.push({ label: 'KPI', value: s.kpis.join(', ') });
  if (s.teamId) rows.push({ label: ctx.t({ en: 'Team', 'zh-CN': '团队' }), value: s.teamId });
  if (next) {
    const l = localParts(tz, next);
    rows.push({ label: ctx.t({ en: 'Next', 'zh-CN': '下次' }), value: `${formatDay(l.date, langOf(ctx.locale), { weekday: true })} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}` });
  }
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t(title), tone: 'success', blocks: [fields(rows), note(ctx.t({ en: 'Stop with `digest unsubscribe`.', 'zh-CN': '发送 `digest unsubscribe` 退订。' }))] }) });
}

export async function subscribe(database: Database, service: DigestService, ctx: BotContext, args: string[], now: Date): Promise<void> {
  const parsed = parseSubscribeArgs(args);
  if ('error' in parsed) return notUnderstood(ctx, problem(parsed), SUBSCRIBE_EXAMPLES);
  const personal = parsed.personal || ctx.chat.kind === 'direct';
  const base = { workspaceId: ctx.workspace.id, platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey, createdBy: ctx.event.user.id, at: now };
  let s: Subscription;
  if (personal) {
    if (!ctx.asker.userId) return notDone(ctx, { en: 'Only enrolled people get a personal brief: ask an admin to add you (`user add`).', 'zh-CN': '个人早报只发给已登记的成员：请管理员先添加你。' });
    if (parsed.kind !== 'personal' && parsed.kind !== 'daily') return notDone(ctx, { en: 'The personal brief comes every morning: use `digest subscribe 08:30 me`.', 'zh-CN': '个人早报每天早上发送：请用 `digest subscribe 08:30 me`。' });
    s = await upsertSubscription(database, { ...base, chatId: `user:${ctx.event.user.id}`, kind: 'personal', time: parsed.time, timezone: parsed.timezone ?? null, userId: ctx.asker.userId, workingDaysOnly: parsed.workingDaysOnly });
  } else {
    if (ROLE_RANK[ctx.asker.role] < ROLE_RANK.operator) return notDone(ctx, { en: 'Only enrolled members can schedule a digest for a group.', 'zh-CN': '只有已登记的成员可以为群订阅简报。' });
    const teamId = parsed.teamId ?? (parsed.kind === 'review_pack' ? ctx.chat.teamId : null);
    if (parsed.kind === 'review_pack' && !teamId) return notDone(ctx, { en: 'Name the team (`team:<id>`) or bind this group first.', 'zh-CN': '请指定团队（`team:<id>`），或先绑定本群。' });
    if (teamId) {
      const [team] = await database.query<{ id: string }>(sql`select id from teams where workspace_id = ${ctx.workspace.id} and id = ${teamId}`);
      if (!team) return notDone(ctx, { en: `No team "${teamId}".`, 'zh-CN': `没有团队“${teamId}”。` });
    }
    s = await upsertSubscription(database, {
      ...base, chatId: ctx.event.conversation.chatId, kind: parsed.kind, time: parsed.time, timezone: parsed.timezone ?? null, teamId,
      kpis: parsed.kpis ?? null, weekday: parsed.weekday ?? null, dayOfMonth: parsed.dayOfMonth ?? null, workingDaysOnly: parsed.workingDaysOnly,
    });
  }
  await usage(database, ctx, 'command');
  await confirm(service, ctx, s, now, { en: 'Subscribed', 'zh-CN': '已订阅' });
}

const UNSUB_WORDS: Record<SubscriptionKind | 'all', string[]> = {
  daily: ['daily', '每天', '日报'], weekly: ['weekly', '每周', '周报'], biweekly: ['biweekly', '双周'], monthly: ['monthly', '每月', '月报'],
  review_pack: ['review', '复盘'], personal: ['me', '我', '个人'], all: ['all', '全部'],
};

export async function unsubscribe(database: Database, ctx: BotContext, args: string[]): Promise<void> {
  const kind = args.length ? sub(args[0], UNSUB_WORDS) : undefined;
  if (args.length && !kind) return notUnderstood(ctx, { en: 'Say which: daily, weekly, biweekly, monthly, review, me or all.', 'zh-CN': '请说明退订哪一个：日报、周报、双周、月报、复盘、我 或 全部。' }, ['digest unsubscribe', 'digest unsubscribe weekly', 'digest unsubscribe me']);
  const personal = kind === 'personal' || (ctx.chat.kind === 'direct' && kind === undefined);
  const chat: ChatKey = { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey, chatId: personal ? `user:${ctx.event.user.id}` : ctx.event.conversation.chatId };
  if (!personal && ROLE_RANK[ctx.asker.role] < ROLE_RANK.operator) return notDone(ctx, { en: 'Only enrolled members can change a group’s digests.', 'zh-CN': '只有已登记的成员可以修改群的简报订阅。' });
  const n = await removeSubscriptions(database, chat, kind && kind !== 'all' ? [kind] : undefined);
  await usage(database, ctx, 'command');
  await ctx.reply({
    kind: 'text',
    markdown: n ? ctx.t({ en: `Unsubscribed (${n}).`, 'zh-CN': `已退订（${n} 项）。` }) : ctx.t({ en: 'There was no such subscription here.', 'zh-CN': '这里没有这项订阅。' }),
  });
}

export async function listSubscriptions(database: Database, service: DigestService, ctx: BotContext, now: Date): Promise<void> {
  const key = { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey };
  const here = await subscriptionsOfChat(database, { ...key, chatId: ctx.event.conversation.chatId });
  const mine = await subscriptionsOfChat(database, { ...key, chatId: `user:${ctx.event.user.id}` });
  const jobs = await service.jobs(now);
  const rows: Field[] = [...here, ...mine].map((s) => {
    const job = jobs.find((j) => j.id === `${s.kind}:${s.id}`);
    const paused = s.enabled ? '' : ` · ${ctx.t({ en: 'paused', 'zh-CN': '已暂停' })}${s.pausedReason ? ` (${s.pausedReason})` : ''}`;
    return { label: ctx.t(KIND_WORDS[s.kind]), value: `${when(ctx, s, job?.schedule.timezone ?? s.timezone ?? ctx.chat.timezone)}${s.kpis?.length ? ` · ${s.kpis.join(', ')}` : ''}${paused}` };
  });
  const blocks = rows.length ? [fields(rows)] : [];
  blocks.push(note(ctx.t({ en: `Subscribe: ${SUBSCRIBE_EXAMPLES.slice(0, 3).map((e) => `\`${e}\``).join(', ')}`, 'zh-CN': `订阅：${SUBSCRIBE_EXAMPLES.slice(0, 3).map((e) => `\`${e}\``).join('，')}` })));
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t(rows.length ? { en: 'Digest subscriptions', 'zh-CN': '简报订阅' } : { en: 'No digest subscription here yet', 'zh-CN': '这里还没有简报订阅' }), tone: 'info', blocks }) });
}
