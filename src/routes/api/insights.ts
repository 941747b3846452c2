/**
 * `GET /api/v1/insights/{anomalies,ad-tags,replenishment,health}` (issue #27 items 4–7): the data
 * behind the chat cards, for the caller's principal. `period` is `last_Nd` (or `yesterday`);
 * `store` is a comma list of store ids (default: every store the caller may read). Mistakes are a
 * 400 naming the parameter. Robust z-scores that are unbounded (a flat baseline and a different
 * value) are `null` with `unbounded: true`, since JSON has no infinity.
 */
import type { FastifyInstance } from 'fastify';
import { canSeeMetricClass } from '../../access/authorize.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { adTagsFor } from '../../insights/ad-tags/load.ts';
import type { DayScore } from '../../insights/anomaly/baseline.ts';
import { anomaliesFor } from '../../insights/anomaly/series.ts';
import { healthFor } from '../../insights/health/load.ts';
import { replenishmentFor } from '../../insights/replenish/plan.ts';
import { KpiError } from '../../kpi/index.ts';

const common = {
  workspace: { type: 'string', maxLength: 63 },
  period: { type: 'string', maxLength: 20, description: 'last_Nd (e.g. last_14d) or yesterday' },
  store: { type: 'string', maxLength: 2000, description: 'comma list of store ids' },
} as const;

function daysOf(period: string | undefined, fallback: number): number {
  if (!period) return fallback;
  if (period === 'yesterday') return 1;
  const m = /^last_(\d{1,4})d$/.exec(period);
  if (!m) throw new AppError('invalid_argument', 'period must be last_Nd (e.g. last_14d) or yesterday', { field: 'period' });
  return Number(m[1]);
}

function stores(v: string | undefined): { storeIds?: string[] } {
  const ids = (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  return ids.length ? { storeIds: ids } : {};
}

const finite = (n: number) => (Number.isFinite(n) ? n : null);

function dayJson(d: DayScore) {
  const b = d.baseline;
  return {
    date: d.date,
    value: d.value,
    ...(b.status === 'ok'
      ? { baseline: { status: 'ok', median: b.median, mad: b.mad, sigma: b.sigma, historyDays: b.historyDays, sample: b.sample } }
      : { baseline: { status: 'off', reason: b.reason, historyDays: b.historyDays } }),
    ...(d.score
      ? { score: finite(d.score.score), ...(Number.isFinite(d.score.score) ? {} : { unbounded: true }), expected: d.score.expected, anomalous: d.score.anomalous, direction: d.score.direction }
      : {}),
  };
}

async function wrap<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof KpiError) throw new AppError('invalid_argument', err.message, { field: err.field });
    throw err;
  }
}

export async function insightRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const db = opts.database;
  const guard = (p: Parameters<typeof canSeeMetricClass>[0]) => {
    if (!canSeeMetricClass(p, 'sales')) throw new AppError('forbidden', 'this principal may not read metrics');
  };

  app.get(
    '/insights/anomalies',
    { schema: { tags: ['insights'], summary: 'Days of a metric outside its weekday baseline, per store', querystring: { type: 'object', additionalProperties: false, required: ['metric'], properties: { ...common, metric: { type: 'string', maxLength: 60 } } } } },
    async (req) => {
      const q = req.query as { metric: string; period?: string; store?: string };
      guard(req.principal!);
      const r = await wrap(() => anomaliesFor(db, { workspaceId: req.principal!.workspaceId, metric: q.metric, days: daysOf(q.period, 30), principal: req.principal!, ...stores(q.store) }));
      return {
        metric: r.metric.id,
        stores: r.stores.map((s) => ({ store: s.store.id, from: s.from, to: s.to, off: s.off, anomalies: s.anomalies.map((d) => d.date), days: s.days.map(dayJson) })),
      };
    },
  );

  app.get(
    '/insights/ad-tags',
    { schema: { tags: ['insights'], summary: 'Ad tags per ad group and campaign with the rule behind each', querystring: { type: 'object', additionalProperties: false, properties: common } } },
    async (req) => {
      const q = req.query as { period?: string; store?: string };
      guard(req.principal!);
      const r = await wrap(() => adTagsFor(db, { workspaceId: req.principal!.workspaceId, days: daysOf(q.period, 14), principal: req.principal!, ...stores(q.store) }));
      return {
        period: r.period,
        currency: r.currency,
        tags: r.lines.map((l) => ({ ...l, tag: l.tag.kind === 'spend_spike' ? { ...l.tag, score: finite(l.tag.score) } : l.tag })),
        budgetUnknown: r.budgetUnknown,
        breakEvenUnknown: r.breakEvenUnknown,
      };
    },
  );

  app.get(
    '/insights/replenishment',
    { schema: { tags: ['insights'], summary: 'Reorder suggestions under the cover threshold, stockouts and warehouse capacity', querystring: { type: 'object', additionalProperties: false, properties: { ...common, all: { type: 'boolean', default: false } } } } },
    async (req) => {
      const q = req.query as { period?: string; store?: string; all?: boolean };
      guard(req.principal!);
      const r = await wrap(() => replenishmentFor(db, { workspaceId: req.principal!.workspaceId, days: daysOf(q.period, 30), all: Boolean(q.all), principal: req.principal!, ...stores(q.store) }));
      return { thresholdDays: r.thresholdDays, days: r.days, lines: r.lines, notUrgent: r.notUrgent, stockouts: r.stockouts, capacity: r.capacity };
    },
  );

  app.get(
    '/insights/health',
    { schema: { tags: ['insights'], summary: 'Ad-health and account-health scores per store with their parts', querystring: { type: 'object', additionalProperties: false, properties: common } } },
    async (req) => {
      const q = req.query as { period?: string; store?: string };
      guard(req.principal!);
      const r = await wrap(() => healthFor(db, { workspaceId: req.principal!.workspaceId, days: daysOf(q.period, 30), principal: req.principal!, ...stores(q.store) }));
      return { period: r.period, currency: r.currency, stores: r.stores.map((s) => ({ store: s.store.id, ads: s.ads, account: s.account, platformHealth: s.platformHealth })) };
    },
  );
}
