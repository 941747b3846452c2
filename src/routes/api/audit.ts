/**
 * `GET /api/v1/audit?from=&to=&actor=&entity=`: append-only entries of the caller's workspace,
 * newest first. Admins only. Paging: `limit` (≤ 1000) and `before=<id>` from the previous page.
 */
import type { FastifyInstance } from 'fastify';
import { authorize } from '../../access/authorize.ts';
import { queryAudit } from '../../audit/audit-log.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    workspace: { type: 'string', maxLength: 63 },
    from: { type: 'string', maxLength: 40, description: 'ISO date or date-time (inclusive)' },
    to: { type: 'string', maxLength: 40, description: 'ISO date or date-time (inclusive; a bare date covers the whole day)' },
    actor: { type: 'string', maxLength: 200 },
    entity: { type: 'string', maxLength: 100 },
    before: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      properties: { kind: { type: 'string' }, id: { type: ['string', 'null'] }, name: { type: ['string', 'null'] } },
    },
    action: { type: 'string' },
    entity: { type: 'string' },
    entityId: { type: ['string', 'null'] },
    before: {},
    after: {},
    reason: { type: ['string', 'null'] },
  },
} as const;

function parseBound(value: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (value === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) {
    throw new AppError('invalid_argument', `${field} must be an ISO date (2026-11-01) or date-time`, { field });
  }
  // A bare `to` date covers that whole day.
  return dateOnly && field === 'to' ? new Date(d.getTime() + 86_400_000 - 1) : d;
}

export async function auditRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit trail: who changed what, when, before/after and why',
        querystring: querySchema,
        response: { 200: { type: 'object', properties: { entries: { type: 'array', items: entrySchema }, next: { type: ['integer', 'null'] } } } },
      },
    },
    async (req) => {
      const principal = req.principal!;
      const decision = authorize(principal, 'audit.read');
      if (!decision.ok) throw new AppError('forbidden', decision.reason);
      const q = req.query as { from?: string; to?: string; actor?: string; entity?: string; before?: number; limit: number };
      const from = parseBound(q.from, 'from');
      const to = parseBound(q.to, 'to');
      if (from && to && from > to) throw new AppError('invalid_argument', 'from is after to', { field: 'from' });
      const rows = await queryAudit(opts.database.db, {
        workspaceId: principal.workspaceId,
        from,
        to,
        actor: q.actor,
        entity: q.entity,
        before: q.before,
        limit: q.limit,
      });
      return {
        entries: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor: { kind: r.actorKind, id: r.actorId, name: r.actorName },
          action: r.action,
          entity: r.entity,
          entityId: r.entityId,
          before: r.before,
          after: r.after,
          reason: r.reason,
        })),
        next: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
      };
    },
  );
}
