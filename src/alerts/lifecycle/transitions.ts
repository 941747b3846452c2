/**
 * The people-driven transitions (ARCHITECTURE.md "Decisions → Alerts"): ack, snooze, assign.
 * State is read first so a late click hears "already acknowledged by X at T" (or that the alert
 * resolved) before any permission check; the change itself is a conditional UPDATE
 * (`status in ('open', 'snoozed')`), so of two simultaneous clicks on two platforms exactly one
 * row is written and the loser is told who won. Card updates of every copy are queued in the
 * same transaction.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alerts, type AckCause } from '../../db/schema/index.ts';
import { refreshAlertCards, type Tx } from './cards.ts';

export type AlertRow = typeof alerts.$inferSelect;

export interface Actor {
  /** User id, or `<platform>:<platform user id>` for someone never enrolled. */
  id: string;
  name: string;
}

export type Blocked =
  | { kind: 'not_found' }
  | { kind: 'already'; byName: string; at: Date }
  | { kind: 'resolved'; at: Date | null }
  | { kind: 'denied' };

export type Outcome = { kind: 'done'; alert: AlertRow; copies: number } | Blocked;

export interface TransitionDeps {
  database: Database;
  wakeOutbox?: () => void;
}

/** Who may act on this alert, decided after the state checks. */
export type MayAct = (alert: AlertRow, tx: Tx) => boolean | Promise<boolean>;

async function current(tx: Tx, workspaceId: string, alertId: number): Promise<AlertRow | undefined> {
  const [row] = await tx.select().from(alerts).where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, alertId))).limit(1);
  return row;
}

function blockedBy(row: AlertRow | undefined): Blocked | undefined {
  if (!row) return { kind: 'not_found' };
  if (row.status === 'acknowledged') return { kind: 'already', byName: row.acknowledgedByName ?? row.acknowledgedBy ?? '?', at: row.acknowledgedAt ?? row.updatedAt };
  if (row.status === 'resolved') return { kind: 'resolved', at: row.resolvedAt };
  return undefined;
}

async function run(deps: TransitionDeps, work: (tx: Tx) => Promise<Outcome>): Promise<Outcome> {
  const out = await deps.database.db.transaction(work);
  if (out.kind === 'done') deps.wakeOutbox?.();
  return out;
}

type LiveSet = Partial<Pick<typeof alerts.$inferInsert, 'status' | 'acknowledgedAt' | 'acknowledgedBy' | 'acknowledgedByName' | 'ackCause' | 'ackNote' | 'snoozedUntil' | 'updatedAt'>>;

/** A change of a live (open or snoozed) alert, decided by one conditional UPDATE. */
function changeLive(deps: TransitionDeps, input: { workspaceId: string; alertId: number; mayAct: MayAct }, set: LiveSet): Promise<Outcome> {
  return run(deps, async (tx) => {
    const before = await current(tx, input.workspaceId, input.alertId);
    const blocked = blockedBy(before);
    if (blocked) return blocked;
    if (!(await input.mayAct(before!, tx))) return { kind: 'denied' };
    const [won] = await tx
      .update(alerts)
      .set(set)
      .where(and(eq(alerts.workspaceId, input.workspaceId), eq(alerts.id, input.alertId), inArray(alerts.status, ['open', 'snoozed'])))
      .returning();
    // Lost the race: another click committed between our read and our update.
    if (!won) return blockedBy(await current(tx, input.workspaceId, input.alertId)) ?? { kind: 'not_found' };
    const copies = await refreshAlertCards(tx, input.workspaceId, input.alertId, won.assigneeUserId);
    return { kind: 'done', alert: won, copies };
  });
}

/** Open or snoozed → acknowledged, once. */
export function ackAlert(
  deps: TransitionDeps,
  input: { workspaceId: string; alertId: number; actor: Actor; cause?: AckCause; note?: string; now: Date; mayAct: MayAct },
): Promise<Outcome> {
  return changeLive(deps, input, {
    status: 'acknowledged',
    acknowledgedAt: input.now,
    acknowledgedBy: input.actor.id,
    acknowledgedByName: input.actor.name,
    ackCause: input.cause ?? null,
    ackNote: input.note ?? null,
    snoozedUntil: null,
    updatedAt: input.now,
  });
}

/** Open or snoozed → snoozed until `until`; the sweep reopens it then. */
export function snoozeAlert(deps: TransitionDeps, input: { workspaceId: string; alertId: number; until: Date; now: Date; mayAct: MayAct }): Promise<Outcome> {
  return changeLive(deps, input, { status: 'snoozed', snoozedUntil: input.until, updatedAt: input.now });
}

/** Sets who is on it; allowed until the alert resolves (an acked alert may still change hands). */
export function assignAlert(
  deps: TransitionDeps,
  input: { workspaceId: string; alertId: number; assigneeUserId: string; now: Date; mayAct: MayAct },
): Promise<Outcome> {
  return run(deps, async (tx) => {
    const before = await current(tx, input.workspaceId, input.alertId);
    if (!before) return { kind: 'not_found' };
    if (before.status === 'resolved') return { kind: 'resolved', at: before.resolvedAt };
    if (!(await input.mayAct(before, tx))) return { kind: 'denied' };
    const [row] = await tx
      .update(alerts)
      .set({ assigneeUserId: input.assigneeUserId, assignedAt: input.now, updatedAt: input.now })
      .where(and(eq(alerts.workspaceId, input.workspaceId), eq(alerts.id, input.alertId), inArray(alerts.status, ['open', 'snoozed', 'acknowledged'])))
      .returning();
    if (!row) return blockedBy(await current(tx, input.workspaceId, input.alertId)) ?? { kind: 'not_found' };
    const copies = await refreshAlertCards(tx, input.workspaceId, input.alertId, row.assigneeUserId);
    return { kind: 'done', alert: row, copies };
  });
}
