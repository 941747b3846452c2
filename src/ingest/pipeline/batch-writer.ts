/**
 * Writes validated rows inside the import's transaction, a few thousand at a time: rows of one
 * chunk are de-duplicated by natural key (the last wins, as a later import would), master data
 * they name is created, the store's primary source is fixed on first sight, restatement
 * baselines are read, then one multi-row upsert. Tracks coverage per store for the sync run.
 */
import type { FactSource } from '../../db/schema/facts.ts';
import type { StoreCoverage } from '../../db/schema/sync.ts';
import type { DatasetDef } from '../datasets/types.ts';
import { DimensionWriter } from './dimensions.ts';
import { ensurePrimarySource } from './primary-source.ts';
import { RestatementTracker } from './restatements.ts';
import { upsert, type SqlExecutor } from './sql-batch.ts';
import type { ValidRow } from './validate-row.ts';

export const CHUNK_ROWS = 5000;

export class BatchWriter {
  readonly dims: DimensionWriter;
  readonly restatements: RestatementTracker;
  readonly coverage: Record<string, StoreCoverage> = {};
  from: string | null = null;
  through: string | null = null;
  written = 0;
  secondaryRows = 0;
  private chunk: ValidRow[] = [];
  private readonly primary = new Map<string, FactSource>();
  private columns: string[] | null = null;
  private update: string[] = [];

  constructor(
    private readonly def: DatasetDef,
    private readonly o: { workspaceId: string; runId: number; source: FactSource; dryRun: boolean; present: ReadonlySet<string> },
  ) {
    this.dims = new DimensionWriter(o.workspaceId, o.dryRun);
    this.restatements = new RestatementTracker(o.workspaceId, def.id, o.source);
  }

  async add(db: SqlExecutor, row: ValidRow): Promise<void> {
    this.chunk.push(row);
    if (this.chunk.length >= CHUNK_ROWS) await this.flush(db);
  }

  private dbRow(r: ValidRow): Record<string, unknown> {
    const row: Record<string, unknown> = { workspace_id: this.o.workspaceId, ...r.db };
    if (this.def.lineage) {
      row.source = r.source;
      row.sync_run_id = this.o.runId;
      row.ingested_at = new Date();
    } else if (this.def.id === 'fx') row.sync_run_id = this.o.runId;
    return row;
  }

  private keyOf(row: Record<string, unknown>): string {
    const parts = this.def.key.map((k) => (row[k] instanceof Date ? (row[k] as Date).toISOString() : String(row[k] ?? '\u0000')));
    if (this.def.lineage && this.def.id !== 'activity') parts.push(String(row.source));
    return parts.join('\u0001');
  }

  private track(r: ValidRow): void {
    if (r.day) {
      if (this.from === null || r.day < this.from) this.from = r.day;
      if (this.through === null || r.day > this.through) this.through = r.day;
    }
    if (!r.store) return;
    const c = (this.coverage[r.store.id] ??= { from: r.day ?? '', through: r.day ?? '', rows: 0 });
    c.rows++;
    if (r.day && (c.from === '' || r.day < c.from)) c.from = r.day;
    if (r.day && r.day > c.through) c.through = r.day;
  }

  /**
   * Order-line imports also know each store-day's distinct orders (an order with two SKUs counts
   * once): V.orders_distinct, which store-level `orders` and AOV read (glossary §2.2 V).
   */
  async writeDistinctOrders(db: SqlExecutor, days: { storeId: string; date: string; source: string; orders: number }[]): Promise<void> {
    if (this.o.dryRun || days.length === 0) return;
    for (const storeId of new Set(days.map((d) => d.storeId))) await ensurePrimarySource(db, this.o.workspaceId, storeId, 'service', this.o.source);
    const rows = days.map((d) => ({ workspace_id: this.o.workspaceId, date: d.date, store_id: d.storeId, source: d.source, orders_distinct: d.orders, sync_run_id: this.o.runId, ingested_at: new Date() }));
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
      await upsert(db, { table: 'fact_service_daily', columns: Object.keys(rows[0]!), conflict: { constraint: 'fact_service_daily_natural_key' }, update: ['orders_distinct', 'sync_run_id', 'ingested_at'] }, rows.slice(i, i + CHUNK_ROWS));
    }
  }

  async flush(db: SqlExecutor): Promise<void> {
    if (this.chunk.length === 0) return;
    const rows = new Map<string, Record<string, unknown>>();
    for (const r of this.chunk) {
      const row = this.dbRow(r);
      rows.set(this.keyOf(row), row);
      this.track(r);
    }
    const chunk = this.chunk;
    this.chunk = [];
    await this.dims.ensure(db, chunk.map((r) => r.dims));
    if (this.def.priorityDataset) {
      for (const r of chunk) {
        if (!r.store) continue;
        let primary = this.primary.get(r.store.id);
        if (!primary) {
          primary = this.o.dryRun ? r.source : await ensurePrimarySource(db, this.o.workspaceId, r.store.id, this.def.priorityDataset, r.source);
          this.primary.set(r.store.id, primary);
        }
        if (primary !== r.source) this.secondaryRows++;
      }
    }
    if (this.o.dryRun) return;
    const counted = chunk.filter((r) => r.store && r.day && this.primary.get(r.store.id) === this.o.source);
    await this.restatements.capture(db, counted.map((r) => [r.store!.id, r.day!] as [string, string]));
    const list = [...rows.values()];
    if (!this.columns) {
      this.columns = Object.keys(list[0]!);
      const fixed = new Set(['workspace_id', ...this.def.key, ...(this.def.lineage && this.def.id !== 'activity' ? ['source'] : [])]);
      const insertOnly = Object.entries(this.def.defaults ?? {}).filter(([, t]) => !this.o.present.has(t)).map(([c]) => c);
      this.update = this.columns.filter((c) => !fixed.has(c) && !insertOnly.includes(c));
    }
    await upsert(db, { table: this.def.table, columns: this.columns, conflict: this.def.conflict, update: this.update }, list);
    this.written += list.length;
  }
}
