/**
 * `review pack team:amazon-us [last week|this week|last month|this month]` (`复盘 团队:亚马逊美国
 * 上周`): the team's review pack as a card in this chat, and the "长图 / Long image" button that
 * answers with the whole pack as one tall picture. A group only gets packs of teams its audience
 * may read (its bound team's subtree); a DM those of the asker's own scope.
 */
import { sql } from 'drizzle-orm';
import { teamSubtree } from '../../access/principal.ts';
import { card, image, note } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { storeImage } from '../../bot/images.ts';
import type { Database } from '../../db/client.ts';
import { exportReviewPack } from '../review-export.ts';
import { REVIEW_PERIODS, type ReviewPeriod } from '../review-pack.ts';
import type { DigestService } from '../service.ts';
import { notDone, notUnderstood, targetOf, usage } from './common.ts';

export const REVIEW_EXAMPLES = ['review pack team:amazon-us', 'review pack team:amazon-us last week', '复盘 团队:亚马逊美国 上周'];

const PERIOD_WORDS: Record<string, ReviewPeriod> = {
  'last week': 'last_week', 上周: 'last_week', 'this week': 'this_week', 本周: 'this_week',
  'last month': 'last_month', 上月: 'last_month', 上个月: 'last_month', 'this month': 'this_month', 本月: 'this_month',
};

export function parseReviewArgs(args: readonly string[]): { team?: string; period: ReviewPeriod } | { error: string } {
  const words = args.filter((a, i) => !(i === 0 && /^(pack|包)$/i.test(a)));
  let team: string | undefined;
  let period: ReviewPeriod = 'last_week';
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const two = `${w} ${words[i + 1] ?? ''}`.toLowerCase();
    if (/^(team|团队)[:：]/i.test(w)) team = w.replace(/^(team|团队)[:：]/i, '');
    else if (PERIOD_WORDS[two]) {
      period = PERIOD_WORDS[two];
      i++;
    } else if (PERIOD_WORDS[w.toLowerCase()]) period = PERIOD_WORDS[w.toLowerCase()]!;
    else if ((REVIEW_PERIODS as readonly string[]).includes(w)) period = w as ReviewPeriod;
    else return { error: w.slice(0, 40) };
  }
  return { ...(team ? { team } : {}), period };
}

/** A team by id, English or Chinese name. */
async function findTeam(database: Database, workspaceId: string, word: string): Promise<string | undefined> {
  const [row] = await database.query<{ id: string }>(sql`
    select id from teams where workspace_id = ${workspaceId} and (id = ${word} or name = ${word} or lower(name_en) = lower(${word})) limit 1`);
  return row?.id;
}

async function allowedTeam(database: Database, ctx: BotContext, teamId: string): Promise<boolean> {
  const p = ctx.audience;
  if (p.scope.all || p.role === 'member' || p.role === 'finance') return true;
  const teams = p.role === 'manager' || p.kind === 'group' ? await teamSubtree(database, ctx.workspace.id, [...p.scope.teamIds]) : [...p.scope.teamIds];
  return teams.includes(teamId);
}

async function resolve(database: Database, ctx: BotContext, args: string[]) {
  const parsed = parseReviewArgs(args);
  if ('error' in parsed) {
    await notUnderstood(ctx, { en: `"${parsed.error}" is not a team or period here.`, 'zh-CN': `看不懂“${parsed.error}”：请写团队和时间。` }, REVIEW_EXAMPLES);
    return null;
  }
  const teamId = parsed.team ? await findTeam(database, ctx.workspace.id, parsed.team) : (ctx.chat.teamId ?? undefined);
  if (!teamId) {
    await notDone(ctx, parsed.team ? { en: `No team "${parsed.team}".`, 'zh-CN': `没有团队“${parsed.team}”。` } : { en: 'Name the team: `review pack team:<id>`.', 'zh-CN': '请指定团队：`复盘 团队:<id>`。' });
    return null;
  }
  if (!(await allowedTeam(database, ctx, teamId))) {
    await notDone(ctx, { en: 'This chat may not see that team’s numbers.', 'zh-CN': '本群无权查看该团队的数据。' });
    return null;
  }
  return { teamId, period: parsed.period };
}

export async function reviewPack(database: Database, service: DigestService, ctx: BotContext, args: string[], now: Date): Promise<void> {
  const r = await resolve(database, ctx, args);
  if (!r) return;
  const pack = await service.reviewPack(targetOf(ctx), { ...r, now });
  await ctx.reply({ kind: 'card', card: pack.card });
  await usage(database, ctx, 'digest_read');
}

export async function reviewImage(database: Database, service: DigestService, ctx: BotContext, value: string | undefined, now: Date): Promise<void> {
  let v: { t?: unknown; p?: unknown } = {};
  try {
    v = JSON.parse(value ?? '') as typeof v;
  } catch {
    // Falls through to the "no longer active" answer.
  }
  if (typeof v.t !== 'string' || typeof v.p !== 'string') {
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is no longer active.', 'zh-CN': '这个按钮已失效。' }) });
    return;
  }
  const r = await resolve(database, ctx, [`team:${v.t}`, v.p]);
  if (!r) return;
  const pack = await service.reviewPack(targetOf(ctx), { ...r, now });
  const { image: long } = await exportReviewPack(database, pack);
  const imageId = await storeImage(database, { png: long.png, width: long.width * long.scale, height: long.height * long.scale, workspaceId: ctx.workspace.id });
  await ctx.reply({
    kind: 'card',
    card: card({
      title: `${pack.title} · ${ctx.t({ en: 'long image', 'zh-CN': '长图' })}`,
      tone: 'info',
      blocks: [image({ imageId }, pack.title, long.width, long.height), note(ctx.t({ en: 'Forward this picture, or get the PDF from the REST API.', 'zh-CN': '可直接转发这张图片；PDF 可从 REST API 获取。' }))],
    }),
  });
}
