/**
 * What one rule's evaluation produces: the scopes that fire (one per rule and store, with the
 * SKUs or campaigns as items), the scopes that were evaluated and are clear (their live alerts
 * resolve), and why a rule or part of it was off (short history, no data, wrong platform).
 */
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import type { alertRules, AlertSeverity } from '../../db/schema/index.ts';
import type { InsightStore } from '../../insights/anomaly/stores.ts';
import type { AlertItem } from '../card.ts';

export type RuleRow = typeof alertRules.$inferSelect;

export interface Finding {
  scopeKey: string;
  storeId: string | null;
  teamId: string | null;
  severity: AlertSeverity;
  title: string;
  metricId: string | null;
  value: number | null;
  threshold: number | null;
  currency: string | null;
  reason: string;
  items: AlertItem[];
  /** User ids of the owners (store owner, SKU owner, goal owner) to @-mention or DM. */
  ownerUserIds: string[];
  /** Extra facts kept in `details` (SKU ids, the day evaluated). */
  facts?: Record<string, unknown>;
}

export interface RuleOutcome {
  fired: Finding[];
  /** Scope keys evaluated this time and clear. */
  clear: string[];
  /** Why (parts of) the rule were not evaluated, e.g. "us-main: not enough data (12 days, need 28)". */
  off: string[];
}

export interface EvalContext {
  database: Database;
  workspaceId: string;
  now: Date;
  principal: Principal;
  /** Stores of the workspace (with their last complete day at `now`). */
  stores: InsightStore[];
  /** Only these stores (after an import of their data). */
  onlyStores?: readonly string[];
}

/** Most items a card lists and most scopes one rule opens per evaluation (a rule that fires everywhere is capped with the reason). */
export const MAX_SCOPES_PER_RULE = 50;

export const emptyOutcome = (): RuleOutcome => ({ fired: [], clear: [], off: [] });
