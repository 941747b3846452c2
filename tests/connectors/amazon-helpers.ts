/**
 * Shared set-up for the Amazon connector tests: a workspace with one US Amazon store, a pino
 * logger whose lines the test reads (to prove no secret reaches them), and runner deps whose
 * sleep and clock are the fake's, so polling and throttling are measured without real waiting.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import type { RunnerDeps } from '../../src/ingest/connectors/runner.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import type { FakeClock } from '../fakes/amazon/common.ts';
import { insertWorkspace } from '../helpers/db.ts';

export const SECRETS_KEY = 'test-secrets-key-0123456789abcdef-amazon';
export const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: false };

export async function seedStore(d: Database): Promise<void> {
  await insertWorkspace(d, { id: 'w', currency: 'USD', timezone: 'America/Los_Angeles' });
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'us-amz', 'US Amazon', 'amazon', 'US', 'USD', 'America/Los_Angeles')`);
}

export function runnerDeps(d: Database, clock: FakeClock): { deps: RunnerDeps; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, done) => void (lines.push(c.toString('utf8')), done()) }));
  return { deps: { database: d, publicUrl: 'http://127.0.0.1', secretsKey: SECRETS_KEY, logger, fetch, sleep: clock.sleep, now: clock.now }, lines };
}

export async function kpis(d: Database, metrics: string[], period: string, now: Date): Promise<Record<string, unknown>> {
  const res = await queryKpi(d, { workspaceId: 'w', metrics, period, groupBy: 'store', principal: admin, now });
  return res.rows[0] as Record<string, unknown>;
}
