/**
 * Workspaces and the platform tenants bound to them (ARCHITECTURE.md "Tenancy").
 */
import { boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Workspace-level settings; every key optional, defaults live in `src/tenancy/settings.ts`. */
export interface WorkspaceSettings {
  /** What people who were never enrolled may see: `sales` metrics, or only help (`none`). */
  member_access?: 'sales' | 'none';
  /** Day of the next month on which scores become final and locked (glossary §3.6). */
  score_lock_day?: number;
  /** Day of the next month on which preliminary scores are computed (default 2, glossary §3.6). */
  score_preliminary_day?: number;
  /** `daily` (default) or `monthly_avg` for closed months (glossary §2.3). */
  fx_mode?: 'daily' | 'monthly_avg';
  /** Operators see margins by default but not cogs (glossary §3.8). */
  operator_sees_cogs?: boolean;
  operator_sees_margins?: boolean;
  /** Insight thresholds (ad tags, replenishment, anomalies, health); defaults in src/tenancy/settings.ts. */
  insights?: Partial<Record<string, number>>;
}

export const workspaces = pgTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull(),
  currency: text('currency').notNull(),
  locale: text('locale').notNull(),
  settings: jsonb('settings').$type<WorkspaceSettings>().notNull().default({}),
  isDemo: boolean('is_demo').notNull().default(false),
  /** Last day of generated demo facts (the demo's "yesterday"); null for real workspaces. */
  demoAnchor: date('demo_anchor', { mode: 'string' }),
  demoSeed: integer('demo_seed'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A chat platform tenant (Slack team id, Feishu tenant key, DingTalk corp id) → one workspace.
 * `auto` bindings were made by the first-contact rules; `cli` ones by `kpibot workspace bind`.
 */
export const platformTenants = pgTable(
  'platform_tenants',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name'),
    boundBy: text('bound_by').notNull().default('auto'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.tenantKey] })],
);
