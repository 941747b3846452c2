/**
 * `GET /api/v1/metrics` (the catalogue) and `GET /api/v1/kpi` (values). Query parameters are
 * comma lists where they name several things; mistakes are a 400 naming the parameter and what
 * it accepts. Ratios are fractions (0.253), money is in `currency`.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { METRICS } from '../../kpi/catalogue/index.ts';
import { FILTER_DIMENSIONS, GROUP_DIMENSIONS, type FilterDimension, type GroupDimension } from '../../kpi/dimensions.ts';
import { COMPARES, PERIOD_HELP, type CompareId } from '../../kpi/periods.ts';
import { KpiError, queryKpi } from '../../kpi/query.ts';

const LIST = { type: 'string', maxLength: 2000 } as const;
const UNSUPPORTED_FILTERS = ['category', 'owner', 'ad_group', 'warehouse'] as const;

const kpiQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['metrics'],
  properties: {
    workspace: { type: 'string', maxLength: 63 },
    metrics: { ...LIST, description: `comma list of metric ids (GET /api/v1/metrics)` },
    period: { type: 'string', maxLength: 100, default: 'last_7d', description: PERIOD_HELP },
    compare: { type: 'string', enum: COMPARES },
    groupBy: { type: 'string', enum: [...GROUP_DIMENSIONS] },
    currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
    ...Object.fromEntries([...FILTER_DIMENSIONS, ...UNSUPPORTED_FILTERS].map((d) => [d, LIST])),
  },
} as const;

function list(v: unknown): string[] {
  return typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

export async function kpiRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  app.get(
    '/metrics',
    { schema: { tags: ['kpi'], summary: 'The metric catalogue (kpi-glossary.md §1)' } },
    async () => ({
      metrics: METRICS.map((d) => ({
        id: d.id,
        name: { en: d.name.en, zh: d.name.zh },
        unit: d.unit,
        direction: d.direction,
        aggregation: d.aggregation,
        custom: false,
        computed: d.source === 'daily',
      })),
    }),
  );

  app.get(
    '/kpi',
    { schema: { tags: ['kpi'], summary: 'KPI values for a period, optionally grouped and compared', querystring: kpiQuery } },
    async (req) => {
      const qs = req.query as Record<string, string | undefined>;
      for (const f of UNSUPPORTED_FILTERS) {
        if (qs[f]) throw new AppError('invalid_argument', `filtering by ${f} is not supported yet; use ${FILTER_DIMENSIONS.join(', ')}`, { field: f });
      }
      const filters: Partial<Record<FilterDimension, string[]>> = {};
      for (const f of FILTER_DIMENSIONS) if (qs[f]) filters[f] = list(qs[f]);
      try {
        return await queryKpi(opts.database, {
          workspaceId: req.principal!.workspaceId,
          metrics: list(qs.metrics),
          period: qs.period ?? 'last_7d',
          compare: qs.compare as CompareId | undefined,
          groupBy: qs.groupBy as GroupDimension | undefined,
          currency: qs.currency,
          filters,
          principal: req.principal!,
        });
      } catch (err) {
        if (err instanceof KpiError) throw new AppError('invalid_argument', err.message, { field: err.field });
        throw err;
      }
    },
  );
}
