/**
 * Connectors over REST (admins only): `GET /api/v1/connectors` lists them with their state (never
 * their secrets); `PUT /api/v1/connectors/:id {kind, store?, cadence?, state?, settings}` creates
 * or updates one (secret settings are encrypted, audited without values); `POST /:id/test` makes
 * the provider's cheap authenticated call; `POST /:id/run {store?, from?, to?}` pulls a window now
 * — what `kpibot connectors` calls while a server holds the embedded database.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { authorize } from '../../access/authorize.ts';
import type { Principal } from '../../access/types.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { AppConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { actorOf } from '../../goals/access.ts';
import { runConnector, testConnector, type RunnerDeps } from '../../ingest/connectors/runner.ts';
import { CONNECTOR_CADENCES, getConnectorRecord, listConnectors, saveConnector, type Cadence } from '../../ingest/connectors/service.ts';

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';
const ws = { type: 'object', additionalProperties: false, properties: { workspace: { type: 'string', maxLength: 63 } } } as const;
const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 63 } } } as const;
/** An HTTP request waits at most this long for a provider's rate limit; longer ends the run. */
const HTTP_MAX_WAIT_S = 60;

function admin(req: FastifyRequest): Principal {
  const p = req.principal!;
  if (!authorize(p, 'workspace.admin').ok) throw new AppError('forbidden', 'only admins manage connectors');
  return p;
}

const requester = (p: Principal) => p.userId ?? (p.kind === 'cli' ? 'cli' : p.kind);

export async function connectorRoutes(app: FastifyInstance, opts: { database: Database; config: AppConfig }): Promise<void> {
  const { database, config } = opts;
  const deps = (): RunnerDeps => ({ database, publicUrl: config.publicUrl, secretsKey: config.secretsKey, logger: app.log as unknown as Logger, maxWaitSeconds: HTTP_MAX_WAIT_S });

  app.get('/connectors', { schema: { tags: ['data'], summary: 'Configured connectors and their state (admins)', querystring: ws } }, async (req) => {
    const p = admin(req);
    return { connectors: await listConnectors(database, config.secretsKey, p.workspaceId) };
  });

  app.put('/connectors/:id', {
    schema: {
      tags: ['data'], summary: 'Create or update a connector (admins; secrets are stored encrypted)', querystring: ws, params: idParam,
      body: {
        type: 'object', additionalProperties: false, required: ['kind'],
        properties: {
          kind: { type: 'string', minLength: 1, maxLength: 40 },
          store: { type: ['string', 'null'], maxLength: 100 },
          cadence: { type: 'string', enum: CONNECTOR_CADENCES },
          state: { type: 'string', enum: ['active', 'paused'] },
          settings: { type: 'object', default: {}, description: 'fields of the kind’s configSchema; secret ones are encrypted and never returned' },
        },
      },
    },
  }, async (req) => {
    const p = admin(req);
    const { id } = req.params as { id: string };
    const b = req.body as { kind: string; store?: string | null; cadence?: Cadence; state?: 'active' | 'paused'; settings: Record<string, unknown> };
    const view = await saveConnector(database, config.secretsKey, p.workspaceId, {
      id, kind: b.kind, ...(b.store !== undefined ? { storeId: b.store } : {}), ...(b.cadence ? { cadence: b.cadence } : {}), ...(b.state ? { state: b.state } : {}),
      settings: b.settings ?? {}, createdBy: requester(p),
    });
    await recordAudit(database.db, { workspaceId: p.workspaceId, actor: actorOf(p), action: 'connector.save', entity: 'connector', entityId: id, after: view });
    return view;
  });

  app.post('/connectors/:id/test', {
    schema: { tags: ['data'], summary: 'Check a connector’s credentials with one cheap call (admins)', querystring: ws, params: idParam, body: { type: ['object', 'null'], additionalProperties: false, properties: { store: { type: 'string', maxLength: 100 } } } },
  }, async (req) => {
    const p = admin(req);
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as { store?: string };
    await getConnectorRecord(database, p.workspaceId, id);
    return testConnector(deps(), { workspaceId: p.workspaceId, connectorId: id, ...(b.store ? { store: b.store } : {}), requestedBy: requester(p) });
  });

  app.post('/connectors/:id/run', {
    schema: {
      tags: ['data'], summary: 'Pull a window now (default: since the last success minus the re-pull days, through yesterday)', querystring: ws, params: idParam,
      body: {
        type: ['object', 'null'], additionalProperties: false,
        properties: { store: { type: 'string', maxLength: 100 }, from: { type: 'string', pattern: DAY }, to: { type: 'string', pattern: DAY } },
      },
    },
  }, async (req) => {
    const p = admin(req);
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as { store?: string; from?: string; to?: string };
    return runConnector(deps(), { workspaceId: p.workspaceId, connectorId: id, ...b, requestedBy: requester(p) });
  });
}
