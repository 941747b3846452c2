/**
 * Everything under `/api/v1`: bearer-token auth first, then each feature's routes. Later issues
 * register their routes here (kpi, charts, goals, imports, …) in a readable order.
 */
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { registerApiAuth } from '../../plugins/api-auth.ts';
import { auditRoutes } from './audit.ts';
import type { ChartRenderer } from '../../render/index.ts';
import { chartRoutes } from './charts.ts';
import { kpiRoutes } from './kpi.ts';
import { metricRoutes } from './metrics.ts';
import { createGoalLookup } from '../../goals/kpi-lookup.ts';
import { goalRoutes } from './goals.ts';
import { exportRoutes } from './exports.ts';
import { importRoutes } from './imports.ts';
import { pushRoutes } from './push.ts';
import { sourceRoutes } from './sources.ts';
import { digestRoutes } from './digests.ts';
import { insightRoutes } from './insights.ts';
import { scoreRoutes } from './scores.ts';
import { connectorRoutes } from './connectors.ts';
import { createScoreLookup } from '../../scores/lookup.ts';
import { alertRoutes } from './alerts.ts';

export interface ApiDeps {
  config: AppConfig;
  database: Database;
  charts: ChartRenderer;
}

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  registerApiAuth(app, deps);
  await app.register(auditRoutes, { database: deps.database });
  await app.register(kpiRoutes, { database: deps.database, goals: createGoalLookup(deps.database), scores: createScoreLookup(deps.database) });
  await app.register(metricRoutes, { database: deps.database, scores: createScoreLookup(deps.database) });
  await app.register(goalRoutes, { database: deps.database });
  await app.register(scoreRoutes, { database: deps.database });
  await app.register(chartRoutes, { database: deps.database, renderer: deps.charts });
  await app.register(importRoutes, { database: deps.database });
  await app.register(pushRoutes, { config: deps.config, database: deps.database });
  await app.register(exportRoutes, { database: deps.database });
  await app.register(sourceRoutes, { database: deps.database });
  await app.register(connectorRoutes, { database: deps.database, config: deps.config });
  await app.register(digestRoutes, { database: deps.database, config: deps.config, charts: deps.charts });
  await app.register(insightRoutes, { database: deps.database });
  await app.register(alertRoutes, { database: deps.database });
}
