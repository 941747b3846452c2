/**
 * Maps a KPI result onto the renderer's neutral chart inputs: a daily trend (with the comparison
 * period as a ghost line) when not grouped, bars by the dimension when grouped. The KPI engine
 * stays unaware of pixels; the renderer stays unaware of metrics.
 */
import type { BarsChart, Lang, TrendChart, ValueFormat, ValueUnit } from '../render/types.ts';
import type { KpiResult } from './query.ts';
import type { MetricDef, Unit } from './types.ts';

const UNIT: Record<Unit, ValueUnit> = {
  money: 'money',
  count: 'count',
  units: 'count',
  ratio: 'percent',
  multiple: 'multiple',
  per_year: 'multiple',
  days: 'days',
  hours: 'hours',
  minutes: 'minutes',
  stars: 'rating',
  score: 'score',
  points: 'score',
};

/** How a metric's values are formatted (render/format.ts), for charts and chat cards alike. */
export function metricFormat(def: MetricDef, currency: string): ValueFormat {
  return { unit: UNIT[def.unit], ...(def.unit === 'money' ? { currency } : {}) };
}

const PERIOD_WORDS: Record<string, { zh: string; en: string }> = {
  yesterday: { zh: '昨天', en: 'Yesterday' },
  this_week: { zh: '本周', en: 'This week' },
  last_week: { zh: '上周', en: 'Last week' },
  this_month: { zh: '本月', en: 'This month' },
  last_month: { zh: '上月', en: 'Last month' },
  this_quarter: { zh: '本季度', en: 'This quarter' },
  this_year: { zh: '今年', en: 'This year' },
};

export function periodLabel(id: string, lang: Lang): string {
  const m = /^last_(\d+)d$/.exec(id);
  if (m) return lang === 'zh' ? `近${m[1]}天` : `Last ${m[1]} days`;
  const w = PERIOD_WORDS[id];
  if (w) return w[lang];
  return id.replace(/^custom:/, '').replace('..', ' – ');
}

function titleOf(def: MetricDef, result: KpiResult, lang: Lang): { title: string; subtitle: string } {
  const name = lang === 'zh' ? (def.name.zh === def.name.en ? def.name.zh : `${def.name.zh} ${def.name.en}`) : def.name.en;
  return {
    title: `${name} · ${periodLabel(result.period.id, lang)}`,
    subtitle: `${result.period.from} – ${result.period.to}`,
  };
}

/** `result` must come from a query grouped by `day` (trend) or by one dimension (bars). */
export function kpiChartInput(def: MetricDef, result: KpiResult, lang: Lang, groupBy: string): TrendChart | BarsChart {
  const format = metricFormat(def, result.currency);
  const { title, subtitle } = titleOf(def, result, lang);
  const value = (r: Record<string, unknown>) => (typeof r[def.id] === 'number' ? (r[def.id] as number) : null);
  if (groupBy === 'day') {
    return {
      kind: 'trend',
      title,
      subtitle,
      lang,
      ...format,
      series: result.rows.map((r) => ({ date: String(r.day), value: value(r) })),
      ...(result.compare ? { previous: result.compare.rows.map((r) => ({ date: String(r.day), value: value(r) })) } : {}),
    };
  }
  return {
    kind: 'bars',
    title,
    subtitle,
    lang,
    ...format,
    bars: result.rows.map((r) => ({ label: String(r[groupBy]), value: value(r) })),
  };
}
