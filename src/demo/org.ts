/**
 * The demo company: workspace, teams, people, roles, ownership and the console chats that show
 * it (ARCHITECTURE.md "Demo workspace", "Console"). Fixed names are part of the external
 * contract; the extra operators (frank, grace…) only make the org chart believable.
 */

/** The demo's workspace id; real workspaces never use it for demo rows. */
export const DEMO_WORKSPACE_ID = 'demo';
export const DEMO_WORKSPACE_NAME = '演示 Demo';
/** Seed used when none is given (`seed-demo` without `--seed`, start-up seeding). */
export const DEFAULT_DEMO_SEED = 1111;
/** The demo team works from Shenzhen: its activity is generated in this zone. */
export const TEAM_TIMEZONE = 'Asia/Shanghai';
/** Ownership and role history start here, before any demo window. */
export const ORG_SINCE = '2023-01-01';

/** A demo team (company tree root plus the three fixed teams). */
export interface DemoTeam {
  id: string;
  name: string;
  nameEn: string;
  parent: string | null;
  managerId: string | null;
}

export const TEAMS: DemoTeam[] = [
  { id: 'company', name: '联星出海', nameEn: 'LinkStar Global', parent: null, managerId: 'alice' },
  { id: 'amazon-us', name: '亚马逊美国', nameEn: 'Amazon US', parent: 'company', managerId: 'bob' },
  { id: 'amazon-eu', name: '亚马逊欧洲', nameEn: 'Amazon EU & JP', parent: 'company', managerId: 'leo' },
  { id: 'asia-social', name: '东南亚社媒', nameEn: 'SEA & Social', parent: 'company', managerId: 'erin' },
];

/** Permission roles a demo person holds (`member` is never stored). */
export type DemoRole = 'admin' | 'manager' | 'operator' | 'finance';

/** A demo person: permission role (and a manager's team) separate from position (岗位, §2.1). */
export interface DemoUser {
  id: string;
  name: string;
  nameEn: string;
  team: string;
  role: DemoRole;
  position: string | null;
  /** Stores (or `campaign:<id>`) this person owns, effective from ORG_SINCE. */
  owns: string[];
}

export const USERS: DemoUser[] = [
  { id: 'alice', name: '王丽', nameEn: 'Alice Wang', team: 'company', role: 'admin', position: null, owns: [] },
  { id: 'bob', name: '李强', nameEn: 'Bob Li', team: 'amazon-us', role: 'manager', position: '店长', owns: [] },
  { id: 'carol', name: '陈晨', nameEn: 'Carol Chen', team: 'amazon-us', role: 'operator', position: '运营', owns: ['us-main'] },
  { id: 'dave', name: '赵伟', nameEn: 'Dave Zhao', team: 'company', role: 'finance', position: '财务', owns: [] },
  { id: 'erin', name: '刘芳', nameEn: 'Erin Liu', team: 'asia-social', role: 'manager', position: '店长', owns: [] },
  { id: 'frank', name: '周凯', nameEn: 'Frank Zhou', team: 'amazon-us', role: 'operator', position: '运营', owns: ['us-outlet', 'walmart-us', 'shopify-dtc'] },
  { id: 'grace', name: '孙悦', nameEn: 'Grace Sun', team: 'amazon-eu', role: 'operator', position: '运营', owns: ['de-main', 'jp-main'] },
  { id: 'henry', name: '吴昊', nameEn: 'Henry Wu', team: 'amazon-us', role: 'operator', position: '投手', owns: ['campaign:us-main-sp-auto', 'campaign:us-main-sp-exact'] },
  { id: 'ivy', name: '郑琳', nameEn: 'Ivy Zheng', team: 'asia-social', role: 'operator', position: '运营', owns: ['shopee-sg', 'shopee-my', 'lazada-my'] },
  { id: 'jack', name: '黄俊', nameEn: 'Jack Huang', team: 'asia-social', role: 'operator', position: '内容', owns: ['tiktok-us'] },
  { id: 'kate', name: '何静', nameEn: 'Kate He', team: 'amazon-us', role: 'operator', position: '客服', owns: [] },
  { id: 'leo', name: '马骁', nameEn: 'Leo Ma', team: 'amazon-eu', role: 'manager', position: '店长', owns: [] },
];

