/**
 * `GET /api/v1/metrics`: the catalogue (kpi-glossary.md §1) and the workspace's custom metrics
 * (`custom: true`, with their formula); `POST` (admins) adds a custom metric `{id, name, formula,
 * unit, direction}`; `DELETE /metrics/:id` (admins) removes one that nothing uses. A refused
 * formula is a 400 naming the character position and, for an unknown name, the closest one.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/client.ts';
import { addCustomMetric, CustomMetricError, listCustomMetrics, removeCustomMetric } from '../../insights/custom-metrics/service.ts';
import { METRICS } from '../../kpi/catalogue/index.ts';
import type { ScoreLookup } from '../../kpi/score-lookup.ts';
import { loadAllCustomMetrics } from '../../kpi/custom/registry.ts';
import type { MetricDef } from '../../kpi/types.ts';

const nameSchema = {
  anyOf: [
    { type: 'string', maxLength: 200 },
    { type: 'object', additionalProperties: false, required: ['en'], properties: { en: { type: 'string', maxLength: 200 }, zh: { type: 'string', maxLength: 200 } } },
  ],
} as const;

const addBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'formula'],
  properties: {
    id: { type: 'string', maxLength: 100 },
    name: nameSchema,
    // Longer than the formula limit on purpose: a too-long formula gets its own reason (formula.ts).
    formula: { type: 'string', maxLength: 20_000 },
    unit: { type: 'string', maxLength: 20, description: 'percent (a fraction shown as %), ratio (same), money, count, multiple, days, …' },
    direction: { type: 'string', maxLength: 20, description: 'up | down | band | none (or higher | lower)' },
  },
} as const;

function describe(d: MetricDef, extra: Record<string, unknown> = {}) {
  return {
    id: d.id,
    name: { en: d.name.en, zh: d.name.zh },
    unit: d.unit,
    direction: d.direction,
    aggregation: d.aggregation,
    custom: Boolean(d.custom),
    ...(d.custom ? { formula: d.custom.formula } : {}),
    ...extra,
  };
}

function refuse(reply: FastifyReply, err: unknown) {
  if (!(err instanceof CustomMetricError)) throw err;
  return reply.code(err.status).send({
    error: err.code,
    message: err.message,
    field: err.field,
    ...(err.pos !== undefined ? { position: err.pos } : {}),
    ...(err.suggestion ? { suggestion: err.suggestion } : {}),
  });
}

export async function metricRoutes(app: FastifyInstance, opts: { database: Database; scores?: ScoreLookup }): Promise<void> {
  // Goal checks and card labels look custom ids up synchronously: warm the process cache once the
  // app is ready. Before the first migration there is no table yet, and nothing to warm.
  app.addHook('onReady', async () => {
    await loadAllCustomMetrics(opts.database).catch(() => 0);
  });
  app.get('/metrics', { schema: { tags: ['kpi'], summary: 'The metric catalogue (kpi-glossary.md §1) and this workspace’s custom metrics' } }, async (req) => {
    const custom = await listCustomMetrics(opts.database, req.principal!.workspaceId);
    return {
      metrics: [
        // kpi_score is computed by the Scores feature; everything else by the KPI engine.
        ...METRICS.map((d) => describe(d, { computed: d.source !== 'scores' || Boolean(opts.scores) })),
        ...custom.filter((c) => c.def).map((c) => describe(c.def!, { computed: true, createdBy: c.createdBy })),
      ],
    };
  });

  app.post('/metrics', { schema: { tags: ['kpi'], summary: 'Add a custom metric (admins)', body: addBody } }, async (req, reply) => {
    try {
      const def = await addCustomMetric(opts.database, req.principal!, req.body as Record<string, unknown> as never);
      return reply.code(201).send(describe(def, { computed: true }));
    } catch (err) {
      return refuse(reply, err);
    }
  });

  app.delete('/metrics/:id', { schema: { tags: ['kpi'], summary: 'Remove a custom metric nothing uses (admins)', params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } } } } }, async (req, reply) => {
    try {
      await removeCustomMetric(opts.database, req.principal!, (req.params as { id: string }).id);
      return reply.code(204).send();
    } catch (err) {
      return refuse(reply, err);
    }
  });
}
