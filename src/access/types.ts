/**
 * The vocabulary of the permission core (glossary §3.8, ARCHITECTURE.md "Tenancy, roles and who
 * sees what"). Chat and REST both resolve a `Principal` and ask `authorize` the same question.
 */

/** Permission roles. `member` is everyone of a bound tenant who was never enrolled. */
export type Role = 'admin' | 'manager' | 'operator' | 'finance' | 'member';
export const ENROLLED_ROLES = ['admin', 'manager', 'operator', 'finance'] as const;
export type EnrolledRole = (typeof ENROLLED_ROLES)[number];

/**
 * What a metric reveals, for the roles table: `sales` (gmv, orders, traffic, conversion, ad
 * efficiency, inventory, service) is member-level; `margin` and `profit` need operator or above;
 * `cost` (cogs, fees) is hidden from operators by default; `score` follows its own rules.
 */
export type MetricClass = 'sales' | 'margin' | 'profit' | 'cost' | 'score';

/** Where data may be read or changed. `all` covers the whole workspace. */
export type DataScope =
  | { all: true }
  | { all: false; teamIds: readonly string[]; storeIds: readonly string[]; skuIds: readonly string[] };

export type PrincipalKind =
  | 'user' // a chat identity linked to an enrolled user, or a chat member never enrolled
  | 'group' // the least-privilege stand-in for everyone in a group chat
  | 'api_token'
  | 'admin_token' // API_TOKEN: admin of every workspace
  | 'loopback' // no API_TOKEN set, request from this machine: admin of the default workspace
  | 'cli'
  | 'system'
  | 'external'; // guests, Connect users, other tenants: refused politely, no data

export interface Principal {
  kind: PrincipalKind;
  workspaceId: string;
  role: Role;
  userId?: string;
  displayName?: string;
  scope: DataScope;
  /** Workspace `member_access`: `none` limits members to help. */
  memberAccess: 'sales' | 'none';
  /** Operators: margins and profit yes by default, cogs and fees no (glossary §3.8). */
  operatorSeesMargins: boolean;
  operatorSeesCogs: boolean;
}

export type Action =
  | 'help'
  | 'metric.read'
  | 'score.read'
  | 'score.rank'
  | 'goal.read'
  | 'goal.write'
  | 'goal.approve'
  | 'adjustment.request'
  | 'alert.ack'
  | 'alert.rule.write'
  | 'data.import'
  | 'data.export'
  | 'org.view'
  | 'org.manage'
  | 'formula.edit'
  | 'audit.read'
  | 'workspace.admin';

/** What an action is about. Callers fill what they know; missing fields never widen access. */
export interface Resource {
  workspaceId?: string;
  teamId?: string;
  storeId?: string;
  skuId?: string;
  /** The owner of a goal, or the person a score belongs to. */
  ownerUserId?: string;
  metricClass?: MetricClass;
  dataset?: string;
}

export type DenyCode = 'external' | 'wrong_workspace' | 'forbidden' | 'out_of_scope' | 'member_access_none';
export type Decision = { ok: true } | { ok: false; code: DenyCode; reason: string };
