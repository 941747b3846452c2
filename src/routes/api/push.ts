/**
 * `POST /api/v1/push/:dataset`: JSON rows from a seller's own system, authenticated by an HMAC
 * of the raw body instead of a bearer token (verified on the exact bytes received, so the JSON
 * parser is route-scoped and keeps them). Unset secret, missing or wrong signature, stale
 * timestamp → 401 — before the dataset is even looked at, so probing never sees a 404. A
 * replayed request (same signature) within the window is refused. Rows then take the import path.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { datasetById } from '../../ingest/datasets/index.ts';
import { asAsync, jsonRows } from '../../ingest/push/json-rows.ts';
import { verifyPush } from '../../ingest/push/signature.ts';
import { importRows } from '../../ingest/pipeline/run-import.ts';
import { pickWorkspace } from '../../plugins/api-auth.ts';

const PUSH_BODY_LIMIT = 16 * 1024 * 1024;

export async function pushRoutes(app: FastifyInstance, opts: { config: AppConfig; database: Database }): Promise<void> {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: PUSH_BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.post(
    '/push/:dataset',
    {
      config: { public: true },
      bodyLimit: PUSH_BODY_LIMIT,
      schema: {
        tags: ['data'],
        summary: 'Push JSON rows into a dataset, signed with PUSH_SECRET (HMAC-SHA256 of "<timestamp>.<body>")',
        security: [],
        params: { type: 'object', required: ['dataset'], properties: { dataset: { type: 'string', maxLength: 40 } } },
        querystring: {
          type: 'object', additionalProperties: false,
          properties: {
            workspace: { type: 'string', maxLength: 63 },
            store: { type: 'string', maxLength: 100 },
            onError: { type: 'string', enum: ['skip', 'abort'] },
            dryRun: { type: 'string', enum: ['0', '1', 'true', 'false'] },
          },
        },
        headers: {
          type: 'object',
          properties: { 'x-kpibot-timestamp': { type: 'string', maxLength: 20 }, 'x-kpibot-signature': { type: 'string', maxLength: 200 } },
        },
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (req) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyPush({
        secret: opts.config.pushSecret,
        timestamp: req.headers['x-kpibot-timestamp'] as string | undefined,
        signature: req.headers['x-kpibot-signature'] as string | undefined,
        body,
      });
      if (!check.ok) throw new AppError('unauthorized', check.reason);
      const signature = String(req.headers['x-kpibot-signature']).trim();
      const [fresh] = await opts.database.query<{ event_id: string }>(sql`insert into inbound_dedup (platform, event_id)
        values ('push', ${signature}) on conflict do nothing returning event_id`);
      if (!fresh) throw new AppError('conflict', 'this push was already received (same signature); sign each push with a new timestamp');
      const { dataset } = req.params as { dataset: string };
      const def = datasetById(dataset);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new AppError('invalid_request', 'the body is not valid JSON', { field: 'rows' });
      }
      const q = req.query as Record<string, string | undefined>;
      const workspaceId = await pickWorkspace(opts.database, q.workspace);
      return importRows(opts.database, asAsync(jsonRows(parsed)), {
        workspaceId, dataset: def.id, kind: 'push', source: 'push', store: q.store, onError: q.onError as 'skip' | 'abort' | undefined,
        dryRun: q.dryRun === '1' || q.dryRun === 'true', requestedBy: 'push',
      });
    },
  );
}
