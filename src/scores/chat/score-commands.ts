/**
 * `score [@x] [month]`, `scorecard team:<id> [month]` (DM only: in a group the answer goes by DM)
 * and the close commands: `score signoff team:<id> [month]`, `score reopen <month> "reason"`,
 * `score lock <month>`, `score veto @x <month> <code> "note"`, `score export [team:<id>] [month]
 * to:@dave`, `score days <preliminary> <lock>` (admins).
 */
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { parseScopeToken } from '../../bot/parse/index.ts';
import { parseMention } from '../../bot/parse/index.ts';
import { resolveTeam } from '../../bot/resolve.ts';
import { goalDeps, resolvePerson } from '../../goals/chat/common.ts';
import { personalScoreCard, teamScoreCard } from '../cards.ts';
import { lockMonth, reopenMonth, signOff } from '../close.ts';
import { parseMonth, requireMonth } from '../close-state.ts';
import { ScoreError } from '../errors.ts';
import { sendScoreExport } from '../export.ts';
import { setCloseDays } from '../settings.ts';
import { scoreFor, teamScores } from '../view.ts';
import { recordVeto } from '../vetoes.ts';
import { answerPrivately } from './private.ts';

const now = (fd: FeatureDeps) => goalDeps(fd).now?.() ?? new Date();

function bad(en: string, zh: string): never {
  throw new ScoreError('invalid_argument', en, { zh });
}

async function person(fd: FeatureDeps, ctx: BotContext, token: string): Promise<string> {
  const r = await resolvePerson(fd, ctx, token);
  if (!r.ok) throw new ScoreError('not_found', r.message.en, { zh: r.message['zh-CN'], field: 'user' });
  return r.id;
}

async function team(fd: FeatureDeps, ctx: BotContext, token: string | undefined): Promise<string> {
  const ref = token ? parseScopeToken(token) : undefined;
  const typed = ref?.dim === 'team' ? ref.text : undefined;
  if (!typed) {
    const own = ctx.chat.teamId ?? (ctx.asker.scope.all ? undefined : ctx.asker.scope.teamIds[0]);
    if (own && !token) return own;
    return bad('name the team, e.g. team:amazon-us', '请写明团队，例如 团队:amazon-us');
  }
  const r = await resolveTeam(fd.database, ctx.workspace.id, typed);
  if (!r.ok) throw new ScoreError('not_found', `no team "${typed.slice(0, 40)}"`, { zh: `找不到团队“${typed.slice(0, 40)}”`, field: 'team' });
  return r.id;
}

/** `score`, `score @carol 2026-11`, `score 上月`. */
export async function scoreCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  await answerPrivately(ctx, async () => {
    const mention = args.find((a) => parseMention(a) !== undefined || a.startsWith('@'));
    const rest = args.filter((a) => a !== mention);
    if (rest.length > 1) bad('use: score [@person] [month], e.g. score @carol 2026-11', '用法：score [@成员] [月份]，例如 score @carol 2026-11');
    const month = requireMonth(rest[0], ctx.workspace.timezone, now(fd));
    const userId = mention ? await person(fd, ctx, mention) : ctx.asker.userId;
    if (!userId) throw new ScoreError('forbidden', 'only enrolled people have scores', { zh: '只有已登记的成员有绩效', rule: 'privacy' });
    const a = await scoreFor(goalDeps(fd), ctx.asker, userId, month);
    return { kind: 'card', card: personalScoreCard(a.record, ctx.locale, a.rank ? { rank: a.rank } : {}) };
  });
}

/** `scorecard team:amazon-us [month]`: the team's ranking (managers of the team, admins). */
export async function scorecardCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  await answerPrivately(ctx, async () => {
    const teamToken = args.find((a) => parseScopeToken(a)?.dim === 'team');
    const rest = args.filter((a) => a !== teamToken);
    const month = requireMonth(rest[0], ctx.workspace.timezone, now(fd));
    const t = await team(fd, ctx, teamToken);
    const list = await teamScores(goalDeps(fd), ctx.asker, t, month);
    return { kind: 'card', card: teamScoreCard(t, month, list, ctx.locale) };
  });
}

function done(ctx: BotContext, en: string, zh: string, body?: string) {
  return ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en, 'zh-CN': zh }), tone: 'success', blocks: body ? [text(body)] : [] }) });
}

