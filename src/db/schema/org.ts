/**
 * Organisation bookkeeping (issue #24): how the company directory of each chat platform maps onto
 * teams and users, and the usage events behind the admins' `usage` report. The directory tables
 * are keyed on the platform's stable cross-app id (Feishu union_id, DingTalk unionId), never on the
 * app-scoped id, so re-creating an app or adding a second platform does not create new people.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz, updatedAt, workspaceId } from './columns.ts';

/** A department of a platform directory and the team it became (or was matched to). */
export const directoryDepartments = pgTable(
  'directory_departments',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    departmentId: text('department_id').notNull(),
    workspaceId: workspaceId(),
    teamId: text('team_id').notNull(),
    parentDepartmentId: text('parent_department_id'),
    name: text('name').notNull(),
    /** `sync_runs.id` of the last run that listed it. */
    lastSeenRun: bigint('last_seen_run', { mode: 'number' }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.tenantKey, t.departmentId] })],
);

/**
 * A person of a platform directory, linked to one user. One user may have a row per platform; a
 * new platform's person joins an existing user by email or mobile. The mobile number is kept only
 * as a SHA-256 of its digits: enough to match, nothing to leak.
 */
export const directoryPeople = pgTable(
  'directory_people',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    unionId: text('union_id').notNull(),
    workspaceId: workspaceId(),
    userId: text('user_id').notNull(),
    /** The app-scoped id chat events carry (Feishu open_id, DingTalk userid), for the chat identity. */
    platformUserId: text('platform_user_id'),
    email: text('email'),
    mobileHash: text('mobile_hash'),
    departmentId: text('department_id'),
    isLeader: boolean('is_leader').notNull().default(false),
    /** False once the person is no longer listed (or listed as resigned). Rows are never deleted. */
    active: boolean('active').notNull().default(true),
    lastSeenRun: bigint('last_seen_run', { mode: 'number' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.tenantKey, t.unionId] }),
    index('directory_people_user').on(t.workspaceId, t.userId),
    index('directory_people_email').on(t.workspaceId, sql`lower(${t.email})`),
    index('directory_people_mobile').on(t.workspaceId, t.mobileHash),
  ],
);

export type UsageKind = 'query' | 'ack' | 'digest_read' | 'command';

/**
 * One use of the bot, for the admins' `usage` report: who, when, what kind, on which platform.
 * No message content is stored, on purpose.
 */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    /** Enrolled user id, or `<platform>:<platform user id>` for someone never enrolled. */
    userId: text('user_id').notNull(),
    kind: text('kind').$type<UsageKind>().notNull(),
    platform: text('platform').notNull(),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('usage_events_workspace_at').on(t.workspaceId, t.at)],
);
