/**
 * The chart of a KPI answer: the same chart input the `/api/v1/charts` route draws
 * (kpi/chart-input.ts), rendered by the process's one ChartRenderer. A failed or overloaded
 * render never breaks the answer: the card shows the same numbers as a text table instead.
 */
import { kpiChartInput } from '../../../kpi/chart-input.ts';
import type { KpiResult } from '../../../kpi/query.ts';
import type { MetricDef } from '../../../kpi/types.ts';
import { chartFallbackTable, type ChartRenderer } from '../../../render/index.ts';
import { image, text, type CardBlock } from '../../card.ts';
import type { Locale } from '../../language.ts';
import { langOf } from './labels.ts';

export interface ChartPart {
  block: CardBlock;
  /** The chart as plain text, for the card's fallback. */
  fallback: string;
  drawn: boolean;
}

/** `groupBy` is the answer's grouping: `day` draws the trend, any other dimension bars. */
export async function chartPart(charts: ChartRenderer, def: MetricDef, result: KpiResult, locale: Locale, groupBy: string): Promise<ChartPart> {
  const input = kpiChartInput(def, result, langOf(locale), groupBy);
  const fallback = chartFallbackTable(input);
  const r = await charts.render(input);
  if (!r.ok) return { block: text(fallback), fallback, drawn: false };
  return { block: image({ png: r.png }, r.alt, r.width, r.height), fallback, drawn: true };
}
