/**
 * `team add <id> <name> [parent:<team>]` · `team rename team:<id> <name>` · `team move team:<id>
 * to team:<parent>|top` (`团队 新建|改名|移动 …`). Admins anywhere; managers inside their subtree
 * (a new team goes under one of theirs; a move stays inside it).
 */
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { parseOptions, parseScopeToken } from '../../bot/parse/index.ts';
import type { CommandRegistry } from '../../bot/router.ts';
import { canAdminister, canManageTeam } from '../permissions.ts';
import { addTeam, moveTeam, renameTeam } from '../teams.ts';
import { actorOf, allowed, done, handled, subcommand, usageHint } from './common.ts';
import { lookupTeam } from './lookup.ts';

const EXAMPLES = ['team add amazon-jp 亚马逊日本 parent:company', 'team rename team:amazon-jp Amazon Japan', 'team move team:amazon-jp to team:amazon-eu', '团队 新建 amazon-jp 亚马逊日本 上级:company'];
const TOP = ['top', 'root', 'none', '顶层', '最上层', '无'];

const teamText = (token: string) => {
  const scope = parseScopeToken(token);
  return scope?.dim === 'team' ? scope.text : token;
};

async function add(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const { options, rest } = parseOptions(args, { parent: ['上级', '父团队', 'under', '隶属'] });
  const [id, ...name] = rest;
  if (!id || name.length === 0) return usageHint(ctx, { en: 'Give the new team an id and a name.', 'zh-CN': '请写出新团队的 id 和名称。' }, EXAMPLES);
  const parentId = options.parent ? await lookupTeam(deps.database, ctx, teamText(options.parent)) : null;
  if (parentId === undefined) return;
  if (!parentId && !(await allowed(ctx, canAdminister(ctx.asker)))) return;
  if (parentId && !(await allowed(ctx, canManageTeam(ctx.asker, parentId)))) return;
  const team = await addTeam(deps.database, { workspaceId: ctx.workspace.id, id: id.toLowerCase(), name: name.join(' '), parentId, actor: actorOf(ctx) });
  await done(ctx, { en: 'Team added', 'zh-CN': '团队已创建' }, [
    { label: ctx.t({ en: 'Team', 'zh-CN': '团队' }), value: `${team.name} (team:${team.id})` },
    { label: ctx.t({ en: 'Under', 'zh-CN': '上级' }), value: team.parentTeamId ?? '—' },
  ], { en: `Bind its group with \`bind team:${team.id}\`.`, 'zh-CN': `在团队群里发送 \`绑定 团队:${team.id}\` 完成绑定。` });
}

async function rename(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const [first, ...name] = args;
  if (!first || name.length === 0) return usageHint(ctx, { en: 'Name the team and its new name.', 'zh-CN': '请写出团队和新名称。' }, EXAMPLES);
  const teamId = await lookupTeam(deps.database, ctx, teamText(first));
  if (!teamId) return;
  if (!(await allowed(ctx, canManageTeam(ctx.asker, teamId)))) return;
  const r = await renameTeam(deps.database, { workspaceId: ctx.workspace.id, id: teamId, name: name.join(' '), actor: actorOf(ctx) });
  await done(ctx, { en: 'Team renamed', 'zh-CN': '团队已改名' }, [
    { label: ctx.t({ en: 'Team', 'zh-CN': '团队' }), value: `team:${teamId}` },
    { label: ctx.t({ en: 'Name', 'zh-CN': '名称' }), value: `${r.before} → ${r.after}` },
  ]);
}

async function move(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const words = args.filter((w) => !['to', 'under', '到', '至', '移到', '下'].includes(w.toLowerCase()));
  const [first, target] = words;
  if (!first || !target) return usageHint(ctx, { en: 'Name the team and where it goes (a team, or `top`).', 'zh-CN': '请写出团队和目标位置（一个团队，或 `顶层`）。' }, EXAMPLES);
  const teamId = await lookupTeam(deps.database, ctx, teamText(first));
  if (!teamId) return;
  const toTop = TOP.includes(target.toLowerCase());
  const parentId = toTop ? null : await lookupTeam(deps.database, ctx, teamText(target));
  if (parentId === undefined) return;
  if (!(await allowed(ctx, canManageTeam(ctx.asker, teamId)))) return;
  if (!(await allowed(ctx, parentId ? canManageTeam(ctx.asker, parentId) : canAdminister(ctx.asker)))) return;
  const r = await moveTeam(deps.database, { workspaceId: ctx.workspace.id, id: teamId, parentId, actor: actorOf(ctx) });
  const top = ctx.t({ en: 'top', 'zh-CN': '顶层' });
  await done(ctx, { en: 'Team moved', 'zh-CN': '团队已移动' }, [
    { label: ctx.t({ en: 'Team', 'zh-CN': '团队' }), value: `team:${teamId}` },
    { label: ctx.t({ en: 'Under', 'zh-CN': '上级' }), value: `${r.before ?? top} → ${r.after ?? top}` },
  ]);
}

export function registerTeamCommands(commands: CommandRegistry, deps: FeatureDeps): void {
  commands.register({
    name: 'team',
    aliases: ['团队'],
    summary: { en: 'add, rename or move a team', 'zh-CN': '新建、改名或移动团队' },
    usage: 'team add|rename|move …',
    examples: EXAMPLES,
    permission: 'manager',
    async run(ctx, args) {
      const sub = subcommand(args[0], { add: ['add', 'new', 'create', '新建', '添加', '创建'], rename: ['rename', '改名', '重命名'], move: ['move', '移动', '调整'] });
      await handled(deps.database, ctx, async () => {
        if (sub === 'add') return add(deps, ctx, args.slice(1));
        if (sub === 'rename') return rename(deps, ctx, args.slice(1));
        if (sub === 'move') return move(deps, ctx, args.slice(1));
        return usageHint(ctx, { en: 'Use `team add`, `team rename` or `team move`.', 'zh-CN': '请用 `团队 新建`、`团队 改名` 或 `团队 移动`。' }, EXAMPLES);
      });
    },
  });
}
