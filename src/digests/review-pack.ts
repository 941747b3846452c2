/**
 * The weekly review pack of a team (周会 / 月度复盘): the period's headline KPIs against the
 * previous one, goals against pace, best and worst stores, then whatever section providers add
 * (the Alerts issue adds alerts with causes and follow-ups, the Scores issue pending adjustments:
 * `ReviewSection` is that seam). Posted as a card; review-export.ts turns it into one long image
 * and a PDF.
 */
import { sql } from 'drizzle-orm';
import { actions, button, card, fields, note, text, type Card, type CardBlock } from '../bot/card.ts';
import { changeText, compareWord, metricLabel, periodWord, valueText } from '../bot/commands/kpi/labels.ts';
import { tr, type Bilingual, type Locale } from '../bot/language.ts';
import type { Database } from '../db/client.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { addDays, addMonths, isoWeekLabel, localDate, monthEnd, startOfIsoWeek } from '../kpi/dates.ts';
import { queryKpi, type KpiResult } from '../kpi/query.ts';
import { datasetsOf, loadDataStatus } from './data-status.ts';
import { goalText } from './digest-card.ts';
import type { GoalSource } from './goal-source.ts';
import { pickKpis } from './compose.ts';
import type { DigestTarget } from './target.ts';
import { followupsReviewSection } from '../alerts/followups/review-section.ts';

export type ReviewPeriod = 'last_week' | 'this_week' | 'last_month' | 'this_month';
export const REVIEW_PERIODS: readonly ReviewPeriod[] = ['last_week', 'this_week', 'last_month', 'this_month'];
export const REVIEW_IMAGE_ACTION = 'digest.review_image';

export interface ReviewContext {
  database: Database;
  target: DigestTarget;
  teamId: string;
  teamName: string;
  period: { id: ReviewPeriod; from: string; to: string };
  now: Date;
  locale: Locale;
}

/** A section later features add to the pack; null = nothing to say this time. */
export interface ReviewSection {
  id: string;
  build(ctx: ReviewContext): Promise<{ title: string; blocks: CardBlock[] } | null>;
}

export interface ReviewPack {
  /** The card posted in chat. */
  card: Card;
  /** The card and every section as separate cards, for the long image and PDF. */
  cards: Card[];
  title: string;
}

const STORES_SHOWN = 3;

function storeRanking(def: ReturnType<typeof metricById> & object, r: KpiResult, names: Map<string, string>, locale: Locale) {
  const before = new Map((r.compare && 'rows' in r.compare ? r.compare.rows : []).map((x) => [String(x.store), x[def.id]]));
  const rows = r.rows
    .filter((x) => typeof x[def.id] === 'number')
    .map((x) => ({ store: String(x.store), now: x[def.id] as number, prev: before.get(String(x.store)) as number | null | undefined }))
    .sort((a, b) => b.now - a.now);
  const line = (x: (typeof rows)[number]) => `${names.get(x.store) ?? x.store} ${valueText(def, x.now, r.currency, locale)} (${changeText(def, x.now, x.prev ?? null)})`;
  // Weakest first, never repeating a store already listed as best.
  return { best: rows.slice(0, STORES_SHOWN).map(line), worst: rows.slice(Math.max(STORES_SHOWN, rows.length - STORES_SHOWN)).reverse().map(line) };
}

/**
 * The pack's dates: the team's calendar week or month (one set of dates for every store, as
 * people say "last week" in a Monday meeting), not each store's own relative period.
 */
export function calendarPeriod(p: ReviewPeriod, today: string): { id: string; from: string; to: string } {
  if (p === 'last_week' || p === 'this_week') {
    const from = addDays(startOfIsoWeek(today), p === 'last_week' ? -7 : 0);
    return { id: `week:${isoWeekLabel(from)}`, from, to: addDays(from, 6) };
  }
  const from = addMonths(today, p === 'last_month' ? -1 : 0);
  return { id: `month:${from.slice(0, 7)}`, from, to: monthEnd(from) };
}

