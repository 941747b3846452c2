/**
 * REST principal for `/api/v1` (ARCHITECTURE.md "REST principal"):
 * - `Authorization: Bearer <API_TOKEN>` → admin of every workspace (`?workspace=` picks one);
 * - `Bearer kpb_…` from `kpibot token create` → that token's workspace, role and team;
 * - no header, API_TOKEN unset and a loopback peer → admin of the default workspace;
 * - anything else → 401. The peer address is the socket's, never X-Forwarded-For.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { adminPrincipal, principalForToken } from '../access/principal.ts';
import { verifyToken } from '../access/tokens.ts';
import type { Principal } from '../access/types.ts';
import { AppError } from '../errors.ts';
import { getWorkspace, listWorkspaces } from '../tenancy/workspaces.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `?workspace=` if given (must exist), else the demo, else the only workspace. */
export async function pickWorkspace(database: Database, requested: string | undefined): Promise<string> {
  if (requested !== undefined) {
    if (!(await getWorkspace(database.db, requested))) {
      throw new AppError('not_found', `no workspace "${requested.slice(0, 64)}"`, { field: 'workspace' });
    }
    return requested;
  }
  const all = await listWorkspaces(database.db);
  const demo = all.find((w) => w.isDemo);
  if (demo) return demo.id;
  if (all.length === 1) return all[0]!.id;
  if (all.length === 0) throw new AppError('not_found', 'there is no workspace yet: run "kpibot workspace create <id>"');
  throw new AppError('invalid_argument', `there are ${all.length} workspaces: pass ?workspace=<id>`, { field: 'workspace' });
}

function requestedWorkspace(req: FastifyRequest): string | undefined {
  const q = req.query as Record<string, unknown> | undefined;
  const w = q?.workspace;
  return typeof w === 'string' && w !== '' ? w : undefined;
}

export function registerApiAuth(app: FastifyInstance, deps: { config: AppConfig; database: Database }): void {
  app.decorateRequest('principal', null);
  app.addHook('preHandler', async (req) => {
    if (req.routeOptions.config && (req.routeOptions.config as { public?: boolean }).public) return;
    const header = req.headers.authorization;
    const wanted = requestedWorkspace(req);
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw new AppError('unauthorized', 'Authorization must be "Bearer <token>"');
      const token = m[1]!;
      if (deps.config.apiToken && sameSecret(token, deps.config.apiToken)) {
        req.principal = await adminPrincipal(deps.database, await pickWorkspace(deps.database, wanted), 'admin_token');
        return;
      }
      const row = await verifyToken(deps.database.db, token);
      if (!row) throw new AppError('unauthorized', 'unknown, revoked or malformed token');
      if (wanted !== undefined && wanted !== row.workspaceId) {
        throw new AppError('forbidden', 'this token belongs to another workspace', { field: 'workspace' });
      }
      req.principal = await principalForToken(deps.database, row);
      return;
    }
    if (!deps.config.apiToken && isLoopbackAddress(req.socket.remoteAddress)) {
      req.principal = await adminPrincipal(deps.database, await pickWorkspace(deps.database, wanted), 'loopback');
      return;
    }
    throw new AppError('unauthorized', 'missing bearer token');
  });
}
