/**
 * Reads one alert into the AlertView the card is drawn from. The engine keeps the card's
 * per-alert extras in `details` (items, reason, mentions, currency, trial, time zone) so a
 * re-render after a state change needs nothing but the row.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { alerts, users } from '../db/schema/index.ts';
import type { AlertItem, AlertView } from './card.ts';

/** The shape the engine writes into `alerts.details`. */
export interface AlertDetails {
  reason?: string;
  items?: AlertItem[];
  /** Platform user ids to @-mention. */
  mentions?: string[];
  currency?: string | null;
  trial?: boolean;
  timeZone?: string;
  storeId?: string;
  assigneeName?: string;
  [key: string]: unknown;
}

function asItems(v: unknown): AlertItem[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
    .map((x) => ({ label: String(x['label'] ?? ''), value: String(x['value'] ?? '') }))
    .filter((x) => x.label !== '');
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));

/** Null when the alert does not exist. */
export async function loadAlertView(database: Database, alertId: number): Promise<AlertView | null> {
  const [row] = await database.db.select().from(alerts).where(eq(alerts.id, alertId)).limit(1);
  if (!row) return null;
  const d = (row.details ?? {}) as AlertDetails;
  const assigneeUserId = row.assigneeUserId;
  let assigneeName = typeof d.assigneeName === 'string' ? d.assigneeName : null;
  if (assigneeUserId) {
    const [u] = await database.db
      .select({ name: users.displayName })
      .from(users)
      .where(and(eq(users.workspaceId, row.workspaceId), eq(users.id, assigneeUserId)))
      .limit(1);
    assigneeName = u?.name ?? assigneeUserId;
  }
  return {
    id: row.id,
    title: row.title,
    severity: row.severity,
    status: row.status,
    metricId: row.metricId,
    scopeKey: row.scopeKey,
    value: num(row.value),
    threshold: num(row.threshold),
    currency: typeof d.currency === 'string' ? d.currency : null,
    details: d,
    openedAt: row.openedAt,
    acknowledgedByName: row.acknowledgedByName,
    acknowledgedAt: row.acknowledgedAt,
    ackCause: row.ackCause,
    ackNote: row.ackNote,
    snoozedUntil: row.snoozedUntil,
    resolvedAt: row.resolvedAt,
    assigneeName,
    items: asItems(d.items),
    mentions: Array.isArray(d.mentions) ? d.mentions.filter((m): m is string => typeof m === 'string') : [],
    ...(d.trial ? { trial: true } : {}),
    ...(typeof d.timeZone === 'string' ? { timeZone: d.timeZone } : {}),
  };
}
