/**
 * One source of truth over REST: `GET /api/v1/sources/primary` lists the counted source per
 * (store, dataset); `PUT /api/v1/sources/primary {store, dataset, source, reason?}` (admins)
 * switches it, audited (the chat's `data source primary` does the same); `GET
 * /api/v1/sources/reconciliation?dataset=&from=&to=&store=&check=` compares the sources of a
 * period (and a typed check value) as the weekly card does.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { authorize } from '../../access/authorize.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { actorOf } from '../../goals/access.ts';
import { CHECK_THRESHOLD, FACT_SOURCES } from '../../ingest/chat/data-commands.ts';
import { loadLookups } from '../../ingest/pipeline/lookups.ts';
import { PRIORITY_TABLES, switchPrimarySource, type PriorityDataset } from '../../ingest/pipeline/primary-source.ts';
import { reconcile } from '../../ingest/reconciliation.ts';
import { exportScope } from './exports.ts';

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';
const ws = { workspace: { type: 'string', maxLength: 63 } } as const;

export async function sourceRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const { database } = opts;

  app.get('/sources/primary', {
    schema: { tags: ['data'], summary: 'The counted (primary) source per store and dataset', querystring: { type: 'object', additionalProperties: false, properties: ws } },
  }, async (req) => {
    const p = req.principal!;
    if (p.role === 'member') throw new AppError('forbidden', 'enrolled people only');
    const rows = await database.query<{ store_id: string; dataset: string; primary_source: string; switched_by: string | null; switched_at: unknown }>(sql`
      select store_id, dataset, primary_source, switched_by, switched_at from source_priorities where workspace_id = ${p.workspaceId} order by store_id, dataset`);
    return { sources: rows.map((r) => ({ store: r.store_id, dataset: r.dataset, source: r.primary_source, switchedBy: r.switched_by, switchedAt: r.switched_at ? new Date(String(r.switched_at)).toISOString() : null })) };
  });

  app.put('/sources/primary', {
    schema: {
      tags: ['data'],
      summary: 'Make another source the counted one for a store and dataset (admins; audited)',
      querystring: { type: 'object', additionalProperties: false, properties: ws },
      body: {
        type: 'object', additionalProperties: false, required: ['store', 'dataset', 'source'],
        properties: {
          store: { type: 'string', minLength: 1, maxLength: 100 },
          dataset: { type: 'string', enum: Object.keys(PRIORITY_TABLES) },
          source: { type: 'string', enum: [...FACT_SOURCES] },
          reason: { type: 'string', maxLength: 500 },
        },
      },
    },
  }, async (req) => {
    const p = req.principal!;
    const d = authorize(p, 'workspace.admin');
    if (!d.ok) throw new AppError('forbidden', 'only admins choose which source counts');
    const b = req.body as { store: string; dataset: PriorityDataset; source: (typeof FACT_SOURCES)[number]; reason?: string };
    const store = (await loadLookups(database, p.workspaceId)).store(b.store);
    if (!store) throw new AppError('invalid_argument', `no store "${b.store.slice(0, 60)}" in this workspace`, { field: 'store' });
    await switchPrimarySource(database, { workspaceId: p.workspaceId, storeId: store.id, dataset: b.dataset, source: b.source, actor: actorOf(p), reason: b.reason });
    return { store: store.id, dataset: b.dataset, source: b.source };
  });

  app.get('/sources/reconciliation', {
    schema: {
      tags: ['data'],
      summary: 'Compare every source of a period per store (and a typed check value)',
      querystring: {
        type: 'object', additionalProperties: false, required: ['dataset', 'from', 'to'],
        properties: {
          ...ws,
          dataset: { type: 'string', enum: ['orders', 'ads'] },
          from: { type: 'string', pattern: DAY },
          to: { type: 'string', pattern: DAY },
          store: { type: 'string', maxLength: 100 },
          check: { type: 'number', description: 'a total typed from the marketplace back-end, for `store`' },
          threshold: { type: 'number', minimum: 0, maximum: 1, default: CHECK_THRESHOLD },
        },
      },
    },
  }, async (req) => {
    const p = req.principal!;
    const q = req.query as { dataset: 'orders' | 'ads'; from: string; to: string; store?: string; check?: number; threshold: number };
    if (q.from > q.to) throw new AppError('invalid_argument', 'from is after to', { field: 'from' });
    if (q.check !== undefined && !q.store) throw new AppError('invalid_argument', 'a check value needs the store', { field: 'store' });
    let storeIds = await exportScope(database, p, q.dataset);
    if (q.store) {
      const store = (await loadLookups(database, p.workspaceId)).store(q.store);
      if (!store || (storeIds && !storeIds.includes(store.id))) throw new AppError('invalid_argument', `no store "${q.store.slice(0, 60)}" you may see`, { field: 'store' });
      storeIds = [store.id];
    }
    return reconcile(database, {
      workspaceId: p.workspaceId, dataset: q.dataset, from: q.from, to: q.to, threshold: q.threshold,
      ...(storeIds ? { storeIds } : {}), ...(q.check !== undefined && storeIds ? { manual: { [storeIds[0]!]: q.check } } : {}),
    });
  });
}
