/**
 * Records the buttons of the insight cards: "已处理 / Done" on an ad tag and "已下单 / Ordered" on a
 * reorder line. One row per (workspace, kind, object, tag, day); a second click the same day
 * changes nothing and says who clicked first.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { InsightActionKind } from '../../db/schema/index.ts';

export interface InsightAction {
  workspaceId: string;
  kind: InsightActionKind;
  objectKey: string;
  tag: string;
  action: 'done' | 'ordered';
  day: string;
  quantity?: number | null;
  userId?: string | null;
  actorLabel: string;
}

/** Inserts the action unless one exists for the same object, tag and day; returns who holds it. */
export async function recordInsightAction(database: Database, a: InsightAction): Promise<{ created: boolean; by: string }> {
  const inserted = await database.query<{ actor_label: string }>(sql`
    insert into insight_actions (workspace_id, kind, object_key, tag, action, day, quantity, user_id, actor_label)
    values (${a.workspaceId}, ${a.kind}, ${a.objectKey}, ${a.tag}, ${a.action}, ${a.day}::date, ${a.quantity ?? null}, ${a.userId ?? null}, ${a.actorLabel})
    on conflict (workspace_id, kind, object_key, tag, day) do nothing
    returning actor_label`);
  if (inserted.length) return { created: true, by: inserted[0]!.actor_label };
  const [row] = await database.query<{ actor_label: string }>(sql`
    select actor_label from insight_actions where workspace_id = ${a.workspaceId} and kind = ${a.kind}
      and object_key = ${a.objectKey} and tag = ${a.tag} and day = ${a.day}::date`);
  return { created: false, by: row?.actor_label ?? a.actorLabel };
}
