/**
 * Teams, users, roles, chat identities and chats: who is asking, and where (glossary §2.1, §3.8).
 * Ids are the workspace's own short keys (`amazon-us`, `carol`), unique per workspace.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, tstz, workspaceId } from './columns.ts';

/** Working hours of a team, in the team's timezone; `days` are ISO weekdays (1 = Monday). */
export interface WorkingHours {
  days: number[];
  start: string;
  end: string;
}

export const teams = pgTable(
  'teams',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** Parent in the company tree; null at the top. */
    parentTeamId: text('parent_team_id'),
    /** IANA zone for digests and schedules; null → the workspace's. */
    timezone: text('timezone'),
    workingHours: jsonb('working_hours').$type<WorkingHours>(),
    /** Which `season_calendar` holidays apply (a marketplace code such as `CN`), null → workspace default. */
    holidayCalendar: text('holiday_calendar'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.parentTeamId], foreignColumns: [t.workspaceId, t.id] }),
  ],
);

/** Enrolled people. Someone who only ever chats with the bot has a chat identity and no user row. */
export const users = pgTable(
  'users',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    displayName: text('display_name').notNull(),
    nameEn: text('name_en'),
    teamId: text('team_id'),
    /** 岗位 (运营, 投手, 客服, 内容, 店长, 采购): picks the score template; not a permission. */
    position: text('position'),
    timezone: text('timezone'),
    locale: text('locale'),
    email: text('email'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
  ],
);

/**
 * Permission roles with their scope. `manager` carries the team whose subtree it manages; the
 * other roles carry no team. `member` is never stored: it is what a person without a row is.
 */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    userId: text('user_id').notNull(),
    role: text('role').$type<'admin' | 'manager' | 'operator' | 'finance'>().notNull(),
    teamId: text('team_id'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId, t.userId], foreignColumns: [users.workspaceId, users.id] }).onDelete('cascade'),
    uniqueIndex('role_assignments_unique').on(t.workspaceId, t.userId, t.role, sql`coalesce(${t.teamId}, '')`),
  ],
);

/** A person as a chat platform knows them, linked to a user once enrolled. */
export const chatIdentities = pgTable(
  'chat_identities',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    platformUserId: text('platform_user_id').notNull(),
    workspaceId: workspaceId(),
    userId: text('user_id'),
    /** Feishu union_id / DingTalk unionId: the same person across apps of one tenant. */
    unionId: text('union_id'),
    displayName: text('display_name'),
    /** Slack guest or Connect user, Feishu user of another tenant, DingTalk external contact. */
    isExternal: boolean('is_external').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.tenantKey, t.platformUserId] }),
    index('chat_identities_user').on(t.workspaceId, t.userId),
  ],
);

/** A chat (group or DM) the bot is in, and the team it is bound to. */
export const chats = pgTable(
  'chats',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    chatId: text('chat_id').notNull(),
    workspaceId: workspaceId(),
    kind: text('kind').$type<'group' | 'direct'>().notNull(),
    /** Bound team: answers in the group are at operator level within this team's scope. */
    teamId: text('team_id'),
    title: text('title'),
    /** `lang zh|en` set in this chat; null → workspace default. */
    locale: text('locale'),
    timezone: text('timezone'),
    /** Whether the bot is currently a member (bot_added / bot_removed). */
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.tenantKey, t.chatId] }),
    index('chats_workspace_team').on(t.workspaceId, t.teamId),
  ],
);

/** REST bearer tokens made by `kpibot token create`; only the SHA-256 of the secret is kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    role: text('role').$type<'admin' | 'manager' | 'operator' | 'finance'>().notNull(),
    teamId: text('team_id'),
    /** The user the token acts as, when it acts as one (operator tokens need owned scopes). */
    userId: text('user_id'),
    name: text('name'),
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('api_tokens_workspace').on(t.workspaceId)],
);

/**
 * Append-only audit trail (who, when, before/after, reason). Not tied to a workspace by foreign
 * key, so the record of a deleted workspace survives; a trigger refuses UPDATE (see drizzle/).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: text('workspace_id'),
    at: tstz('at').notNull().defaultNow(),
    actorKind: text('actor_kind').$type<'user' | 'api_token' | 'admin_token' | 'cli' | 'system'>().notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
  },
  (t) => [
    index('audit_log_workspace_at').on(t.workspaceId, t.at),
    index('audit_log_entity').on(t.workspaceId, t.entity, t.entityId),
  ],
);
