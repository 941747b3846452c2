/**
 * The Postgres fast path (issue 30 "Fast path"): a clean template CSV of orders or ads is COPYed
 * into a temporary staging table, checked in one set-based query, and merged with one
 * INSERT … SELECT (an upsert when the days already hold rows), all in one transaction. Its rules are a strict subset of the row
 * validator's (ISO dates, plain numbers, store ids): when any row falls outside them the
 * transaction is rolled back and the file takes the ordinary path, which reports every row —
 * so the fast path never changes what an import accepts, only how fast.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Database } from '../../db/client.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import type { DatasetDef } from '../datasets/types.ts';
import { ensurePrimarySource } from '../pipeline/primary-source.ts';
import { RestatementTracker } from '../pipeline/restatements.ts';
import { ident, type SqlExecutor } from '../pipeline/sql-batch.ts';
import { finishRun, startRun } from '../pipeline/sync-run.ts';
import type { ImportResult } from '../pipeline/run-import.ts';
import { badSql, castSql, mergeSelect, type FastSpec } from './fast-sql.ts';

export const FAST_DATASETS = new Set(['orders', 'ads']);

class Fallback extends Error {}

const dialect = new PgDialect();

function executor(tx: postgres.TransactionSql): SqlExecutor & Pick<Database, 'query'> {
  const execute = async (q: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    return tx.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
  };
  return { execute, query: async <T>(q: SQL) => normalizeRows<T>(resultRows(await execute(q))) };
}

export interface FastInput {
  workspaceId: string;
  def: DatasetDef;
  path: string;
  /** Header as in the file: template column names. */
  columns: string[];
  delimiter: string;
  source: FactSource;
  fileName?: string;
  fileHash?: string;
  requestedBy: string;
}

