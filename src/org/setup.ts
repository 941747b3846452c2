/**
 * The `setup` checklist: what is done and what is missing for a workspace to run by itself, each
 * missing item with the command that fixes it. Read-only; every check is one query on the live
 * tables, so the list reflects reality the moment it is asked (demo and empty workspaces alike).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Bilingual } from '../bot/language.ts';
import { addDays, localDate } from '../kpi/dates.ts';

export type SetupItemId = 'platform' | 'groups' | 'owners' | 'data' | 'goals' | 'digest';

export interface SetupItem {
  id: SetupItemId;
  done: boolean;
  title: Bilingual;
  detail: Bilingual;
  /** The command that fixes it (chat unless it starts with `kpibot`); absent when done. */
  fix?: string;
}

const both = (en: string, zh: string): Bilingual => ({ en, 'zh-CN': zh });
const list = (xs: string[], max = 6) => (xs.length > max ? `${xs.slice(0, max).join(', ')} +${xs.length - max}` : xs.join(', '));

/** Data by 10:00 local: before then yesterday may still be arriving (ARCHITECTURE.md "Datasets"). */
export function lastDayDue(timezone: string, now: Date): string {
  return addDays(localDate(timezone, new Date(now.getTime() - 10 * 3_600_000)), -1);
}

async function platformItem(database: Database, ws: string): Promise<SetupItem> {
  const rows = await database.query<{ platform: string }>(sql`
    select distinct platform from platform_tenants where workspace_id = ${ws} and platform <> 'console' order by platform`);
  const title = both('Chat platform connected', '已连接聊天平台');
  if (rows.length > 0) return { id: 'platform', done: true, title, detail: both(list(rows.map((r) => r.platform)), list(rows.map((r) => r.platform))) };
  return {
    id: 'platform', done: false, title,
    detail: both('Only the local console; set the Slack, Feishu or DingTalk keys (README "Configuration").', '目前只有本地控制台；请配置 Slack、飞书或钉钉（见 README“Configuration”）。'),
    fix: `kpibot workspace bind ${ws} --platform feishu --tenant <tenant key>`,
  };
}

async function groupsItem(database: Database, ws: string): Promise<SetupItem> {
  const title = both('Team groups bound', '团队群已绑定');
  const teams = await database.query<{ id: string; has_stores: boolean; bound: boolean }>(sql`
    select t.id,
      exists (select 1 from stores s where s.workspace_id = t.workspace_id and s.team_id = t.id) as has_stores,
      exists (select 1 from chats c where c.workspace_id = t.workspace_id and c.team_id = t.id and c.kind = 'group' and c.active) as bound
    from teams t where t.workspace_id = ${ws} order by t.id`);
  if (teams.length === 0) {
    return { id: 'groups', done: false, title, detail: both('No teams yet.', '还没有团队。'), fix: 'team add <id> <name>' };
  }
  // Teams that sell need a group; with no stores yet, one bound group is enough.
  const selling = teams.filter((t) => t.has_stores);
  const missing = selling.filter((t) => !t.bound).map((t) => t.id);
  const anyBound = teams.some((t) => t.bound);
  if (missing.length === 0 && anyBound) {
    const bound = teams.filter((t) => t.bound).map((t) => t.id);
    return { id: 'groups', done: true, title, detail: both(list(bound), list(bound)) };
  }
  const who = missing.length > 0 ? missing : teams.map((t) => t.id);
  return {
    id: 'groups', done: false, title,
    detail: both(`No group bound for: ${list(who)}`, `以下团队还没有绑定群：${list(who)}`),
    fix: `bind team:${who[0]}`,
  };
}

async function ownersItem(database: Database, ws: string, today: string): Promise<SetupItem> {
  const title = both('Store owners assigned', '店铺负责人已指定');
  const stores = await database.query<{ id: string; owned: boolean }>(sql`
    select s.id, exists (select 1 from ownership o where o.workspace_id = s.workspace_id and o.scope_type = 'store'
      and o.scope_id = s.id and o.valid_from <= ${today} and (o.valid_to is null or o.valid_to > ${today})) as owned
    from stores s where s.workspace_id = ${ws} order by s.id`);
  if (stores.length === 0) {
    return { id: 'owners', done: false, title, detail: both('No stores yet.', '还没有店铺。'), fix: 'kpibot import stores.csv --dataset stores' };
  }
  const missing = stores.filter((s) => !s.owned).map((s) => s.id);
  if (missing.length === 0) return { id: 'owners', done: true, title, detail: both(`${stores.length} stores`, `${stores.length} 个店铺`) };
  return {
    id: 'owners', done: false, title,
    detail: both(`No owner: ${list(missing)}`, `没有负责人：${list(missing)}`),
    fix: `store owner store:${missing[0]} @<user>`,
  };
}

