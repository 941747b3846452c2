/**
 * `GET /api/v1/exports/:dataset?format=csv|xlsx&from=&to=`: everything the workspace owns, streamed
 * — datasets in their import templates (so an export imports back unchanged), plus goals,
 * adjustments, scores, alerts, follow-ups and the audit log as stored. Managers and operators get
 * their own stores' fact rows; finance the money datasets; the rest is for admins.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { authorize } from '../../access/authorize.ts';
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { DATASETS } from '../../ingest/datasets/index.ts';
import { EXPORT_NAMES, exportStream } from '../../ingest/export/export-stream.ts';
import { loadLookups } from '../../ingest/pipeline/lookups.ts';

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';

/** Store ids a scoped principal may export; undefined = all. */
export async function exportScope(database: Database, p: Principal, name: string): Promise<string[] | undefined> {
  const decision = authorize(p, name === 'audit' ? 'audit.read' : 'data.export', { dataset: name });
  if (decision.ok && (p.scope.all || p.role === 'finance')) return undefined;
  const storeBound = DATASETS[name]?.store === 'required';
  if (p.scope.all || !storeBound || (p.role !== 'manager' && p.role !== 'operator')) {
    throw new AppError('forbidden', decision.ok ? `only admins export ${name}` : decision.reason);
  }
  const lookups = await loadLookups(database, p.workspaceId);
  const scope = p.scope;
  return [...lookups.stores.values()].filter((s) => scope.storeIds.includes(s.id) || (s.teamId !== null && scope.teamIds.includes(s.teamId))).map((s) => s.id);
}

export async function exportRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  app.get(
    '/exports/:dataset',
    {
      schema: {
        tags: ['data'],
        summary: 'Export a dataset (import template columns) or goals, alerts, follow-ups, audit… as CSV or XLSX, streamed',
        params: { type: 'object', required: ['dataset'], properties: { dataset: { type: 'string', enum: EXPORT_NAMES } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            workspace: { type: 'string', maxLength: 63 },
            format: { type: 'string', enum: ['csv', 'xlsx'], default: 'csv' },
            from: { type: 'string', pattern: DAY, description: 'first day (inclusive)' },
            to: { type: 'string', pattern: DAY, description: 'last day (inclusive)' },
          },
        },
      },
    },
    async (req, reply) => {
      const { dataset } = req.params as { dataset: string };
      const q = req.query as { format: 'csv' | 'xlsx'; from?: string; to?: string };
      if (q.from && q.to && q.from > q.to) throw new AppError('invalid_argument', 'from is after to', { field: 'from' });
      const principal = req.principal!;
      const storeIds = await exportScope(opts.database, principal, dataset);
      const out = await exportStream(opts.database, dataset, { workspaceId: principal.workspaceId, from: q.from, to: q.to, storeIds, format: q.format });
      reply.header('content-type', out.contentType).header('content-disposition', `attachment; filename="${out.fileName}"`);
      return reply.send(Readable.from(out.chunks));
    },
  );
}
