/**
 * Turns one rule's outcome into alert rows and notifications. A firing scope is an upsert on the
 * partial unique index "one live alert per (rule, scope)", so two replicas evaluating at once
 * open one alert, never two. A new alert notifies; a live one re-notifies only when its severity
 * worsens past the last notified one or after the 24 h cooldown, and never while acknowledged or
 * snoozed. A scope that was evaluated and is clear resolves its live alert (an acknowledged one
 * too: resolve never reopens), and its cards update; a later re-fire inserts a new alert.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import type { AlertSeverity } from '../../db/schema/alerts.ts';
import { refreshAlertCards } from '../lifecycle/cards.ts';
import { sendAlert, type SendResult } from '../notify/send.ts';
import type { Finding, RuleOutcome, RuleRow } from './types.ts';

export const COOLDOWN_MS = 24 * 3600_000;
const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export interface ApplyResult {
  opened: number[];
  updated: number[];
  resolved: number[];
  notified: SendResult;
}

export function shouldNotify(a: { inserted: boolean; status: string; severity: AlertSeverity; lastNotifiedAt: Date | null; lastNotifiedSeverity: AlertSeverity | null }, now: Date): boolean {
  if (a.inserted) return true;
  if (a.status !== 'open') return false;
  if (!a.lastNotifiedAt || !a.lastNotifiedSeverity) return true;
  if (RANK[a.severity] > RANK[a.lastNotifiedSeverity]) return true;
  return now.getTime() - a.lastNotifiedAt.getTime() >= COOLDOWN_MS;
}

function detailsOf(f: Finding, trial: boolean): Record<string, unknown> {
  return { reason: f.reason, items: f.items, currency: f.currency, ownerUserIds: f.ownerUserIds, ...(f.storeId ? { storeId: f.storeId } : {}), ...(trial ? { trial: true } : {}), ...(f.facts ?? {}) };
}

export async function applyOutcome(database: Database, rule: RuleRow, outcome: RuleOutcome, now: Date): Promise<ApplyResult> {
  const res: ApplyResult = { opened: [], updated: [], resolved: [], notified: { sent: 0, held: 0, overflow: 0 } };
  // postgres.js takes no Date parameters in raw SQL: ISO text, cast.
  const ts = now.toISOString();
  const trial = rule.trialUntil !== null && rule.trialUntil.getTime() > now.getTime();
  for (const f of outcome.fired) {
    await database.db.transaction(async (tx) => {
      const [row] = normalizeRows<{ id: number; status: string; severity: AlertSeverity; inserted: boolean; last_ms: number | string | null; last_notified_severity: AlertSeverity | null }>(
        resultRows(
          await tx.execute(sql`
            insert into alerts (workspace_id, rule_id, type, metric_id, scope_key, team_id, status, severity, title, details, value, threshold, opened_at, updated_at)
            values (${rule.workspaceId}, ${rule.id}, ${rule.type}, ${f.metricId}, ${f.scopeKey}, ${f.teamId}, 'open', ${f.severity}, ${f.title},
              ${JSON.stringify(detailsOf(f, trial))}::jsonb, ${f.value === null ? null : String(f.value)}, ${f.threshold === null ? null : String(f.threshold)}, ${ts}::timestamptz, ${ts}::timestamptz)
            on conflict (rule_id, scope_key) where status in ('open', 'acknowledged', 'snoozed')
            do update set severity = excluded.severity, title = excluded.title, details = alerts.details || excluded.details,
              value = excluded.value, threshold = excluded.threshold, team_id = excluded.team_id, updated_at = excluded.updated_at
            returning id, status, severity, (xmax = 0) as inserted, (extract(epoch from last_notified_at) * 1000)::float8 as last_ms, last_notified_severity`),
        ),
      );
      if (!row) return;
      (row.inserted ? res.opened : res.updated).push(row.id);
      // Epoch milliseconds: timestamp text differs between the drivers.
      const last = row.last_ms === null ? null : new Date(Number(row.last_ms));
      if (!shouldNotify({ inserted: row.inserted, status: row.status, severity: row.severity, lastNotifiedAt: last, lastNotifiedSeverity: row.last_notified_severity }, now)) return;
      const sent = await sendAlert(tx, {
        alertId: row.id, workspaceId: rule.workspaceId, teamId: f.teamId, ownerUserIds: f.ownerUserIds, route: rule.route, trial,
        severity: f.severity, quietHours: rule.quietHours, now,
      });
      res.notified.sent += sent.sent;
      res.notified.held += sent.held;
      res.notified.overflow += sent.overflow;
    });
  }
  if (outcome.clear.length) {
    await database.db.transaction(async (tx) => {
      const ids = normalizeRows<{ id: number }>(
        resultRows(
          await tx.execute(sql`
            update alerts set status = 'resolved', resolved_at = ${ts}::timestamptz, updated_at = ${ts}::timestamptz
            where rule_id = ${rule.id} and scope_key in ${outcome.clear} and status in ('open', 'acknowledged', 'snoozed')
            returning id`),
        ),
      ).map((r) => r.id);
      for (const id of ids) await refreshAlertCards(tx, rule.workspaceId, id);
      res.resolved.push(...ids);
    });
  }
  return res;
}
