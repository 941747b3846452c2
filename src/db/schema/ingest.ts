/**
 * Tables of the data-in path (src/ingest): a workspace's own header mappings for files no
 * built-in profile recognises, and restatements — an already reported number that a later
 * import changed, so cards can say "restated: +4.1 %".
 */
import { bigint, date, index, jsonb, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt, workspaceId } from './columns.ts';
import type { DatasetId } from './sync.ts';

/**
 * A named header mapping for one dataset: template column → the file's header text, plus
 * constants for template columns the file lacks (e.g. `ad_platform = amazon_sp`). Auto-detection
 * considers these beside the built-in profiles.
 */
export const importMappings = pgTable(
  'import_mappings',
  {
    workspaceId: workspaceId(),
    dataset: text('dataset').$type<DatasetId>().notNull(),
    name: text('name').notNull(),
    columns: jsonb('columns').$type<Record<string, string>>().notNull(),
    constants: jsonb('constants').$type<Record<string, string>>().notNull().default({}),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.dataset, t.name] })],
);

/**
 * One store-day measure that an import changed after it had been reported: the day's total of
 * the counted source before and after that import (`sync_run_id`). Several runs restating the
 * same day each leave a row.
 */
export const restatements = pgTable(
  'restatements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    dataset: text('dataset').$type<DatasetId>().notNull(),
    storeId: text('store_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    /** Fact column, e.g. `gross_sales`, `units_ordered`, `spend`. */
    measure: text('measure').notNull(),
    beforeValue: numeric('before_value', { precision: 20, scale: 4 }).notNull(),
    afterValue: numeric('after_value', { precision: 20, scale: 4 }).notNull(),
    syncRunId: bigint('sync_run_id', { mode: 'number' }).notNull(),
    detectedAt: tstz('detected_at').notNull().defaultNow(),
  },
  (t) => [index('restatements_store_date').on(t.workspaceId, t.dataset, t.storeId, t.date)],
);
