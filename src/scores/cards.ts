/**
 * Score cards in the neutral Card model, in the reader's language: a person's scorecard (each
 * KPI with weight, original and adjusted target with the reason, actual, achievement, capped
 * points; veto, grade, close state, late-data difference), a team's ranking, and the managers'
 * sign-off card. Scores only ever go to DMs (the callers make sure).
 */
import { actions, button, card, fields, note, text, type Card } from '../bot/card.ts';
import { formatGoalValue, metricLabel } from '../goals/reason.ts';
import type { CardLine } from './compute.ts';
import type { ScoreRecord } from './store.ts';
import { VETO_LABEL } from './templates.ts';

type Locale = 'zh-CN' | 'en';
const L = (locale: Locale, en: string, zh: string) => (locale === 'zh-CN' ? zh : en);

export const REASON_LABEL: Record<string, { en: string; 'zh-CN': string }> = {
  stockout: { en: 'stockout', 'zh-CN': '断货' },
  store_suspension: { en: 'store suspension', 'zh-CN': '封店/冻结' },
  platform_policy_change: { en: 'platform policy change', 'zh-CN': '平台政策变更' },
  logistics_delay: { en: 'logistics delay', 'zh-CN': '物流延误' },
  platform_review: { en: 'platform review delay', 'zh-CN': '平台审核延迟' },
  force_majeure: { en: 'force majeure', 'zh-CN': '不可抗力' },
};

const STATE_WORD: Record<string, [string, string]> = {
  open: ['provisional (month not closed)', '暂估（月份未结）'],
  preliminary: ['preliminary', '初步'],
  reopened: ['reopened', '已重新打开'],
  final: ['final, awaiting sign-off', '已定稿，待主管签字'],
  locked: ['final and locked', '已定稿锁定'],
};

export function stateWord(s: string, locale: Locale): string {
  const w = STATE_WORD[s] ?? [s, s];
  return L(locale, w[0], w[1]);
}

export const scoreText = (s: number | null) => (s === null ? '—' : s.toFixed(1));
const pct = (a: number | null) => (a === null ? '—' : `${(a * 100).toFixed(1)} %`);

export function reasonText(l: CardLine, locale: Locale): string {
  return l.adjustments.map((a) => {
    const why = REASON_LABEL[a.reasonCode]?.[locale] ?? a.reasonCode;
    const what = a.action === 'exclude_dates' ? L(locale, `days ${a.range} excluded`, `剔除 ${a.range}`) : a.action === 'exclude_kpi' ? L(locale, 'KPI excluded', '指标剔除') : L(locale, 'target changed', '目标调整');
    return `${what} · ${why}${a.note ? ` "${a.note}"` : ''}`;
  }).join('; ');
}

function lineText(l: CardLine, locale: Locale): string {
  const label = metricLabel(l.metricId, locale);
  const w = `${l.weight} %`;
  if (l.excluded === 'adjustment') return `• ${label} (${w}): ${L(locale, 'excluded by adjustment', '已按调整剔除')} — ${reasonText(l, locale)}`;
  const target = formatGoalValue(l.metricId, l.target, l.currency);
  const adjusted = l.adjustments.length > 0 && l.originalTarget !== l.target;
  const targetPart = adjusted ? `${L(locale, 'target', '目标')} ${formatGoalValue(l.metricId, l.originalTarget, l.currency)} → ${target} (${reasonText(l, locale)})` : `${L(locale, 'target', '目标')} ${target}${l.adjustments.length ? ` (${reasonText(l, locale)})` : ''}`;
  if (l.excluded === 'grey') return `• ${label} (${w}): ${L(locale, 'not enough data — weight shared out', '数据不足，权重按比例分配')}${l.goalId ? ` · ${targetPart}` : L(locale, ' · no goal', ' · 无目标')}`;
  const capped = l.achievement !== null && l.achievement > l.cap ? L(locale, ` (capped at ${Math.round(l.cap * 100)} %)`, `（封顶 ${Math.round(l.cap * 100)}%）`) : '';
  return `• ${label} (${w}): ${targetPart} · ${L(locale, 'actual', '实际')} ${formatGoalValue(l.metricId, l.actual, l.currency)} · ${pct(l.achievement)}${capped} → **${l.points.toFixed(1)}**${l.redLine ? L(locale, ' · red line breached', ' · 触及红线') : ''}`;
}

