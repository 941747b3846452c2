/**
 * The one-line reason behind a goal's colour, in the reader's language: "GMV 82 % of pace, needs
 * ¥41,200/day" / "GMV 完成进度 82 %，还需日均 ¥41,200". Values are written out in full with
 * thousands separators (a target is a commitment, not a chart label); the currency symbol
 * follows the currency, never the language.
 */
import { metricById } from '../kpi/catalogue/index.ts';
import { currencySymbol } from '../render/format.ts';
import type { Pacing, RagResult } from './types.ts';

type Locale = 'zh-CN' | 'en';

function grouped(x: number, decimals: number): string {
  const s = Math.abs(x).toFixed(decimals);
  const [i, f] = s.split('.');
  const body = i!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f && Number(f) !== 0 ? `.${f}` : '');
  return (x < 0 ? '-' : '') + body;
}

/** A value in the metric's unit: `¥41,200`, `25.0 %`, `3.20×`, `1,234`. */
export function formatGoalValue(metricId: string, value: number | null, currency: string | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const unit = metricById(metricId)?.unit ?? 'count';
  switch (unit) {
    case 'money':
      return `${currencySymbol(currency ?? undefined)}${grouped(value, Math.abs(value) < 100 ? 2 : 0)}`;
    case 'ratio':
      return `${grouped(value * 100, 1)} %`;
    case 'multiple':
      return `${grouped(value, 2)}×`;
    case 'days':
    case 'hours':
    case 'minutes':
    case 'stars':
      return grouped(value, 1);
    default:
      return grouped(value, Math.abs(value) < 10 && !Number.isInteger(value) ? 1 : 0);
  }
}

export function metricLabel(metricId: string, locale: Locale): string {
  const def = metricById(metricId);
  if (!def) return metricId;
  // Acronyms (GMV, ACoS, ROAS) read the same in both languages.
  return locale === 'zh-CN' && !/^[A-Za-z]{2,6}$/.test(def.name.en) ? def.name.zh : def.name.en;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function ragReason(
  metricId: string,
  p: Pacing,
  r: RagResult,
  currency: string | null,
  locale: Locale,
  sample?: Readonly<Record<string, number | null>>,
): string {
  const zh = locale === 'zh-CN';
  const name = metricLabel(metricId, locale);
  const v = (x: number | null) => formatGoalValue(metricId, x, currency);
  if (r.redLine) {
    const where = r.redLine.storeId ? ` (${r.redLine.storeId})` : '';
    return zh
      ? `${metricLabel(r.redLine.metricId, locale)} ${formatGoalValue(r.redLine.metricId, r.redLine.value, null)} 触及平台红线 ${formatGoalValue(r.redLine.metricId, r.redLine.red, null)}${where}`
      : `${metricLabel(r.redLine.metricId, locale)} ${formatGoalValue(r.redLine.metricId, r.redLine.value, null)} breaches the platform red line ${formatGoalValue(r.redLine.metricId, r.redLine.red, null)}${where}`;
  }
  switch (r.greyReason) {
    case 'not_started':
      return zh ? `${name}：周期尚未开始` : `${name}: the period has not started`;
    case 'few_days':
      return zh ? `${name}：刚开始（第 ${p.elapsedDays}/${p.periodDays} 天），暂不评级` : `${name}: too early to rate (day ${p.elapsedDays} of ${p.periodDays})`;
    case 'stale':
      return zh ? `${name}：数据未更新，暂不评级` : `${name}: data is stale, not rated`;
    case 'no_data':
      return zh ? `${name}：暂无数据` : `${name}: no data yet`;
    case 'min_sample': {
      const [metric, value] = Object.entries(sample ?? {})[0] ?? ['', null];
      return zh
        ? `${name}：样本太少（${metricLabel(metric, locale)} ${value ?? 0}），暂不评级`
        : `${name}: sample too small (${value ?? 0} ${metricLabel(metric, locale)}), not rated`;
    }
    default:
      break;
  }
  if (p.closed) {
    return zh ? `${name} 最终达成 ${pct(p.pace ?? 0)}（${v(p.actualToDate)} / ${v(p.effectiveTarget)}）` : `${name} final: ${pct(p.pace ?? 0)} of target (${v(p.actualToDate)} of ${v(p.effectiveTarget)})`;
  }
  if (p.kind === 'level') {
    return zh ? `${name} ${v(p.actualToDate)}，目标 ${v(p.effectiveTarget)}` : `${name} ${v(p.actualToDate)} vs target ${v(p.effectiveTarget)}`;
  }
  const needs = p.requiredDaily !== null && p.requiredDaily > 0 ? p.requiredDaily : null;
  if (zh) return `${name} 完成进度 ${pct(p.pace ?? 0)}${needs !== null ? `，还需日均 ${v(needs)}` : ''}`;
  return `${name} ${pct(p.pace ?? 0)} of pace${needs !== null ? `, needs ${v(needs)}/day` : ''}`;
}
