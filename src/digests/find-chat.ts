/**
 * A chat by the id people type (`amazon-us`, `C0123`, the console's `@bob`), for the CLI and the
 * REST route. An id two platforms share needs the platform named.
 */
import { sql } from 'drizzle-orm';
import type { Platform } from '../bot/events.ts';
import type { Database } from '../db/client.ts';
import { AppError } from '../errors.ts';

export interface FoundChat {
  platform: Platform;
  tenantKey: string;
  chatId: string;
  teamId: string | null;
}

export async function findChat(database: Database, workspaceId: string, chatId: string, platform?: Platform): Promise<FoundChat | undefined> {
  const rows = await database.query<{ platform: Platform; tenant_key: string; team_id: string | null }>(sql`
    select platform, tenant_key, team_id from chats where workspace_id = ${workspaceId} and chat_id = ${chatId}
      ${platform ? sql`and platform = ${platform}` : sql``} order by platform`);
  if (rows.length > 1) throw new AppError('invalid_argument', `chat "${chatId}" exists on ${rows.map((r) => r.platform).join(' and ')}: pass the platform`, { field: 'platform' });
  const row = rows[0];
  if (row) return { platform: row.platform, tenantKey: row.tenant_key, chatId, teamId: row.team_id };
  // A console DM (`@bob`) the bot has not seen yet still has an address: that person's brief.
  if (chatId.startsWith('@') && (!platform || platform === 'console')) return { platform: 'console', tenantKey: 'console', chatId, teamId: null };
  return undefined;
}
