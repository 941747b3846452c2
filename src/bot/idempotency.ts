/**
 * Dedup in Postgres, so retries and double clicks are dropped on every replica: inbound events
 * by platform event id, button clicks by `platform:message:user:action` (first click wins).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { InboundEvent } from './events.ts';

/** True the first time this event id is seen. */
export async function firstDelivery(database: Database, e: InboundEvent): Promise<boolean> {
  const rows = await database.query(sql`insert into inbound_dedup (platform, event_id) values (${e.platform}, ${e.eventId})
    on conflict do nothing returning event_id`);
  return rows.length === 1;
}

export function actionKey(e: Extract<InboundEvent, { kind: 'action' }>): string {
  return `${e.platform}:${e.message.messageId}:${e.user.id}:${e.actionId}`;
}

/** True the first time this person clicks this button on this message. */
export async function firstClick(database: Database, e: Extract<InboundEvent, { kind: 'action' }>): Promise<boolean> {
  const rows = await database.query(sql`insert into action_dedup (key) values (${actionKey(e)})
    on conflict do nothing returning key`);
  return rows.length === 1;
}
