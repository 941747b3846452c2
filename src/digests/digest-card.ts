/**
 * The digest card (one per chat): the dates (each site's own when they differ), ≤ 6 KPI lines
 * with the change and month to date plus pace and RAG where the team has a goal, the datasets
 * not imported yet, the team's goals, top movers, open alerts, the charts, a "展开 / More" button
 * and a footer naming stores whose data stops early. Colours always carry a word (红/黄/绿/灰).
 */
import { actions, button, card, fields, note, text, type Card, type CardBlock, type Tone } from '../bot/card.ts';
import { changeText, compareWord, langOf, metricLabel, periodWord, valueText } from '../bot/commands/kpi/labels.ts';
import { tr, type Bilingual, type Locale } from '../bot/language.ts';
import { formatGoalValue } from '../goals/reason.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { ragWord } from '../goals/cards.ts';
import { formatDay } from '../render/index.ts';
import { CADENCE_PERIODS, type DigestCadence, type DigestData, type KpiLine } from './compose.ts';
import { DATASET_WORDS } from './data-status.ts';
import type { DigestGoal } from './goal-source.ts';

export const MORE_ACTION = 'digest.more';
/** Goal lines on the card; the rest are one `goal list` away. */
export const MAX_GOAL_LINES = 4;

export const CADENCE_TITLE: Record<DigestCadence, Bilingual> = {
  daily: { en: 'Daily digest', 'zh-CN': '日报' },
  weekly: { en: 'Weekly digest', 'zh-CN': '周报' },
  biweekly: { en: 'Biweekly digest', 'zh-CN': '双周报' },
  monthly: { en: 'Monthly digest', 'zh-CN': '月报' },
};

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function goalText(g: DigestGoal, locale: Locale): string {
  const t = (s: Bilingual) => tr(locale, s);
  const def = metricById(g.metricId);
  const parts = [`${ragWord(g.rag, locale)} ${def ? metricLabel(def, locale) : g.metricId}`];
  parts.push(g.scopeLevel === 'company' ? t({ en: 'company', 'zh-CN': '公司' }) : g.scopeLabel);
  if (g.pace !== null) parts.push(`${t({ en: 'pace', 'zh-CN': '进度' })} ${pct(g.pace)}`);
  if (g.requiredDaily !== null && g.requiredDaily > 0) parts.push(`${t({ en: 'needs', 'zh-CN': '还需日均' })} ${formatGoalValue(g.metricId, g.requiredDaily, g.currency)}${t({ en: '/day', 'zh-CN': '' })}`);
  return parts.join(' · ');
}

export function kpiValue(line: KpiLine, d: Pick<DigestData, 'cadence' | 'primary' | 'target'>): string {
  const { locale } = d.target;
  const ccy = d.primary.currency;
  const parts = [valueText(line.def, line.value, ccy, locale)];
  if (line.compare !== null || line.value !== null) {
    parts[0] += ` (${changeText(line.def, line.value, line.compare)} ${compareWord(CADENCE_PERIODS[d.cadence].compare, locale)})`;
  }
  // Full-width brackets (zh) carry their own spacing.
  if (line.restated) parts[0] += line.restated.startsWith('（') ? line.restated : ` ${line.restated}`;
  if (d.cadence !== 'monthly' && line.mtd !== null) parts.push(`${tr(locale, { en: 'MTD', 'zh-CN': '本月' })} ${valueText(line.def, line.mtd, ccy, locale)}`);
  if (line.goal) parts.push(`${line.goal.pace !== null ? `${tr(locale, { en: 'pace', 'zh-CN': '进度' })} ${pct(line.goal.pace)} ` : ''}${ragWord(line.goal.rag, locale)}`);
  return parts.join(' · ');
}

function tone(d: DigestData): Tone {
  const rags = [...d.goals.map((g) => g.rag), ...d.lines.map((l) => l.goal?.rag)];
  if (rags.includes('red')) return 'critical';
  if (rags.includes('amber')) return 'warning';
  return 'info';
}

export function digestTitle(d: Pick<DigestData, 'cadence' | 'target' | 'day'>): string {
  const who = d.target.teamName ?? d.target.workspace.name;
  return `${tr(d.target.locale, CADENCE_TITLE[d.cadence])} · ${who} · ${formatDay(d.day, langOf(d.target.locale))}`;
}

