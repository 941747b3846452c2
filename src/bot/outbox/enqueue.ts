/**
 * Writing to the outbox. Pushes and card updates are inserted in the transaction of the state
 * change that caused them (pass `tx`), so an alert that is committed always gets its cards and a
 * rolled-back one never does. Interactive replies that already went out are recorded as `sent`.
 */
import type { Db } from '../../db/client.ts';
import { deliveries } from '../../db/schema/index.ts';
import type { ConversationRef, MessageRef, Platform } from '../events.ts';
import type { WireMessage } from '../card.ts';

/** Lower runs first. */
export const PRIORITY = { critical: 0, alert: 10, digest: 50, notice: 90 } as const;

/** `db` or a transaction; only `insert` is used. */
type Writer = Pick<Db, 'insert'>;

export interface EnqueueInput {
  workspaceId: string;
  target: ConversationRef;
  message: WireMessage;
  kind?: 'push' | 'update';
  /** For updates: the delivery whose message is replaced. */
  updateOf?: number;
  priority?: number;
  idempotencyKey?: string;
  source?: { type: string; id: string };
  /** Earliest send time (e.g. after quiet hours). */
  notBefore?: Date;
}

function row(input: EnqueueInput) {
  return {
    workspaceId: input.workspaceId,
    platform: input.target.platform,
    kind: input.kind ?? 'push',
    target: input.target,
    payload: input.message,
    updateOf: input.updateOf ?? null,
    priority: input.priority ?? PRIORITY.notice,
    idempotencyKey: input.idempotencyKey ?? null,
    sourceType: input.source?.type ?? null,
    sourceId: input.source?.id ?? null,
    ...(input.notBefore ? { nextAttemptAt: input.notBefore } : {}),
  };
}

export async function enqueueDelivery(db: Writer, input: EnqueueInput): Promise<number> {
  const [inserted] = await db.insert(deliveries).values(row(input)).returning({ id: deliveries.id });
  return inserted!.id;
}

/** Rows per INSERT statement of `enqueueDeliveries` (well under Postgres' 65,535 parameters). */
const ROWS_PER_STATEMENT = 500;

/**
 * A fan-out (one card to many chats) in a few multi-row INSERTs instead of one round trip per
 * chat; ids in input order. Like `enqueueDelivery`, pass the transaction of the causing change.
 */
export async function enqueueDeliveries(db: Writer, inputs: EnqueueInput[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < inputs.length; i += ROWS_PER_STATEMENT) {
    const chunk = await db.insert(deliveries).values(inputs.slice(i, i + ROWS_PER_STATEMENT).map(row)).returning({ id: deliveries.id });
    ids.push(...chunk.map((r) => r.id));
  }
  return ids;
}

/** Records a direct reply that was already sent, so later updates can find its message. */
export async function recordSentReply(
  db: Writer,
  input: { workspaceId: string; platform: Platform; target: ConversationRef; message: WireMessage; ref: MessageRef },
): Promise<number> {
  const [row] = await db
    .insert(deliveries)
    .values({
      workspaceId: input.workspaceId,
      platform: input.platform,
      kind: 'reply',
      target: input.target,
      payload: input.message,
      messageRef: input.ref,
      state: 'sent',
      attempts: 1,
      sentAt: new Date(),
    })
    .returning({ id: deliveries.id });
  return row!.id;
}
