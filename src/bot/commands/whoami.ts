/**
 * `whoami` / `我是谁`: the asker's role, team and data scope as the bot sees them, and what
 * answers in this chat show (the chat's audience level). Helps people understand why a group
 * answer is narrower than a DM one.
 */
import { sql } from 'drizzle-orm';
import type { Principal, Role } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { card, fields, note, type Field } from '../card.ts';
import type { BotContext } from '../context.ts';
import type { Bilingual } from '../language.ts';
import type { CommandRegistry } from '../router.ts';

export const ROLE_NAMES: Record<Role, Bilingual> = {
  admin: { en: 'admin', 'zh-CN': '管理员 admin' },
  manager: { en: 'manager', 'zh-CN': '主管 manager' },
  operator: { en: 'operator', 'zh-CN': '运营 operator' },
  finance: { en: 'finance', 'zh-CN': '财务 finance' },
  member: { en: 'member (not enrolled)', 'zh-CN': '成员 member（未登记）' },
};

const MAX_LISTED = 12;

function list(items: readonly string[]): string {
  return items.length > MAX_LISTED ? `${items.slice(0, MAX_LISTED).join(', ')} … (+${items.length - MAX_LISTED})` : items.join(', ');
}

async function teamNames(database: Database, workspaceId: string, ids: readonly string[], en: boolean): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await database.query<{ id: string; name: string; name_en: string | null }>(sql`
    select id, name, name_en from teams where workspace_id = ${workspaceId} and id in ${[...ids]} order by id`);
  return rows.map((r) => (en ? (r.name_en ?? r.name) : r.name));
}

function scopeText(ctx: Pick<BotContext, 't'>, p: Principal): string {
  if (p.kind === 'external') return ctx.t({ en: 'none', 'zh-CN': '无' });
  if (p.role === 'member') {
    return p.memberAccess === 'none'
      ? ctx.t({ en: 'help only', 'zh-CN': '仅帮助' })
      : ctx.t({ en: 'sales-level metrics of the workspace (no cost, profit or scores)', 'zh-CN': '全部店铺的销售类指标（不含成本、利润和绩效）' });
  }
  if (p.scope.all) return p.role === 'finance' ? ctx.t({ en: 'all money and cost data, read-only', 'zh-CN': '全部资金与成本数据（只读）' }) : ctx.t({ en: 'everything', 'zh-CN': '全部数据' });
  const parts = [...p.scope.storeIds];
  if (p.scope.skuIds.length) parts.push(`SKU ${list(p.scope.skuIds)}`);
  return parts.length ? list(parts) : ctx.t({ en: 'nothing yet (no stores owned)', 'zh-CN': '暂无（未负责任何店铺）' });
}

export function registerWhoami(registry: CommandRegistry, database: Database): void {
  registry.register({
    name: 'whoami',
    aliases: ['我是谁'],
    summary: { en: 'your role, team and what you can see', 'zh-CN': '查看你的角色、团队和数据范围' },
    usage: 'whoami',
    examples: ['whoami', '我是谁'],
    async run(ctx) {
      const p = ctx.asker;
      const en = ctx.locale === 'en';
      const [user] = p.userId
        ? await database.query<{ team_id: string | null }>(sql`select team_id from users where workspace_id = ${p.workspaceId} and id = ${p.userId}`)
        : [];
      const teamIds = [...new Set([...(user?.team_id ? [user.team_id] : []), ...(!p.scope.all ? p.scope.teamIds : [])])];
      const teams = await teamNames(database, p.workspaceId, teamIds, en);
      const rows: Field[] = [
        { label: ctx.t({ en: 'Name', 'zh-CN': '姓名' }), value: `${p.displayName ?? ctx.event.user.id}${p.userId ? ` (${p.userId})` : ''}` },
        { label: ctx.t({ en: 'Role', 'zh-CN': '角色' }), value: ctx.t(ROLE_NAMES[p.role]) },
        { label: ctx.t({ en: 'Team', 'zh-CN': '团队' }), value: teams.length ? teams.join(', ') : '—' },
        { label: ctx.t({ en: 'Scope', 'zh-CN': '数据范围' }), value: scopeText(ctx, p) },
      ];
      if (ctx.chat.kind === 'group') {
        const [team] = ctx.chat.teamId ? await teamNames(database, p.workspaceId, [ctx.chat.teamId], en) : [];
        rows.push({
          label: ctx.t({ en: 'In this group', 'zh-CN': '本群' }),
          value: team
            ? ctx.t({ en: `answers at team level (${team}); cost details come by DM`, 'zh-CN': `按团队（${team}）范围回答；成本明细私信发送` })
            : ctx.t({ en: 'answers at member level; the rest comes by DM', 'zh-CN': '按成员级别回答；其余内容私信发送' }),
        });
      }
      await ctx.reply({
        kind: 'card',
        card: card({
          title: ctx.t({ en: 'Who am I', 'zh-CN': '我是谁' }),
          tone: 'info',
          blocks: [fields(rows), note(ctx.t({ en: 'Roles are changed by an admin.', 'zh-CN': '角色由管理员设置。' }))],
        }),
      });
    },
  });
}
