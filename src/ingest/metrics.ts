/**
 * Data freshness on /metrics: age of the last successful import, push or connector run per
 * dataset and source, read from sync_runs at scrape time so every replica reports the same value
 * (the per-store picture with cadences is `data status` and src/ingest/freshness.ts).
 */
import { sql } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/client.ts';

export function registerIngestMetrics(registry: Registry, database: Database): void {
  new Gauge({
    name: 'data_last_success_age_seconds',
    help: 'Seconds since the last successful run delivering this dataset from this source',
    labelNames: ['dataset', 'source'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await database.query<{ dataset: string; source: string; age: number }>(sql`
        select dataset, source, extract(epoch from clock_timestamp() - max(finished_at))::float8 as age
        from sync_runs where status in ('ok', 'partial') and not dry_run and finished_at is not null
        group by dataset, source`);
      for (const r of rows) this.set({ dataset: r.dataset, source: r.source }, Number(r.age));
    },
  });
}