function monthArg(fd: FeatureDeps, ctx: BotContext, args: string[]): { month: string; rest: string[] } {
  const i = args.findIndex((a) => parseMonth(a, ctx.workspace.timezone, now(fd)) !== undefined);
  if (i < 0) return { month: requireMonth(undefined, ctx.workspace.timezone, now(fd)), rest: args };
  return { month: parseMonth(args[i], ctx.workspace.timezone, now(fd))!, rest: args.filter((_, j) => j !== i) };
}

export async function signOffCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const { month, rest } = monthArg(fd, ctx, args);
  const t = await team(fd, ctx, rest.find((a) => parseScopeToken(a)?.dim === 'team'));
  await signOffAndSay(fd, ctx, month, t);
}

/** 签字确认 from the card or typed. */
export async function signOffAndSay(fd: FeatureDeps, ctx: BotContext, month: string, teamId: string): Promise<void> {
  const r = await signOff(goalDeps(fd), ctx.asker, month, teamId);
  await done(ctx, `Signed off: ${teamId} ${month}`, `已签字确认：${teamId} ${month}`, r.state === 'locked' ? ctx.t({ en: `${month} is now locked.`, 'zh-CN': `${month} 已锁定。` }) : ctx.t({ en: `Waiting for: ${r.pending.join(', ')}`, 'zh-CN': `待签字：${r.pending.join('、')}` }));
}

export async function reopenCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const { month, rest } = monthArg(fd, ctx, args);
  await reopenMonth(goalDeps(fd), ctx.asker, month, rest.join(' ').trim() || undefined);
  await done(ctx, `${month} reopened`, `${month} 已重新打开`, ctx.t({ en: `Scores may change again; lock it with: score lock ${month}`, 'zh-CN': `得分可再次变化；完成后请锁定：score lock ${month}` }));
}

export async function lockCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const { month } = monthArg(fd, ctx, args);
  const r = await lockMonth(goalDeps(fd), ctx.asker, month);
  await done(ctx, `${month} final`, `${month} 已定稿`, ctx.t({ en: `${r.scored} scores frozen; managers were asked to sign off.`, 'zh-CN': `已冻结 ${r.scored} 份绩效，已请主管签字确认。` }));
}

export async function vetoCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const mention = args.find((a) => a.startsWith('@') || parseMention(a) !== undefined);
  if (!mention) bad('use: score veto @person <month> fake_orders|review_manipulation|confirmed_violation "note"', '用法：score veto @成员 <月份> fake_orders|review_manipulation|confirmed_violation "说明"');
  const { month, rest } = monthArg(fd, ctx, args.filter((a) => a !== mention));
  const [code, ...note] = rest;
  const userId = await person(fd, ctx, mention);
  await recordVeto(goalDeps(fd), ctx.asker, { userId, month, code: code ?? '', note: note.join(' ') });
  await done(ctx, `Veto recorded for ${userId} (${month})`, `已记录否决项：${userId}（${month}）`, ctx.t({ en: 'The score of that month is capped at 60.', 'zh-CN': '该月得分封顶 60 分。' }));
}

export async function exportCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const teamToken = args.find((a) => parseScopeToken(a)?.dim === 'team');
  const toIdx = args.findIndex((a) => /^(to|发送给|给):/i.test(a.normalize('NFKC')));
  const recipientsTyped = toIdx < 0 ? [] : [args[toIdx]!.replace(/^[^:]+:/, ''), ...args.slice(toIdx + 1).filter((a) => a.startsWith('@'))].filter(Boolean);
  const { month } = monthArg(fd, ctx, args.filter((a, i) => a !== teamToken && (toIdx < 0 || i < toIdx)));
  const t = teamToken ? await team(fd, ctx, teamToken) : undefined;
  const recipients: string[] = [];
  for (const r of recipientsTyped) recipients.push(await person(fd, ctx, r));
  const n = await sendScoreExport(goalDeps(fd), ctx.asker, month, t, recipients);
  await done(ctx, `Score export ${month} sent`, `${month} 绩效导出已发送`, ctx.t({ en: `To ${recipients.join(', ')} (${n} DMs).`, 'zh-CN': `已私信 ${recipients.join('、')}（${n} 条）。` }));
}

export async function daysCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const [p, l] = args.map((a) => Number(a));
  const r = await setCloseDays(fd.database, ctx.asker, { preliminaryDay: p ?? NaN, lockDay: l ?? NaN });
  await done(ctx, 'Month close days changed', '月结日期已更新', ctx.t({ en: `Preliminary on day ${r.preliminaryDay}, final and locked on day ${r.lockDay}.`, 'zh-CN': `每月 ${r.preliminaryDay} 日出初步绩效，${r.lockDay} 日定稿锁定。` }));
}
