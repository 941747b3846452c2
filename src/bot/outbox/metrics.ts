/**
 * Outbox metrics for /metrics: sent, failed (by code) and dead-lettered per platform, plus queue
 * depth and the age of the oldest due row, read from the table at scrape time so every replica
 * reports the shared queue.
 */
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '../../db/client.ts';
import { quotaMonth } from './quota.ts';

export interface OutboxMetrics {
  sent: Counter<'platform'>;
  failed: Counter<'platform' | 'code'>;
  dead: Counter<'platform'>;
  /** Wall time of one platform call (send or in-place update), whatever its outcome. */
  sendSeconds: Histogram<'platform' | 'kind'>;
}

export function createOutboxMetrics(registry: Registry, database: Database): OutboxMetrics {
  const registers = [registry];
  new Gauge({
    name: 'outbox_depth',
    help: 'Deliveries waiting to be sent, by platform',
    labelNames: ['platform'] as const,
    registers,
    async collect() {
      this.reset();
      const rows = await database.query<{ platform: string; n: number }>(sql`
        select platform, count(*) as n from deliveries where state in ('pending', 'sending') group by platform`);
      for (const r of rows) this.set({ platform: r.platform }, r.n);
    },
  });
  new Gauge({
    name: 'outbox_oldest_age_seconds',
    help: 'Age of the oldest delivery still waiting, by platform',
    labelNames: ['platform'] as const,
    registers,
    async collect() {
      this.reset();
      const rows = await database.query<{ platform: string; age: number }>(sql`
        select platform, extract(epoch from clock_timestamp() - min(created_at))::float8 as age
        from deliveries where state in ('pending', 'sending') group by platform`);
      for (const r of rows) this.set({ platform: r.platform }, Number(r.age));
    },
  });
  new Gauge({
    name: 'platform_quota_used',
    help: "Platform API calls counted against a tenant's monthly quota this month (DingTalk: errcode 90020 when it runs out)",
    labelNames: ['platform', 'tenant'] as const,
    registers,
    async collect() {
      this.reset();
      const month = quotaMonth(new Date());
      const rows = await database.query<{ platform: string; tenant_key: string; calls: number }>(sql`
        select platform, tenant_key, calls from api_usage where month = ${month}`);
      for (const r of rows) this.set({ platform: r.platform, tenant: r.tenant_key }, Number(r.calls));
    },
  });
  return {
    sendSeconds: new Histogram({
      name: 'outbox_send_duration_seconds',
      help: 'Time of one platform send or update call from the outbox',
      labelNames: ['platform', 'kind'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    sent: new Counter({ name: 'outbox_sent_total', help: 'Deliveries sent', labelNames: ['platform'] as const, registers }),
    failed: new Counter({
      name: 'outbox_failed_total',
      help: 'Failed send attempts by AdapterError code',
      labelNames: ['platform', 'code'] as const,
      registers,
    }),
    dead: new Counter({ name: 'outbox_dead_total', help: 'Deliveries dead-lettered', labelNames: ['platform'] as const, registers }),
  };
}
