/**
 * Usage events for the admins' `usage` report: who queried, acknowledged alerts and read digests.
 * Only who, when, what kind and where are stored, never message content. Other features call
 * `recordUsage` once per handled command or click; it never throws into a handler.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { UsageKind } from '../db/schema/index.ts';

export type { UsageKind };

export interface UsageInput {
  workspaceId: string;
  /** Enrolled user id, or `<platform>:<platform user id>` for someone never enrolled. */
  userId: string;
  kind: UsageKind;
  platform: string;
  at?: Date;
}

/** Best effort: a lost usage row must never turn into a failed answer. */
export async function recordUsage(database: Database, e: UsageInput): Promise<void> {
  try {
    await database.query(sql`insert into usage_events (workspace_id, user_id, kind, platform, at)
      values (${e.workspaceId}, ${e.userId.slice(0, 200)}, ${e.kind}, ${e.platform}, ${(e.at ?? new Date()).toISOString()}::timestamptz)`);
  } catch {
    // Swallowed on purpose (see above); the handler's own work has already happened.
  }
}

export interface UsageLine {
  userId: string;
  displayName: string;
  queries: number;
  acks: number;
  digestReads: number;
  commands: number;
  lastAt: string;
}

export interface UsageReport {
  since: string;
  lines: UsageLine[];
  /** Enrolled, active people with no event in the window. */
  silent: { userId: string; displayName: string }[];
}

/** The last `days` days (default 30), busiest people first. */
export async function usageReport(database: Database, workspaceId: string, opts: { days?: number; now?: Date } = {}): Promise<UsageReport> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - (opts.days ?? 30) * 86_400_000);
  const rows = await database.query<{ user_id: string; display_name: string | null; q: number; a: number; d: number; c: number; last_at: string }>(sql`
    select e.user_id, u.display_name,
      count(*) filter (where e.kind = 'query') as q, count(*) filter (where e.kind = 'ack') as a,
      count(*) filter (where e.kind = 'digest_read') as d, count(*) filter (where e.kind = 'command') as c,
      to_char(max(e.at) at time zone 'UTC', 'YYYY-MM-DD') as last_at
    from usage_events e left join users u on u.workspace_id = e.workspace_id and u.id = e.user_id
    where e.workspace_id = ${workspaceId} and e.at >= ${since.toISOString()}::timestamptz and e.at <= ${now.toISOString()}::timestamptz
    group by e.user_id, u.display_name order by count(*) desc, e.user_id`);
  const silent = await database.query<{ id: string; display_name: string }>(sql`
    select u.id, u.display_name from users u where u.workspace_id = ${workspaceId} and u.active
      and not exists (select 1 from usage_events e where e.workspace_id = u.workspace_id and e.user_id = u.id
                      and e.at >= ${since.toISOString()}::timestamptz and e.at <= ${now.toISOString()}::timestamptz)
    order by u.id`);
  return {
    since: since.toISOString().slice(0, 10),
    lines: rows.map((r) => ({
      userId: r.user_id,
      displayName: r.display_name ?? r.user_id,
      queries: r.q,
      acks: r.a,
      digestReads: r.d,
      commands: r.c,
      lastAt: r.last_at,
    })),
    silent: silent.map((s) => ({ userId: s.id, displayName: s.display_name })),
  };
}
