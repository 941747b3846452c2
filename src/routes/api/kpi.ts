/**
 * `GET /api/v1/kpi` (values; the catalogue is `GET /api/v1/metrics`, metrics.ts) and `GET
 * /api/v1/why` (a change split into drivers, stores and SKUs, insights/why). Query parameters are
 * comma lists where they name several things; mistakes are a 400 naming the parameter and what
 * it accepts. Custom metric ids work like catalogue ids; `provisional` names the metrics whose
 * recent days may still change (late ad attribution, late costs). Ratios are fractions (0.253),
 * money is in `currency`, at each day's rate or, with `fx=budget`, the fixed budget rate.
 * compare=goal needs a GoalLookup (the Goals feature passes one in `opts.goals`); without it the
 * answer is a 400 on `compare`.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { FILTER_DIMENSIONS, GROUP_DIMENSIONS, type FilterDimension, type GroupDimension } from '../../kpi/dimensions.ts';
import { FX_MODES, type FxMode } from '../../kpi/fx.ts';
import type { GoalLookup } from '../../kpi/goal-compare.ts';
import { COMPARES, PERIOD_HELP, type CompareId } from '../../kpi/periods.ts';
import { KpiError, queryKpi } from '../../kpi/query.ts';
import type { ScoreLookup } from '../../kpi/score-lookup.ts';
import { explainChange } from '../../insights/why/explain.ts';

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

const whyQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['metric'],
  properties: {
    workspace: { type: 'string', maxLength: 63 },
    metric: { type: 'string', maxLength: 100, description: 'gmv, orders, ad_sales, ad_spend, acos, or any summed metric' },
    period: { type: 'string', maxLength: 100, default: 'last_7d', description: PERIOD_HELP },
    compare: { type: 'string', enum: ['prev', 'yoy', 'wow'], default: 'prev' },
    currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
    ...Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, { ...LIST, description: `comma list of ${d} ids` }])),
  },
} as const;

function list(v: unknown): string[] {
  return typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

export async function kpiRoutes(app: FastifyInstance, opts: { database: Database; goals?: GoalLookup; scores?: ScoreLookup }): Promise<void> {
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

  app.get(
    '/why',
    { schema: { tags: ['kpi'], summary: 'Why a metric moved: drivers (they add up to the change), stores and SKUs', querystring: whyQuery } },
    async (req) => {
      const qs = req.query as Record<string, string | undefined>;
      const filters: Partial<Record<FilterDimension, string[]>> = {};
      for (const f of FILTER_DIMENSIONS) if (qs[f]) filters[f] = list(qs[f]);
      try {
        const a = await explainChange(opts.database, {
          workspaceId: req.principal!.workspaceId,
          metric: (qs.metric ?? '').trim(),
          period: qs.period ?? 'last_7d',
          compare: (qs.compare as 'prev' | 'yoy' | 'wow' | undefined) ?? 'prev',
          filters,
          principal: req.principal!,
          ...(qs.currency ? { currency: qs.currency } : {}),
        });
        const { def, ...rest } = a;
        return { metric: def.id, ...rest };
      } catch (err) {
        if (err instanceof KpiError) throw new AppError('invalid_argument', err.message, { field: err.field === 'why' ? 'metric' : err.field });
        throw err;
      }
    },
  );
}