/** Imports through COPY; null when the file needs the ordinary path. */
export async function copyImport(database: Database, f: FastInput): Promise<ImportResult | null> {
  if (database.kind !== 'postgres' || !FAST_DATASETS.has(f.def.id)) return null;
  const client = (database.db as unknown as { $client: postgres.Sql }).$client;
  const started = Date.now();
  const spec: FastSpec = { def: f.def, columns: f.columns, workspaceId: f.workspaceId };
  try {
    return await client.begin(async (tx) => {
      const x = executor(tx);
      const stage = `kp_stage_${process.pid}`;
      // Sorts and hash aggregates over a whole file stay in memory.
      await tx.unsafe(`set local work_mem = '256MB'`);
      await tx.unsafe(`create temp table ${stage} (line bigserial, ${f.columns.map((c) => `${ident(c)} text`).join(', ')}) on commit drop`);
      const delimiter = f.delimiter === '\t' ? 'E\'\\t\'' : `'${f.delimiter}'`;
      const writable = await tx.unsafe(`copy ${stage} (${f.columns.map(ident).join(', ')}) from stdin with (format csv, header true, delimiter ${delimiter})`).writable();
      await pipeline(createReadStream(f.path), writable);
      const runId = await startRun(x, { workspaceId: f.workspaceId, kind: 'import', dataset: f.def.id, source: f.source, dryRun: false, fileName: f.fileName, fileHash: f.fileHash, requestedBy: f.requestedBy });
      // One pass checks every row and gives the coverage and the store-days restatements compare.
      const days = await x.query<{ store_id: string; d: string; rows: number; bad: boolean }>(sql`
        select ${castSql(spec, 'store_id')} as store_id, ${castSql(spec, 'date')}::text as d, count(*)::int as rows, bool_or(${badSql(spec)}) as bad
        from ${sql.raw(stage)} s left join stores st on st.workspace_id = ${f.workspaceId} and st.id = btrim(s.store_id) group by 1, 2`);
      if (days.some((r) => r.bad)) throw new Fallback();
      const coverage: Record<string, { from: string; through: string; rows: number }> = {};
      for (const r of days) {
        const c = (coverage[r.store_id] ??= { from: r.d, through: r.d, rows: 0 });
        c.rows += r.rows;
        if (r.d < c.from) c.from = r.d;
        if (r.d > c.through) c.through = r.d;
      }
      const total = days.reduce((n, r) => n + r.rows, 0);
      const span = days.map((r) => r.d).sort();
      const range = span.length ? { from: span[0]!, to: span[span.length - 1]! } : null;
      let secondaryRows = 0;
      const tracker = new RestatementTracker(f.workspaceId, f.def.id, f.source);
      for (const [storeId, c] of Object.entries(coverage)) {
        const primary = await ensurePrimarySource(x, f.workspaceId, storeId, f.def.priorityDataset!, f.source);
        if (primary !== f.source) secondaryRows += c.rows;
        else await tracker.capture(x, days.filter((r) => r.store_id === storeId).map((r) => [storeId, r.d] as [string, string]));
      }
      const created: Record<string, number> = {};
      const merged = mergeSelect(spec, stage);
      for (const [table, select] of Object.entries(merged.dims)) {
        const r = await x.query<{ id: string }>(sql`insert into ${sql.raw(table)} ${select} on conflict do nothing returning id`);
        if (r.length) created[table] = r.length;
      }
      // Plain INSERT when none of the file's store-days has rows of this source yet, else an upsert;
      // keys repeated inside the file make either fail (21000 / 23505), and only then is the file
      // de-duplicated (last row wins, as in the ordinary path) — a sort a clean file never pays.
      const stores = Object.keys(coverage);
      const [first, last] = [range?.from, range?.to];
      const [existing] = await x.query<{ n: number }>(sql`select count(*)::int as n from (select 1 from ${sql.raw(f.def.table)}
        where workspace_id = ${f.workspaceId} and store_id in ${stores} and date between ${first}::date and ${last}::date and source = ${f.source} limit 1) e`);
      const merge = (deduplicate: boolean, upsertRows: boolean) => sql`insert into ${sql.raw(f.def.table)} (${sql.raw(merged.columns.join(', '))})
        select ${deduplicate ? sql.raw(`distinct on (${merged.key.join(', ')}) `) : sql``}${sql.raw(merged.columns.join(', '))}
        from (select s.line, ${merged.select}, ${f.source}::text as source, ${runId}::bigint as sync_run_id ${merged.from}) t
        ${deduplicate ? sql.raw(`order by ${merged.key.join(', ')}, line desc`) : sql``}
        ${upsertRows ? sql`on conflict on constraint ${sql.raw(ident(`${f.def.table}_natural_key`))} do update set ${sql.raw(merged.update.map((c) => `${c} = excluded.${c}`).join(', '))}, ingested_at = now()` : sql``}`;
      try {
        await tx.savepoint((sp) => executor(sp).execute(merge(false, !existing || existing.n > 0)));
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== '21000' && code !== '23505') throw err;
        await x.execute(merge(true, true));
      }
      const restatedDays = await tracker.finish(x, runId);
      await finishRun(x, runId, { status: 'ok', rowsAccepted: total, rowsRejected: 0, issues: [], truncated: false, created, secondaryRows, coverage, from: range?.from ?? null, through: range?.to ?? null });
      return {
        runId, status: 'ok', dataset: f.def.id, dryRun: false,
        profile: { id: 'template', label: { en: `kpibot ${f.def.id} template (COPY fast path)`, zh: `kpibot ${f.def.id} 模板（COPY 快速通道）` }, origin: 'template', confidence: 1, headerRow: 1 },
        rowsRead: total, rowsAccepted: total, rowsRejected: 0, rowsSkipped: 0, rowsWritten: total, issues: [], issuesTruncated: false, created, secondaryRows, restatedDays,
        dateRange: range, coverage, durationMs: Date.now() - started,
      } satisfies ImportResult;
    }) as ImportResult;
  } catch (err) {
    if (err instanceof Fallback) return null;
    // A database refusal (bad data) is the ordinary path's to report row by row.
    if (typeof (err as { code?: unknown }).code === 'string' && /^2[23]/.test((err as { code: string }).code)) return null;
    throw err;
  }
}
