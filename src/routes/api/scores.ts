/**
 * `/api/v1/scores` (ARCHITECTURE.md HTTP routes): `GET ?user=&period=` (default last_month, the
 * caller's own score without user), `GET /export?team=&month=&format=` (the HR layout, XLSX by
 * default), templates (`GET`, admins `PUT /templates/:position`), adjustments (the owner
 * `POST /adjustments`, the approver `POST /adjustments/:id/approve|reject`), the month close
 * (`POST /close/:month/signoff|reopen|lock`) and vetoes. Same permissions as chat (src/scores).
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { GoalDeps } from '../../goals/deps.ts';
import { decideAdjustment, REASON_CODES, requestAdjustment, type AdjustmentInput } from '../../scores/adjustments.ts';
import { lockMonth, reopenMonth, signOff } from '../../scores/close.ts';
import { requireMonth } from '../../scores/close-state.ts';
import { exportRecordsFor, exportRows, scoreExportChunks, sendScoreExport } from '../../scores/export.ts';
import { loadTemplates, saveTemplate } from '../../scores/template-repo.ts';
import { scoreFor } from '../../scores/view.ts';
import { recordVeto } from '../../scores/vetoes.ts';

export interface ScoreRouteOptions {
  database: Database;
  wakeOutbox?: () => void;
  now?: () => Date;
}

const WS = { workspace: { type: 'string', maxLength: 63 } } as const;
const ID = { type: 'string', minLength: 1, maxLength: 100 } as const;
const MONTH = { type: 'string', maxLength: 20, description: 'YYYY-MM, month:YYYY-MM, last_month or this_month' } as const;
// The maximum keeps `Infinity`, `1e400` and 20-digit ids (which Ajv coerces to numbers) out of bigint queries.
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } } as const;
const monthParams = { type: 'object', required: ['month'], properties: { month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } } } as const;
const wsQuery = { type: 'object', additionalProperties: false, properties: WS } as const;

export async function scoreRoutes(app: FastifyInstance, opts: ScoreRouteOptions): Promise<void> {
  const deps: GoalDeps = { database: opts.database, ...(opts.wakeOutbox ? { wakeOutbox: opts.wakeOutbox } : {}), ...(opts.now ? { now: opts.now } : {}) };
  const now = () => opts.now?.() ?? new Date();
  const principal = (req: { principal?: Principal | null }) => req.principal!;
  const tz = async (p: Principal) => (await opts.database.query<{ timezone: string }>(sql`select timezone from workspaces where id = ${p.workspaceId}`))[0]?.timezone ?? 'UTC';

  app.get('/scores', {
    schema: { tags: ['scores'], summary: 'A person’s monthly score: operators their own, managers their team (with rank), admins all', querystring: { type: 'object', additionalProperties: false, properties: { ...WS, user: ID, period: MONTH } } },
  }, async (req) => {
    const q = req.query as { user?: string; period?: string };
    const p = principal(req);
    const userId = q.user ?? p.userId;
    if (!userId) throw new AppError('invalid_argument', 'name the person: ?user=<id>', { field: 'user' });
    const month = requireMonth(q.period, await tz(p), now());
    const a = await scoreFor(deps, p, userId, month);
    return { ...a.record, ...(a.rank ? { rank: a.rank } : {}) };
  });

  app.get('/scores/export', {
    schema: {
      tags: ['scores'], summary: 'The HR/payroll export of a team and month (XLSX by default); `send=` DMs the summary to named people (admins)',
      querystring: { type: 'object', additionalProperties: false, properties: { ...WS, team: ID, month: MONTH, format: { type: 'string', enum: ['xlsx', 'csv'], default: 'xlsx' }, send: { type: 'string', maxLength: 400 } } },
    },
  }, async (req, reply) => {
    const q = req.query as { team?: string; month?: string; format: 'xlsx' | 'csv'; send?: string };
    const p = principal(req);
    const month = requireMonth(q.month, await tz(p), now());
    const records = await exportRecordsFor(deps, p, month, q.team);
    if (q.send) await sendScoreExport(deps, p, month, q.team, q.send.split(',').map((s) => s.trim().replace(/^@/, '')).filter(Boolean));
    const file = `${p.workspaceId}-scores-${q.team ?? 'all'}-${month}.${q.format}`;
    reply.header('content-type', q.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}"`);
    return reply.send(Readable.from(scoreExportChunks(exportRows(records), q.format)));
  });

  app.get('/scores/templates', { schema: { tags: ['scores'], summary: 'Scorecard templates per position (weights, caps, vetoes)', querystring: wsQuery } }, async (req) => {
    const p = principal(req);
    if (p.role === 'member') throw new AppError('forbidden', 'scorecards are for enrolled people');
    return { templates: await loadTemplates(opts.database, p.workspaceId) };
  });

  app.put('/scores/templates/:position', {
    schema: {
      tags: ['scores'], summary: 'Save a position’s template (admins); refused with the broken rule named',
      params: { type: 'object', required: ['position'], properties: { position: { type: 'string', minLength: 1, maxLength: 40 } } },
      querystring: wsQuery,
      body: {
        type: 'object', additionalProperties: false,
        properties: {
          items: { type: 'array', maxItems: 20, items: { type: 'object', additionalProperties: false, required: ['metricId', 'weight'], properties: { metricId: ID, weight: { type: 'number' }, cap: { type: 'number' } } } },
          vetoes: { type: 'array', maxItems: 10, items: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', maxLength: 40 }, metricId: ID } } },
          defaultCap: { type: 'number' },
        },
      },
    },
  }, async (req) => {
    const { position } = req.params as { position: string };
    const b = req.body as Omit<Parameters<typeof saveTemplate>[2], 'position'>;
    return { template: await saveTemplate(opts.database, principal(req), { position, ...b }) };
  });

  app.post('/scores/adjustments', {
    schema: {
      tags: ['scores'], summary: 'The goal owner requests an adjustment (target, excluded dates or KPI) with a reason code',
      querystring: wsQuery,
      body: {
        type: 'object', additionalProperties: false, required: ['goal', 'action', 'reason'],
        properties: {
          goal: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, action: { type: 'string', enum: ['change_target', 'exclude_dates', 'exclude_kpi'] },
          target: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 40 }] }, from: { type: 'string', maxLength: 10 }, to: { type: 'string', maxLength: 10 },
          reason: { type: 'string', enum: [...REASON_CODES] }, note: { type: 'string', maxLength: 500 }, evidence: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 500 } },
        },
      },
    },
  }, async (req, reply) => {
    const b = req.body as Omit<AdjustmentInput, 'goalId'> & { goal: number };
    const r = await requestAdjustment(deps, principal(req), { ...b, goalId: b.goal });
    return reply.code(201).send({ request: r.request, approver: r.approver });
  });

  for (const [verb, approve] of [['approve', true], ['reject', false]] as const) {
    app.post(`/scores/adjustments/:id/${verb}`, { schema: { tags: ['scores'], summary: `${verb} an adjustment request (the scope's manager or an admin, never the requester)`, params: idParams, querystring: wsQuery } }, async (req) => {
      const { id } = req.params as { id: number };
      const r = await decideAdjustment(deps, principal(req), id, approve);
      return { approved: r.approved, request: r.request, goal: { id: r.goal.id, target: r.goal.target, excludedRanges: r.goal.excludedRanges, version: r.goal.version } };
    });
  }

  app.post('/scores/close/:month/signoff', {
    schema: { tags: ['scores'], summary: 'A manager signs off the team’s final scores', params: monthParams, querystring: wsQuery, body: { type: 'object', additionalProperties: false, required: ['team'], properties: { team: ID } } },
  }, async (req) => signOff(deps, principal(req), (req.params as { month: string }).month, (req.body as { team: string }).team));

  app.post('/scores/close/:month/reopen', {
    schema: { tags: ['scores'], summary: 'An admin reopens a final month (reason required, audited)', params: monthParams, querystring: wsQuery, body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } } },
  }, async (req) => {
    await reopenMonth(deps, principal(req), (req.params as { month: string }).month, (req.body as { reason?: string } | undefined)?.reason);
    return { state: 'reopened' };
  });

  app.post('/scores/close/:month/lock', { schema: { tags: ['scores'], summary: 'An admin makes the month final again (managers sign off)', params: monthParams, querystring: wsQuery } }, async (req) => lockMonth(deps, principal(req), (req.params as { month: string }).month));

  app.post('/scores/vetoes', {
    schema: {
      tags: ['scores'], summary: 'Record a confirmed veto finding (manager of the person or admin); caps that month’s score at 60', querystring: wsQuery,
      body: { type: 'object', additionalProperties: false, required: ['user', 'month', 'code', 'note'], properties: { user: ID, month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, code: { type: 'string', maxLength: 40 }, note: { type: 'string', maxLength: 500 } } },
    },
  }, async (req, reply) => {
    const b = req.body as { user: string; month: string; code: string; note: string };
    return reply.code(201).send(await recordVeto(deps, principal(req), { userId: b.user, month: b.month, code: b.code, note: b.note }));
  });
}
