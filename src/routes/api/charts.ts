/**
 * `GET /api/v1/charts?metric=gmv&period=last_30d&groupBy=&compare=&lang=zh|en` plus the KPI
 * filters → image/png: a daily trend, or bars when grouped. Same auth and validation as
 * `/api/v1/kpi`. When a chart cannot be drawn (no data, a render failure) the answer is a 422
 * whose body carries the same numbers as a text table, never a broken image.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { metricById } from '../../kpi/catalogue/index.ts';
import { kpiChartInput } from '../../kpi/chart-input.ts';
import { FILTER_DIMENSIONS, GROUP_DIMENSIONS, type FilterDimension, type GroupDimension } from '../../kpi/dimensions.ts';
import { PERIOD_HELP, type CompareId } from '../../kpi/periods.ts';
import { KpiError, queryKpi } from '../../kpi/query.ts';
import { chartFallbackTable, type ChartRenderer } from '../../render/index.ts';

const LIST = { type: 'string', maxLength: 2000 } as const;

const querystring = {
  type: 'object',
  additionalProperties: false,
  required: ['metric'],
  properties: {
    workspace: { type: 'string', maxLength: 63 },
    metric: { type: 'string', maxLength: 60 },
    period: { type: 'string', maxLength: 100, default: 'last_30d', description: PERIOD_HELP },
    groupBy: { type: 'string', enum: GROUP_DIMENSIONS.filter((d) => d !== 'day') },
    compare: { type: 'string', enum: ['prev', 'yoy', 'wow'] },
    currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
    lang: { type: 'string', enum: ['zh', 'en'], default: 'zh' },
    ...Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, LIST])),
  },
} as const;

export async function chartRoutes(app: FastifyInstance, opts: { database: Database; renderer: ChartRenderer }): Promise<void> {
  app.get('/charts', { schema: { tags: ['kpi'], summary: 'A KPI chart as PNG (trend, or bars when grouped)', querystring } }, async (req, reply) => {
    const qs = req.query as Record<string, string | undefined>;
    const def = metricById(qs.metric ?? '');
    if (!def) throw new AppError('invalid_argument', `unknown metric "${(qs.metric ?? '').slice(0, 40)}" (see GET /api/v1/metrics)`, { field: 'metric' });
    const groupBy = (qs.groupBy as GroupDimension | undefined) ?? 'day';
    const filters: Partial<Record<FilterDimension, string[]>> = {};
    for (const f of FILTER_DIMENSIONS) if (qs[f]) filters[f] = qs[f]!.split(',').map((x) => x.trim()).filter(Boolean);
    let result;
    try {
      result = await queryKpi(opts.database, {
        workspaceId: req.principal!.workspaceId,
        metrics: [def.id],
        period: qs.period ?? 'last_30d',
        compare: groupBy === 'day' ? (qs.compare as CompareId | undefined) : undefined,
        groupBy,
        currency: qs.currency,
        filters,
        principal: req.principal!,
      });
    } catch (err) {
      if (err instanceof KpiError) throw new AppError('invalid_argument', err.message, { field: err.field === 'metrics' ? 'metric' : err.field });
      throw err;
    }
    if (result.missing?.[def.id] === 'forbidden') throw new AppError('forbidden', `your role may not see ${def.id}`);
    const input = kpiChartInput(def, result, qs.lang === 'en' ? 'en' : 'zh', groupBy);
    const chart = await opts.renderer.render(input);
    if (!chart.ok) {
      return reply.code(422).send({ error: 'chart_unavailable', message: chart.message, reason: chart.reason, fallback: chartFallbackTable(input) });
    }
    return reply.type('image/png').header('cache-control', 'private, max-age=300').send(chart.png);
  });
}