/** Marketplaces (sites) of the demo stores, with the defaults a new store there would get. */
export const MARKETPLACES = [
  { code: 'US', name: '美国站', nameEn: 'United States', region: '北美', tz: 'America/Los_Angeles', ccy: 'USD' },
  { code: 'DE', name: '德国站', nameEn: 'Germany', region: '欧洲', tz: 'Europe/Berlin', ccy: 'EUR' },
  { code: 'JP', name: '日本站', nameEn: 'Japan', region: '亚太', tz: 'Asia/Tokyo', ccy: 'JPY' },
  { code: 'SG', name: '新加坡站', nameEn: 'Singapore', region: '东南亚', tz: 'Asia/Singapore', ccy: 'SGD' },
  { code: 'MY', name: '马来西亚站', nameEn: 'Malaysia', region: '东南亚', tz: 'Asia/Kuala_Lumpur', ccy: 'MYR' },
] as const;

/** Console groups: `general` is unbound (member level), the others are bound to their team. */
export const CONSOLE_CHATS = [
  { id: 'general', team: null, title: '综合群 General' },
  { id: 'amazon-us', team: 'amazon-us', title: '亚马逊美国' },
  { id: 'amazon-eu', team: 'amazon-eu', title: '亚马逊欧洲' },
  { id: 'asia-social', team: 'asia-social', title: '东南亚社媒' },
] as const;

type Row = Record<string, unknown>;

/** Rows of the organisation tables, keyed by table name. */
export function orgRows(ws: string): Record<string, Row[]> {
  const workingHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:30' };
  return {
    marketplaces: MARKETPLACES.map((m) => ({
      workspace_id: ws, code: m.code, name: m.name, name_en: m.nameEn, region: m.region, default_timezone: m.tz, currency: m.ccy,
    })),
    teams: TEAMS.map((t) => ({
      workspace_id: ws, id: t.id, name: t.name, name_en: t.nameEn, parent_team_id: t.parent,
      working_hours: workingHours, holiday_calendar: 'CN',
    })),
    users: USERS.map((u) => ({
      workspace_id: ws, id: u.id, display_name: u.name, name_en: u.nameEn, team_id: u.team, position: u.position,
      timezone: TEAM_TIMEZONE, locale: 'zh-CN', email: `${u.id}@linkstar.example`,
    })),
    role_assignments: USERS.map((u) => ({
      workspace_id: ws, user_id: u.id, role: u.role, team_id: u.role === 'manager' ? u.team : null,
    })),
    ownership: USERS.flatMap((u) =>
      u.owns.map((scope) => {
        const [type, id] = scope.includes(':') ? scope.split(':') : ['store', scope];
        return { workspace_id: ws, scope_type: type, scope_id: id, user_id: u.id, share: '1', valid_from: ORG_SINCE, created_by: 'alice' };
      }),
    ),
    platform_tenants: [{ platform: 'console', tenant_key: 'console', workspace_id: ws, name: 'Console', bound_by: 'auto' }],
    chats: CONSOLE_CHATS.map((c) => ({
      platform: 'console', tenant_key: 'console', chat_id: c.id, workspace_id: ws, kind: 'group', team_id: c.team, title: c.title,
    })),
    chat_identities: USERS.map((u) => ({
      platform: 'console', tenant_key: 'console', platform_user_id: u.id, workspace_id: ws, user_id: u.id, display_name: u.name,
    })),
    // Demo digests go to the console's team groups only; real chats subscribe on purpose.
    subscriptions: CONSOLE_CHATS.filter((c) => c.team).map((c) => ({
      workspace_id: ws, platform: 'console', tenant_key: 'console', chat_id: c.id, kind: 'daily', time: '09:00', created_by: 'alice',
    })),
  };
}

/** The owner of a store (exactly one per demo store). */
export function storeOwner(storeId: string): string {
  const u = USERS.find((x) => x.owns.includes(storeId));
  if (!u) throw new Error(`demo store ${storeId} has no owner`);
  return u.id;
}
