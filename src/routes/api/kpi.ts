/**
 * `GET /api/v1/metrics` (the catalogue) and `GET /api/v1/kpi` (values). Query parameters are
 * comma lists where they name several things; mistakes are a 400 naming the parameter and what
 * it accepts. Ratios are fractions (0.253), money is in `currency`, at each day's rate or, with
 * `fx=budget`, the fixed budget rate. compare=goal needs a GoalLookup (the Goals feature passes
 * one in `opts.goals`); without it the answer is a 400 on `compare`.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { METRICS } from '../../kpi/catalogue/index.ts';
import { FILTER_DIMENSIONS, GROUP_DIMENSIONS, type FilterDimension, type GroupDimension } from '../../kpi/dimensions.ts';
import { FX_MODES, type FxMode } from '../../kpi/fx.ts';
import type { GoalLookup } from '../../kpi/goal-compare.ts';
import { COMPARES, PERIOD_HELP, type CompareId } from '../../kpi/periods.ts';
import { KpiError, queryKpi } from '../../kpi/query.ts';
import type { ScoreLookup } from '../../kpi/score-lookup.ts';

const LIST = { type: 'string', maxLength: 2000 } as const;

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
    fx: { type: 'string', enum: FX_MODES, default: 'daily', description: 'daily: each day at its own rate; budget: the fixed budget rate (budget_fx_rates)' },
    ...Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, { ...LIST, description: `comma list of ${d} ids` }])),
  },
} as const;

function list(v: unknown): string[] {
  return typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

export async function kpiRoutes(app: FastifyInstance, opts: { database: Database; goals?: GoalLookup; scores?: ScoreLookup }): Promise<void> {
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
        // kpi_score is computed by the Scores feature; everything else by this engine.
        computed: d.source !== 'scores' || Boolean(opts.scores),
      })),
    }),
  );

  app.get(
    '/kpi',
    { schema: { tags: ['kpi'], summary: 'KPI values for a period, optionally grouped and compared', querystring: kpiQuery } },
    async (req) => {
      const qs = req.query as Record<string, string | undefined>;
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
          currencyMode: (qs.fx as FxMode | undefined) ?? 'daily',
          filters,
          principal: req.principal!,
          ...(opts.goals ? { goals: opts.goals } : {}),
          ...(opts.scores ? { scores: opts.scores } : {}),
        });
      } catch (err) {
        if (err instanceof KpiError) throw new AppError('invalid_argument', err.message, { field: err.field });
        throw err;
      }
    },
  );
}
