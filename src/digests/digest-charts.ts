/**
 * The digest's one or two charts, drawn by the process's ChartRenderer: the lead KPI's trend with
 * the previous period as a ghost line, and bars by store when the team has several. One card per
 * chat, never a message per chart; a chart that cannot be drawn becomes its text table, never a
 * missing block.
 */
import { image, text, type CardBlock } from '../bot/card.ts';
import { langOf } from '../bot/commands/kpi/labels.ts';
import type { Database } from '../db/client.ts';
import { kpiChartInput } from '../kpi/chart-input.ts';
import { queryKpi } from '../kpi/query.ts';
import { chartFallbackTable, type ChartRenderer } from '../render/index.ts';
import type { TrendChart, BarsChart } from '../render/types.ts';
import { CADENCE_PERIODS, type DigestData } from './compose.ts';

async function draw(charts: ChartRenderer, input: TrendChart | BarsChart): Promise<CardBlock> {
  const r = await charts.render(input);
  return r.ok ? image({ png: r.png }, r.alt, r.width, r.height) : text(chartFallbackTable(input));
}

export async function digestCharts(database: Database, charts: ChartRenderer, d: DigestData): Promise<CardBlock[]> {
  const lead = d.lines[0];
  if (!lead) return [];
  const lang = langOf(d.target.locale);
  const spec = CADENCE_PERIODS[d.cadence];
  const trend = await queryKpi(database, {
    workspaceId: d.target.workspace.id,
    principal: d.target.principal,
    now: d.now,
    metrics: [lead.def.id],
    period: spec.trend,
    compare: 'prev',
    groupBy: 'day',
  });
  const blocks = [await draw(charts, kpiChartInput(lead.def, trend, lang, 'day'))];
  if (d.movers && d.movers.byStore.rows.length > 1) blocks.push(await draw(charts, kpiChartInput(d.movers.def, d.movers.byStore, lang, 'store')));
  return blocks;
}