async function dataItem(database: Database, ws: string, now: Date): Promise<SetupItem> {
  const title = both('Sales data fresh', '销售数据最新');
  const rows = await database.query<{ id: string; timezone: string; through: string | null }>(sql`
    select s.id, s.timezone, (select max(r.data_through_date)::text from sync_runs r
        where r.workspace_id = s.workspace_id and r.dataset = 'orders' and not r.dry_run and r.status in ('ok', 'partial')
          and (r.store_id = s.id or r.coverage -> s.id is not null)) as through
    from stores s where s.workspace_id = ${ws} order by s.id`);
  if (rows.length === 0) {
    return { id: 'data', done: false, title, detail: both('No stores yet.', '还没有店铺。'), fix: 'kpibot import stores.csv --dataset stores' };
  }
  const stale = rows.filter((r) => r.through === null || r.through < lastDayDue(r.timezone, now)).map((r) => r.id);
  if (stale.length === 0) return { id: 'data', done: true, title, detail: both('Every store is up to date.', '所有店铺数据都是最新的。') };
  return {
    id: 'data', done: false, title,
    detail: both(`Stale or missing: ${list(stale)}`, `数据过期或缺失：${list(stale)}`),
    fix: 'kpibot import <orders file> --dataset orders',
  };
}

async function goalsItem(database: Database, ws: string, today: string): Promise<SetupItem> {
  const title = both('Goals set', '目标已设定');
  const [row] = await database.query<{ n: number }>(sql`
    select count(*) as n from goals where workspace_id = ${ws} and status = 'active'
      and period_start <= ${today} and period_end >= ${today}`);
  if (row!.n > 0) return { id: 'goals', done: true, title, detail: both(`${row!.n} active goals`, `${row!.n} 个进行中的目标`) };
  return {
    id: 'goals', done: false, title,
    detail: both('No active goal covers today.', '没有覆盖今天的进行中目标。'),
    fix: `goal set gmv <target> month:${today.slice(0, 7)} team:<id> owner:@<user>`,
  };
}

async function digestItem(database: Database, ws: string): Promise<SetupItem> {
  const title = both('Daily digest scheduled', '每日简报已订阅');
  const rows = await database.query<{ chat_id: string; subscribed: boolean }>(sql`
    select c.chat_id, exists (select 1 from subscriptions s where s.platform = c.platform and s.tenant_key = c.tenant_key
      and s.chat_id = c.chat_id and s.enabled) as subscribed
    from chats c where c.workspace_id = ${ws} and c.kind = 'group' and c.active and c.team_id is not null order by c.chat_id`);
  const missing = rows.filter((r) => !r.subscribed).map((r) => r.chat_id);
  if (rows.length > 0 && missing.length === 0) return { id: 'digest', done: true, title, detail: both(list(rows.map((r) => r.chat_id)), list(rows.map((r) => r.chat_id))) };
  return {
    id: 'digest', done: false, title,
    detail: rows.length === 0
      ? both('No bound group to send a digest to.', '没有可以接收简报的已绑定群。')
      : both(`No digest in: ${list(missing)}`, `以下群没有简报：${list(missing)}`),
    fix: 'digest subscribe 09:00',
  };
}

export async function setupChecklist(database: Database, workspace: { id: string; timezone: string }, now = new Date()): Promise<SetupItem[]> {
  const today = localDate(workspace.timezone, now);
  return [
    await platformItem(database, workspace.id),
    await groupsItem(database, workspace.id),
    await ownersItem(database, workspace.id, today),
    await dataItem(database, workspace.id, now),
    await goalsItem(database, workspace.id, today),
    await digestItem(database, workspace.id),
  ];
}