export function personalScoreCard(r: ScoreRecord, locale: Locale, o: { rank?: { place: number; of: number } } = {}): Card {
  const f = [
    { label: L(locale, 'Score', '得分'), value: r.manualReview ? L(locale, 'no score — manual review (over half the weight excluded)', '无得分——超过一半权重被剔除，需人工评估') : `**${scoreText(r.score)}**` },
    { label: L(locale, 'Grade', '等级'), value: r.grade ?? '—' },
    { label: L(locale, 'Status', '状态'), value: stateWord(r.monthState, locale) },
  ];
  if (o.rank) f.push({ label: L(locale, 'Rank in team', '团队排名'), value: `${o.rank.place} / ${o.rank.of}` });
  if (r.veto) f.push({ label: L(locale, 'Veto', '否决项'), value: `${r.vetoReasons.map((c) => VETO_LABEL[c][locale]).join('、')} → ${L(locale, 'capped at 60', '封顶 60 分')}` });
  if (r.signOff) f.push({ label: L(locale, 'Signed off', '主管签字'), value: `${r.signOff.by} · ${r.signOff.at.slice(0, 10)}` });
  const notes: string[] = [];
  if (r.lateData) {
    notes.push(L(locale, `Late data: today's data would give ${scoreText(r.lateData.recomputedScore)} (${r.lateData.difference === null ? '—' : `${r.lateData.difference > 0 ? '+' : ''}${r.lateData.difference.toFixed(2)}`}); the locked score stays.`, `迟到数据：按当前数据为 ${scoreText(r.lateData.recomputedScore)}（差 ${r.lateData.difference === null ? '—' : `${r.lateData.difference > 0 ? '+' : ''}${r.lateData.difference.toFixed(2)}`}），锁定得分不变。`));
  }
  if (r.monthState === 'open' || r.monthState === 'preliminary' || r.monthState === 'reopened') notes.push(L(locale, `To adjust a target: adjust request <goal> target <value> reason:stockout "…"`, `申请调整：adjust request <目标编号> target <新目标> reason:stockout "说明"`));
  return card({
    title: L(locale, `Score ${r.month}: ${r.name}`, `${r.month} 绩效：${r.name}`),
    tone: r.veto || (r.score !== null && r.score < 85) ? 'warning' : 'info',
    blocks: [fields(f), text(r.lines.map((l) => lineText(l, locale)).join('\n')), ...notes.map((n) => note(n))],
  });
}

/** A team's scores ranked (managers and admins, by DM). Scores are never averaged into a team score. */
export function teamScoreCard(team: string, month: string, list: ScoreRecord[], locale: Locale): Card {
  const ranked = rankRecords(list);
  const lines = ranked.map(({ r, place }) => `${place ?? '—'}. ${r.name} (${r.position ?? '—'}) · **${scoreText(r.score)}** ${r.grade ?? ''}${r.veto ? L(locale, ' · veto', ' · 否决') : ''}${r.lateData ? L(locale, ` · late data ${scoreText(r.lateData.recomputedScore)}`, ` · 迟到数据 ${scoreText(r.lateData.recomputedScore)}`) : ''}`);
  const state = list[0]?.monthState ?? 'open';
  return card({
    title: L(locale, `Scorecard ${month}: ${team}`, `${month} 团队绩效：${team}`),
    tone: 'info',
    blocks: [text(lines.join('\n') || L(locale, 'Nobody scored.', '暂无考核人员。')), note(`${stateWord(state, locale)} · ${L(locale, 'team scores come from team goals, never from averaging people', '团队得分来自团队目标，不取个人平均')}`)],
  });
}

/** Highest first; people without a score last, unranked. */
export function rankRecords(list: ScoreRecord[]): { r: ScoreRecord; place: number | null }[] {
  const sorted = [...list].sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.userId.localeCompare(b.userId));
  let place = 0;
  let last: number | null = null;
  return sorted.map((r, i) => {
    if (r.score === null) return { r, place: null };
    if (r.score !== last) place = i + 1;
    last = r.score;
    return { r, place };
  });
}

export function signOffCard(team: string, month: string, list: ScoreRecord[], locale: Locale): Card {
  const c = teamScoreCard(team, month, list, locale);
  return card({
    title: L(locale, `${month} scores of ${team} are final: please sign off`, `${month} ${team} 绩效已定稿，请签字确认`),
    tone: 'warning',
    blocks: [...c.blocks, actions(button('score.sign_off', L(locale, 'Sign off', '签字确认'), `${month}:${team}`, 'primary'))],
  });
}
