/**
 * Digests leave through the outbox, never by a direct send (ARCHITECTURE.md "Outbound"): chart
 * PNGs are stored first so the card's wire form carries URLs any replica can serve, demo
 * workspaces get their "demo data" note, and the delivery carries an idempotency key per
 * (subscription, slot), so a slot that somehow ran twice still inserts one row.
 */
import { toWire, type Card, type WireMessage } from '../bot/card.ts';
import type { ConversationRef } from '../bot/events.ts';
import { imageUrl, storeCardImages } from '../bot/images.ts';
import type { Locale } from '../bot/language.ts';
import { enqueueDelivery, PRIORITY } from '../bot/outbox/enqueue.ts';
import { withDemoNote } from '../bot/reply.ts';
import type { Database } from '../db/client.ts';

export interface DeliverInput {
  workspace: { id: string; isDemo: boolean };
  target: ConversationRef;
  locale: Locale;
  card: Card;
  /** What caused it, e.g. (`digest`, `daily:12`); lets every copy be found later. */
  source: { type: string; id: string };
  idempotencyKey?: string;
}

/** The card as it goes on the wire (images stored, demo note added), without sending it. */
export async function wireCard(database: Database, publicUrl: string, input: Pick<DeliverInput, 'workspace' | 'locale' | 'card'>): Promise<WireMessage> {
  const base = { kind: 'card' as const, card: input.card };
  const decorated = input.workspace.isDemo ? withDemoNote(base, input.locale) : base;
  const stored = await storeCardImages(database, decorated, input.workspace.id);
  return toWire(stored, (id) => imageUrl(publicUrl, id));
}

/** Queues the card; the delivery id is null when the idempotency key was used already. */
export async function deliverCard(database: Database, publicUrl: string, input: DeliverInput): Promise<{ deliveryId: number | null; message: WireMessage }> {
  const message = await wireCard(database, publicUrl, input);
  try {
    const deliveryId = await enqueueDelivery(database.db, {
      workspaceId: input.workspace.id,
      target: input.target,
      message,
      priority: PRIORITY.digest,
      source: input.source,
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    });
    return { deliveryId, message };
  } catch (err) {
    // The unique (platform, idempotency_key) index: this slot's card is queued already.
    if (input.idempotencyKey && /deliveries_idempotency|duplicate key/i.test(String((err as { cause?: unknown }).cause ?? err))) return { deliveryId: null, message };
    throw err;
  }
}
