/**
 * One evaluation of a workspace's enabled rules (at start, on schedule, after each import):
 * each rule type's evaluator, then its outcome applied (upsert, notify, auto-resolve). A rule
 * that fails (e.g. its custom metric was deleted) is reported off with the reason and the others
 * still run. Data alerts written elsewhere without a rule (FX gaps, src/kpi/fx-alert.ts) are sent
 * once to the admins here. `dryRun` computes without writing or sending (`alert rule test`).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { adminPrincipal } from '../../access/principal.ts';
import type { Database } from '../../db/client.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import { alertRules, type AlertSeverity } from '../../db/schema/index.ts';
import { storesInScope } from '../../insights/anomaly/stores.ts';
import { loadCustomMetrics } from '../../kpi/custom/registry.ts';
import { sendAlert } from '../notify/send.ts';
import { applyOutcome, type ApplyResult } from './apply.ts';
import { evaluateFreshness } from './freshness.ts';
import { evaluatePace } from './pace.ts';
import { evaluateRedLines } from './red-lines.ts';
import { evaluateSuddenChange } from './sudden.ts';
import { evaluateThreshold } from './threshold.ts';
import type { EvalContext, RuleOutcome, RuleRow } from './types.ts';

export interface EvaluateOptions {
  workspaceId: string;
  now?: Date;
  ruleIds?: number[];
  /** Only these stores (an import of their data); rules on other stores keep their alerts. */
  storeIds?: readonly string[];
}

export interface RuleReport {
  ruleId: number;
  outcome: RuleOutcome;
  applied?: ApplyResult;
  error?: string;
}

export async function evaluationContext(database: Database, workspaceId: string, now: Date, onlyStores?: readonly string[]): Promise<EvalContext> {
  const principal = await adminPrincipal(database, workspaceId, 'system');
  await loadCustomMetrics(database, workspaceId); // custom-metric rules: warm the synchronous lookup
  const stores = await storesInScope(database, workspaceId, principal, now);
  return { database, workspaceId, now, principal, stores, ...(onlyStores ? { onlyStores } : {}) };
}

export async function evaluateRule(ctx: EvalContext, rule: RuleRow): Promise<RuleOutcome> {
  switch (rule.type) {
    case 'threshold':
      return evaluateThreshold(ctx, rule);
    case 'sudden_change':
      return evaluateSuddenChange(ctx, rule);
    case 'freshness':
      return evaluateFreshness(ctx, rule);
    case 'pace':
      return evaluatePace(ctx, rule);
    case 'red_line':
      return evaluateRedLines(ctx, rule);
    default:
      return { fired: [], clear: [], off: [`${rule.type} rules are evaluated elsewhere`] };
  }
}

export async function loadRules(database: Database, workspaceId: string, ids?: number[]): Promise<RuleRow[]> {
  return database.db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.workspaceId, workspaceId), eq(alertRules.enabled, true), ...(ids ? [inArray(alertRules.id, ids.length ? ids : [-1])] : [])))
    .orderBy(alertRules.id);
}

export async function evaluateWorkspace(database: Database, o: EvaluateOptions): Promise<RuleReport[]> {
  const now = o.now ?? new Date();
  const ctx = await evaluationContext(database, o.workspaceId, now, o.storeIds);
  const reports: RuleReport[] = [];
  for (const rule of await loadRules(database, o.workspaceId, o.ruleIds)) {
    try {
      const outcome = await evaluateRule(ctx, rule);
      reports.push({ ruleId: rule.id, outcome, applied: await applyOutcome(database, rule, outcome, now) });
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 200);
      reports.push({ ruleId: rule.id, outcome: { fired: [], clear: [], off: [message] }, error: message });
    }
  }
  await sendRulelessAlerts(database, o.workspaceId, now);
  return reports;
}

/** Open alerts without a rule that were never sent (FX gaps): once, to the admins. */
export async function sendRulelessAlerts(database: Database, workspaceId: string, now: Date): Promise<number> {
  const rows = await database.query<{ id: number; severity: AlertSeverity; team_id: string | null }>(sql`
    select id, severity, team_id from alerts where workspace_id = ${workspaceId} and rule_id is null and status = 'open' and last_notified_at is null order by id`);
  for (const a of rows) {
    await database.db.transaction(async (tx) => {
      // Claim first: a concurrent evaluation that lost the race sends nothing.
      const claimed = resultRows(await tx.execute(sql`update alerts set last_notified_at = ${now.toISOString()}::timestamptz where id = ${a.id} and last_notified_at is null returning id`));
      if (!normalizeRows(claimed).length) return;
      await sendAlert(tx, { alertId: a.id, workspaceId, teamId: null, ownerUserIds: [], route: 'group', trial: false, severity: a.severity, quietHours: a.severity !== 'critical', now });
    });
  }
  return rows.length;
}

/** All workspaces with enabled rules or unsent data alerts (scheduled job, start-up). */
export async function evaluateAll(database: Database, now = new Date()): Promise<number> {
  const ws = await database.query<{ id: string }>(sql`
    select distinct workspace_id as id from alert_rules where enabled
    union select distinct workspace_id from alerts where rule_id is null and status = 'open' and last_notified_at is null order by 1`);
  for (const w of ws) await evaluateWorkspace(database, { workspaceId: w.id, now });
  return ws.length;
}