export async function buildReviewPack(
  deps: { database: Database; goals?: GoalSource; sections?: readonly ReviewSection[] },
  t: DigestTarget,
  o: { teamId: string; period: ReviewPeriod; now: Date },
): Promise<ReviewPack> {
  const { database } = deps;
  const { locale } = t;
  const s = (b: Bilingual) => tr(locale, b);
  const ws = t.workspace.id;
  const [team] = await database.query<{ name: string; name_en: string | null }>(sql`select name, name_en from teams where workspace_id = ${ws} and id = ${o.teamId}`);
  const teamName = (locale === 'en' ? team?.name_en : team?.name) ?? team?.name ?? o.teamId;
  const stores = await database.query<{ id: string; name: string }>(sql`select id, name from stores where workspace_id = ${ws} and team_id = ${o.teamId} order by id`);
  const names = new Map(stores.map((x) => [x.id, x.name]));
  const base = { workspaceId: ws, principal: t.principal, now: o.now, filters: { team: [o.teamId] } };
  const { headline } = await pickKpis(database, t, null, stores.map((x) => x.id));
  const period = calendarPeriod(o.period, localDate(t.timezone, o.now));
  // Missing ≠ zero: KPIs of datasets never imported are named, not shown as 0 (as in the digest).
  const status = await loadDataStatus(database, ws, stores.map((x) => x.id));
  const imported = (id: string) => datasetsOf(metricById(id)!).every((d) => status.through.has(d));
  const summary = await queryKpi(database, { ...base, metrics: headline.filter(imported).length ? headline.filter(imported) : ['gmv'], period: period.id, compare: 'prev' });
  const prev = summary.compare && 'total' in summary.compare ? summary.compare.total : {};
  const defs = headline.filter(imported).map((id) => metricById(id)!).filter((d) => summary.total[d.id] !== null && summary.missing?.[d.id] !== 'forbidden');
  const notImported = headline.filter((id) => !imported(id)).map((id) => metricLabel(metricById(id)!, locale));
  const title = `${s({ en: 'Review pack', 'zh-CN': '周会复盘' })} · ${teamName} · ${period.from.slice(5)} – ${period.to.slice(5)}`;
  const blocks: CardBlock[] = [text(`**${periodWord(o.period, locale)}** ${period.from} – ${period.to} · ${compareWord('prev', locale)}`)];
  if (defs.length) {
    blocks.push(fields(defs.map((d) => ({ label: metricLabel(d, locale), value: `${valueText(d, summary.total[d.id], summary.currency, locale)} (${changeText(d, summary.total[d.id], prev[d.id] ?? null)})` }))));
  } else {
    blocks.push(text(s({ en: 'No data for this period yet.', 'zh-CN': '本期还没有数据。' })));
  }
  if (notImported.length) blocks.push(text(`**${s({ en: 'Not imported yet', 'zh-CN': '待导入' })}**: ${notImported.join(locale === 'en' ? ', ' : '、')}`));
  const goals = deps.goals ? await deps.goals.forTeam(ws, o.teamId, o.now) : [];
  blocks.push(text([`**${s({ en: 'Goals vs pace', 'zh-CN': '目标与进度' })}**`, ...(goals.length ? goals.map((g) => `- ${goalText(g, locale)}`) : [s({ en: 'No active goal.', 'zh-CN': '没有进行中的目标。' })])].join('\n')));
  const gmv = metricById('gmv')!;
  if (stores.length > 1) {
    const byStore = await queryKpi(database, { ...base, metrics: ['gmv'], period: period.id, compare: 'prev', groupBy: 'store' });
    const ranking = storeRanking(gmv, byStore, names, locale);
    blocks.push(text([`**${s({ en: 'Best stores (GMV)', 'zh-CN': '表现最好的店铺（GMV）' })}**`, ...ranking.best.map((l) => `- ${l}`)].join('\n')));
    if (ranking.worst.length) blocks.push(text([`**${s({ en: 'Weakest stores (GMV)', 'zh-CN': '表现最弱的店铺（GMV）' })}**`, ...ranking.worst.map((l) => `- ${l}`)].join('\n')));
  }
  if (summary.period.partial) {
    blocks.push(note(s({ en: `Stores whose last day of the period has not closed yet count up to their last complete day (${summary.period.to.slice(5)} at most).`, 'zh-CN': `本期最后一天尚未结束的店铺，只计到其最近完整的一天（最晚 ${summary.period.to.slice(5)}）。` })));
  }
  const ctx: ReviewContext = { database, target: t, teamId: o.teamId, teamName, period: { id: o.period, from: period.from, to: period.to }, now: o.now, locale };
  const extra: Card[] = [];
  // Follow-ups (跟进, issue #29) are always part of the pack; the section is null when there are none.
  for (const section of [...(deps.sections ?? []), followupsReviewSection]) {
    const part = await section.build(ctx);
    if (!part) continue;
    blocks.push(text(`**${part.title}**`), ...part.blocks);
    extra.push(card({ title: part.title, tone: 'info', blocks: part.blocks }));
  }
  blocks.push(actions(button(REVIEW_IMAGE_ACTION, s({ en: 'Long image', 'zh-CN': '长图' }), JSON.stringify({ t: o.teamId, p: o.period }))));
  blocks.push(note(s({ en: `PDF: GET /api/v1/digests/review-pack?team=${o.teamId}&period=${o.period}&format=pdf`, 'zh-CN': `PDF：GET /api/v1/digests/review-pack?team=${o.teamId}&period=${o.period}&format=pdf` })));
  const main = card({ title, tone: goals.some((g) => g.rag === 'red') ? 'critical' : 'info', blocks });
  return { card: main, cards: [main, ...extra], title };
}
