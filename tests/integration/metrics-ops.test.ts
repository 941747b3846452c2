/**
 * The operations metrics the Grafana dashboard reads beyond HTTP timings: data freshness per
 * dataset and source (from sync_runs), platform quota used (from api_usage) and the outbox's
 * per-call send time — each shows the value of rows written here, on both engines.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { enqueueDelivery } from '../../src/bot/outbox/enqueue.ts';
import { quotaMonth } from '../../src/bot/outbox/quota.ts';
import { importRows } from '../../src/ingest/pipeline/run-import.ts';
import { asAsync, jsonRows } from '../../src/ingest/push/json-rows.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const sample = (text: string, name: string, labels: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe.each(ENGINES)('operations metrics on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x));

  it('reports data age per dataset and source, quota used this month, and send time per platform', async () => {
    await insertWorkspace(d, { id: 'w', currency: 'USD' });
    const store = { store_id: 'us-main', name: 'US', platform: 'amazon', marketplace: 'US', currency: 'USD', timezone: 'America/Los_Angeles' };
    expect((await importRows(d, asAsync(jsonRows([store])), { workspaceId: 'w', dataset: 'stores', requestedBy: 't' })).status).toBe('ok');
    const r = await importRows(d, asAsync(jsonRows([{ date: '2026-11-01', store_id: 'us-main', sku_id: 'A-1', units_ordered: 1, gross_sales: 5 }])), { workspaceId: 'w', dataset: 'orders', source: 'erp_file', requestedBy: 't' });
    expect(r.status).toBe('ok');
    await d.query(sql`insert into api_usage (platform, tenant_key, month, calls) values ('dingtalk', 'corp-1', ${quotaMonth(new Date())}, 1234)`);
    const { app, messaging } = await buildTestApp(d);
    await enqueueDelivery(d.db, { workspaceId: 'w', target: { platform: 'console', tenantKey: 'console', chatId: 'ops', kind: 'group' }, message: { kind: 'text', markdown: 'hi' } });
    // The app's own outbox timer may have claimed the row first: wait for whichever worker sends it.
    let text = '';
    for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      await messaging.outbox.runOnce();
      text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      if (sample(text, 'outbox_send_duration_seconds_count', 'platform="console",kind="push"') !== undefined) break;
    }
    const age = sample(text, 'data_last_success_age_seconds', 'dataset="orders",source="erp_file"');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(600);
    expect(sample(text, 'platform_quota_used', 'platform="dingtalk",tenant="corp-1"')).toBe(1234);
    expect(sample(text, 'outbox_send_duration_seconds_count', 'platform="console",kind="push"')).toBe(1);
  });
});
