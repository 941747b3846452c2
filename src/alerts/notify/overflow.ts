/**
 * Alert cards a chat did not get because of its daily cap (send.ts), for the chat's next digest:
 * still-live alerts overflowed in the last two days, newest first. Read-only, so previewing a
 * digest never changes what the real one shows.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

export interface OverflowedAlert {
  id: number;
  title: string;
  severity: string;
}

export const OVERFLOW_LOOKBACK_MS = 2 * 86_400_000;

export async function overflowedAlerts(database: Database, workspaceId: string, chat: { platform: string; tenantKey?: string; chatId: string }, now: Date, limit = 5): Promise<OverflowedAlert[]> {
  const since = new Date(now.getTime() - OVERFLOW_LOOKBACK_MS);
  return database.query<OverflowedAlert & Record<string, unknown>>(sql`
    select distinct on (a.id) a.id, a.title, a.severity from alert_sends s join alerts a on a.id = s.alert_id
    where s.workspace_id = ${workspaceId} and s.platform = ${chat.platform} and s.chat_id = ${chat.chatId}
      and (${chat.tenantKey ?? null}::text is null or s.tenant_key = ${chat.tenantKey ?? null})
      and s.status = 'overflow' and s.created_at >= ${since.toISOString()}::timestamptz and a.status in ('open', 'snoozed')
    order by a.id desc limit ${limit}`);
}
