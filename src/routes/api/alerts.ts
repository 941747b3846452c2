/**
 * `/api/v1/alerts` and `/api/v1/followups` (ARCHITECTURE.md HTTP routes): `GET /alerts?status=`,
 * `POST /alerts/:id/ack {cause?, note?}` (the same conditional update as a chat click: a late
 * ack answers 409 naming who acknowledged first and when; an ack on a resolved alert is a no-op
 * with a notice), `GET /followups?status=`. Visibility follows the principal's scope.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { authorize, inScope } from '../../access/authorize.ts';
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import type { AckCause } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { ACK_CAUSE_LABEL } from '../../alerts/card.ts';
import { ackAlert } from '../../alerts/lifecycle/transitions.ts';

export interface AlertRouteOptions {
  database: Database;
  wakeOutbox?: () => void;
  now?: () => Date;
}

const WS = { workspace: { type: 'string', maxLength: 63 } } as const;
const LIMIT = { type: 'integer', minimum: 1, maximum: 500, default: 100 } as const;

function teamFilter(p: Principal) {
  if (p.scope.all) return sql`true`;
  return p.scope.teamIds.length > 0 ? sql`team_id in ${p.scope.teamIds}` : sql`false`;
}

export async function alertRoutes(app: FastifyInstance, opts: AlertRouteOptions): Promise<void> {
  const now = () => opts.now?.() ?? new Date();

  app.get('/alerts', {
    schema: {
      tags: ['alerts'], summary: 'Alerts visible to the caller, newest first',
      querystring: { type: 'object', additionalProperties: false, properties: { ...WS, status: { type: 'string', enum: ['open', 'acknowledged', 'resolved', 'snoozed'] }, limit: LIMIT } },
    },
  }, async (req) => {
    const p = req.principal!;
    const q = req.query as { status?: string; limit: number };
    const ok = authorize(p, 'alert.ack');
    if (!ok.ok) throw new AppError('forbidden', ok.reason);
    const rows = await opts.database.query(sql`
      select id, rule_id as "ruleId", type, metric_id as "metricId", scope_key as "scopeKey", team_id as "teamId", status, severity, title,
        value::float8 as value, threshold::float8 as threshold, opened_at as "openedAt", acknowledged_at as "acknowledgedAt",
        acknowledged_by as "acknowledgedBy", acknowledged_by_name as "acknowledgedByName", ack_cause as "ackCause", ack_note as "ackNote",
        snoozed_until as "snoozedUntil", resolved_at as "resolvedAt", escalated_at as "escalatedAt", assignee_user_id as "assigneeUserId"
      from alerts where workspace_id = ${p.workspaceId} and (${q.status ?? null}::text is null or status = ${q.status ?? null}) and ${teamFilter(p)}
      order by opened_at desc, id desc limit ${q.limit}`);
    return { alerts: rows };
  });

  app.post('/alerts/:id/ack', {
    schema: {
      tags: ['alerts'], summary: 'Acknowledge an alert; the first ack wins and every card copy is updated',
      params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
      querystring: { type: 'object', additionalProperties: false, properties: WS },
      body: {
        type: ['object', 'null'], additionalProperties: false,
        properties: { cause: { type: 'string', enum: Object.keys(ACK_CAUSE_LABEL) }, note: { type: 'string', minLength: 1, maxLength: 500 } },
      },
    },
  }, async (req) => {
    const p = req.principal!;
    const id = (req.params as { id: number }).id;
    const body = (req.body ?? {}) as { cause?: AckCause; note?: string };
    const out = await ackAlert(
      { database: opts.database, ...(opts.wakeOutbox ? { wakeOutbox: opts.wakeOutbox } : {}) },
      {
        workspaceId: p.workspaceId,
        alertId: id,
        actor: { id: p.userId ?? `api:${p.kind}`, name: p.displayName ?? p.userId ?? 'API' },
        ...(body.cause ? { cause: body.cause } : {}),
        ...(body.note ? { note: body.note } : {}),
        now: now(),
        mayAct: (a) => authorize(p, 'alert.ack').ok && (p.scope.all || (a.teamId !== null && inScope(p.scope, { teamId: a.teamId }))),
      },
    );
    switch (out.kind) {
      case 'done':
        return { acknowledged: true, id, acknowledgedAt: out.alert.acknowledgedAt, acknowledgedBy: out.alert.acknowledgedByName, cardsUpdated: out.copies };
      case 'already':
        throw new AppError('conflict', `already acknowledged by ${out.byName} at ${out.at.toISOString()}`);
      case 'resolved':
        return { acknowledged: false, id, notice: `alert ${id} already resolved${out.at ? ` at ${out.at.toISOString()}` : ''}; nothing to acknowledge` };
      case 'not_found':
        throw new AppError('not_found', `no alert ${id}`);
      case 'denied':
        throw new AppError('forbidden', `alert ${id} is outside your teams`);
    }
  });

  app.get('/followups', {
    schema: {
      tags: ['alerts'], summary: 'Follow-ups (跟进): the caller’s own, a manager’s team’s, everyone’s for admins',
      querystring: { type: 'object', additionalProperties: false, properties: { ...WS, status: { type: 'string', enum: ['open', 'done'] }, limit: LIMIT } },
    },
  }, async (req) => {
    const p = req.principal!;
    const q = req.query as { status?: string; limit: number };
    const ok = authorize(p, 'alert.ack');
    if (!ok.ok) throw new AppError('forbidden', ok.reason);
    const me = p.userId ?? null;
    const visible = p.scope.all
      ? sql`true`
      : sql`(f.assignee_user_id = ${me} or f.created_by = ${me} ${p.scope.teamIds.length > 0 ? sql`or u.team_id in ${p.scope.teamIds}` : sql``})`;
    const rows = await opts.database.query(sql`
      select f.id, f.assignee_user_id as "assigneeUserId", u.display_name as "assigneeName", f.created_by as "createdBy",
        f.due_on::text as "dueOn", f.text, f.status, f.alert_id as "alertId", f.reminded_at as "remindedAt", f.done_at as "doneAt", f.created_at as "createdAt"
      from followups f left join users u on u.workspace_id = f.workspace_id and u.id = f.assignee_user_id
      where f.workspace_id = ${p.workspaceId} and (${q.status ?? null}::text is null or f.status = ${q.status ?? null}) and ${visible}
      order by f.due_on nulls last, f.id limit ${q.limit}`);
    return { followups: rows };
  });
}
