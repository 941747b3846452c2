/**
 * `user role @x manager team:amazon-us` · `user position @x 投手` · `user tz @x America/Los_Angeles`
 * (`用户 角色 @x 经理 团队:亚马逊美国`, `用户 岗位 @x 投手`, `用户 时区 @x …`). Admins change anyone;
 * managers people in their team subtree, and only to operator or manager of a team they manage.
 * Nobody changes their own role.
 */
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import type { CommandRegistry } from '../../bot/router.ts';
import { checkWorkspaceSetting } from '../../tenancy/workspace-settings.ts';
import { getUser, setUserField, setUserRole, type GrantRole } from '../people.ts';
import { canGrant, canManageUser } from '../permissions.ts';
import { actorOf, allowed, done, handled, refuse, subcommand, usageHint } from './common.ts';
import { lookupTeam, lookupUser, splitArgs } from './lookup.ts';

const ROLE_WORDS: Record<GrantRole, string[]> = {
  admin: ['admin', '管理员'],
  manager: ['manager', '经理', '主管'],
  operator: ['operator', '运营', '运营人员', '操作员'],
  finance: ['finance', '财务'],
  member: ['member', 'none', '成员', '无'],
};

const EXAMPLES = ['user role @carol operator', 'user role @erin manager team:asia-social', 'user position @henry 投手', 'user tz @bob America/Los_Angeles', '用户 角色 @陈晨 经理 团队:亚马逊美国'];

async function role(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const a = splitArgs(args);
  const grant = subcommand(a.rest[0], ROLE_WORDS);
  if (!a.mention || !grant) {
    return usageHint(ctx, { en: 'Name a person and a role (admin, manager, operator, finance or member).', 'zh-CN': '请写出用户和角色（管理员、经理、运营、财务或成员）。' }, EXAMPLES);
  }
  const userId = await lookupUser(deps.database, ctx, a.mention);
  if (!userId) return;
  const teamId = a.team ? await lookupTeam(deps.database, ctx, a.team) : null;
  if (teamId === undefined) return;
  const target = (await getUser(deps.database, ctx.workspace.id, userId))!;
  if (ctx.asker.userId === userId) return refuse(ctx, { en: 'You cannot change your own role.', 'zh-CN': '不能修改自己的角色。' });
  if (!(await allowed(ctx, canManageUser(ctx.asker, target)))) return;
  if (!(await allowed(ctx, canGrant(ctx.asker, grant, teamId)))) return;
  // A manager may only replace roles they could have granted (not an admin's, not another subtree's).
  for (const r of target.roles) if (!(await allowed(ctx, canGrant(ctx.asker, r.role, r.teamId)))) return;
  const result = await setUserRole(deps.database, { workspaceId: ctx.workspace.id, userId, role: grant, teamId, actor: actorOf(ctx) });
  const none = ctx.t({ en: 'member (none)', 'zh-CN': '成员（无角色）' });
  await done(ctx, { en: 'Role changed', 'zh-CN': '角色已更新' }, [
    { label: ctx.t({ en: 'Person', 'zh-CN': '用户' }), value: `${target.displayName} (@${userId})` },
    { label: ctx.t({ en: 'Before', 'zh-CN': '之前' }), value: result.before.join(', ') || none },
    { label: ctx.t({ en: 'Now', 'zh-CN': '现在' }), value: result.after.join(', ') || none },
  ], { en: 'Recorded in the audit log.', 'zh-CN': '已记入审计日志。' });
}

async function field(deps: FeatureDeps, ctx: BotContext, args: string[], which: 'position' | 'timezone'): Promise<void> {
  const a = splitArgs(args);
  const raw = a.rest.join(' ').trim();
  if (!a.mention || !raw) {
    return usageHint(ctx, which === 'position'
      ? { en: 'Name a person and a position, e.g. 运营, 投手, 客服.', 'zh-CN': '请写出用户和岗位，例如 运营、投手、客服。' }
      : { en: 'Name a person and an IANA time zone.', 'zh-CN': '请写出用户和时区（IANA 名称）。' }, EXAMPLES);
  }
  let value = raw.slice(0, 40);
  if (which === 'timezone') {
    const checked = checkWorkspaceSetting('timezone', raw);
    if (!checked.ok) return refuse(ctx, checked.message);
    value = checked.value;
  }
  const userId = await lookupUser(deps.database, ctx, a.mention);
  if (!userId) return;
  const target = (await getUser(deps.database, ctx.workspace.id, userId))!;
  if (!(await allowed(ctx, canManageUser(ctx.asker, target)))) return;
  const result = await setUserField(deps.database, { workspaceId: ctx.workspace.id, userId, field: which, value, actor: actorOf(ctx) });
  const label = which === 'position' ? { en: 'Position', 'zh-CN': '岗位' } : { en: 'Time zone', 'zh-CN': '时区' };
  await done(ctx, which === 'position' ? { en: 'Position changed', 'zh-CN': '岗位已更新' } : { en: 'Time zone changed', 'zh-CN': '时区已更新' }, [
    { label: ctx.t({ en: 'Person', 'zh-CN': '用户' }), value: `${target.displayName} (@${userId})` },
    { label: ctx.t(label), value: `${result.before ?? '—'} → ${result.after}` },
  ]);
}

export function registerUserCommands(commands: CommandRegistry, deps: FeatureDeps): void {
  commands.register({
    name: 'user',
    aliases: ['用户', '人员'],
    summary: { en: 'set a person’s role, position or time zone', 'zh-CN': '设置用户的角色、岗位或时区' },
    usage: 'user role|position|tz @x …',
    examples: EXAMPLES,
    permission: 'manager',
    async run(ctx, args) {
      const sub = subcommand(args[0], { role: ['role', '角色'], position: ['position', '岗位', '职位'], tz: ['tz', 'timezone', '时区'] });
      await handled(deps.database, ctx, async () => {
        if (sub === 'role') return role(deps, ctx, args.slice(1));
        if (sub === 'position') return field(deps, ctx, args.slice(1), 'position');
        if (sub === 'tz') return field(deps, ctx, args.slice(1), 'timezone');
        return usageHint(ctx, { en: 'Use `user role`, `user position` or `user tz`.', 'zh-CN': '请用 `用户 角色`、`用户 岗位` 或 `用户 时区`。' }, EXAMPLES);
      });
    },
  });
}
