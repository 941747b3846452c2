/**
 * Shared by the LingXing connector tests: the fake account from tests/fixtures/lingxing, a
 * PullContext pointed at the fake with a fixed clock (the fake checks the sign's timestamp
 * against the same clock) and a recording sleep and log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lingxing } from '../../../src/ingest/connectors/lingxing/index.ts';
import type { PulledBatch, PullContext } from '../../../src/ingest/connectors/types.ts';
import type { SourceRow } from '../../../src/ingest/source/csv.ts';
import { LingXingFake, type FakeData } from './server.ts';

export const APP_ID = 'ak_0123456789abc';
export const APP_SECRET = 'Zx+9/secret==Qq';
/** 2026-11-03 06:00 UTC: 2026-11-02 22:00 in Los Angeles, 07:00 on 2026-11-03 in Berlin. */
export const NOW = new Date('2026-11-03T06:00:00Z');

export function fixture(): FakeData {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/lingxing/account.json'), 'utf8')) as FakeData;
}

export async function startFake(data: FakeData = fixture()): Promise<LingXingFake> {
  return new LingXingFake({ appId: APP_ID, appSecret: APP_SECRET, data, now: () => NOW }).start();
}

export interface TestContext extends PullContext {
  sleeps: number[];
  logs: string[];
}

export function context(fake: LingXingFake, over: Partial<PullContext> & { config?: Record<string, unknown> } = {}): TestContext {
  const sleeps: number[] = [];
  const logs: string[] = [];
  return {
    workspaceId: 'w', connectorId: 'lx', storeId: null, timeZone: 'UTC', from: '2026-11-01', to: '2026-11-02',
    credentials: { appSecret: APP_SECRET }, fetch, now: () => NOW,
    sleep: async (ms) => void sleeps.push(ms),
    log: (msg, fields) => void logs.push(`${msg} ${JSON.stringify(fields ?? {})}`),
    ...over,
    config: { appId: APP_ID, baseUrl: fake.url, shopMap: ['1519=us-main', '1520=de-main'], pageSize: 2, ...over.config },
    sleeps, logs,
  };
}

export async function collect(ctx: PullContext): Promise<{ dataset: PulledBatch['dataset']; rows: SourceRow[] }[]> {
  const out: { dataset: PulledBatch['dataset']; rows: SourceRow[] }[] = [];
  for await (const b of lingxing.pull(ctx)) {
    const rows: SourceRow[] = [];
    for await (const r of b.rows as AsyncIterable<SourceRow>) rows.push(r);
    out.push({ dataset: b.dataset, rows });
  }
  return out;
}

/** Batch rows as objects keyed by header, for readable assertions. */
export function objects(rows: SourceRow[]): Record<string, unknown>[] {
  const [head, ...data] = rows;
  return data.map((r) => Object.fromEntries(head!.cells.map((h, i) => [String(h), r.cells[i]])));
}