export function buildDigestCard(d: DigestData, chartBlocks: CardBlock[]): Card {
  const { locale } = d.target;
  const t = (s: Bilingual) => tr(locale, s);
  const spec = CADENCE_PERIODS[d.cadence];
  const blocks: CardBlock[] = [];
  const dates = [`**${periodWord(spec.period, locale)}** ${d.periodLine}`];
  if (d.mtd) dates.push(`${t({ en: 'MTD', 'zh-CN': '本月至今' })} ${d.mtd.period.from.slice(5)} – ${d.mtd.period.to.slice(5)}`);
  blocks.push(text(dates.join(' · ')));
  if (d.lines.length) blocks.push(fields(d.lines.map((l) => ({ label: metricLabel(l.def, locale), value: kpiValue(l, d) }))));
  if (d.notImported.length) {
    const list = d.notImported.map((n) => `${tr(locale, DATASET_WORDS[n.dataset])} (${n.kpis.map((k) => metricLabel(k, locale)).join(locale === 'en' ? ', ' : '、')})`);
    blocks.push(text(`**${t({ en: 'Not imported yet', 'zh-CN': '待导入' })}**: ${list.join(locale === 'en' ? '; ' : '；')}`));
  }
  const goals = d.goals.slice(0, MAX_GOAL_LINES);
  if (goals.length) {
    const rest = d.goals.length - goals.length;
    const head = `**${t({ en: 'Goals', 'zh-CN': '目标进度' })}**`;
    const tail = rest > 0 ? [t({ en: `…and ${rest} more: goal list`, 'zh-CN': `…另有 ${rest} 个：goal list` })] : [];
    blocks.push(text([head, ...goals.map((g) => `- ${goalText(g, locale)}`), ...tail].join('\n')));
  }
  if (d.movers?.list.length) {
    const m = d.movers;
    const list = m.list.map((x) => `${x.name} ${x.delta > 0 ? '+' : ''}${valueText(m.def, x.delta, d.primary.currency, locale)}`);
    blocks.push(text(`**${t({ en: 'Top movers', 'zh-CN': '变化最大' })}** (${metricLabel(m.def, locale)}, ${compareWord(spec.compare, locale)}): ${list.join(locale === 'en' ? ', ' : '，')}`));
  }
  if (d.openAlerts > 0) {
    blocks.push(text(t({ en: `**Open alerts**: ${d.openAlerts} (alert list)`, 'zh-CN': `**未处理预警** ${d.openAlerts} 条（alert list 查看）` })));
  }
  if (d.overflowAlerts?.length) {
    const list = d.overflowAlerts.map((a) => `• #${a.id} ${a.title}`).join('\n');
    blocks.push(text(`${t({ en: '**Alerts held back by the daily cap**', 'zh-CN': '**因每日上限未单独推送的预警**' })}\n${list}`));
  }
  blocks.push(...chartBlocks);
  blocks.push(actions(button(MORE_ACTION, t({ en: 'More', 'zh-CN': '展开' }), JSON.stringify({ c: d.cadence, k: [...d.lines.map((l) => l.def.id), ...d.more] }))));
  if (d.late.length) {
    const list = d.late.map((l) => `${l.store} ${tr(locale, DATASET_WORDS[l.dataset])} ${l.through ? formatDay(l.through, langOf(locale)) : '—'}`).join(locale === 'en' ? ', ' : '、');
    blocks.push(note(t({ en: `Data not complete yet: ${list} (complete through)`, 'zh-CN': `数据未更新完：${list}（已完整到）` })));
  }
  if (d.cadence === 'monthly' && Number(d.day.slice(8, 10)) < 15) {
    blocks.push(note(t({ en: 'Preliminary: ad attribution and refunds settle by the 15th', 'zh-CN': '初步数据：广告归因和退款 15 日前仍会变化' })));
  }
  if (d.primary.period.fellBack) blocks.push(note(t({ en: 'No complete day in this period yet: showing the previous one', 'zh-CN': '本期尚无完整数据，显示上一期' })));
  return card({ title: digestTitle(d), tone: tone(d), blocks });
}
