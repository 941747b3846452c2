/**
 * Binding groups to teams. When the bot joins a group it posts a welcome card with one
 * "绑定到团队 / Bind to team" button per team (`org.bind`); `bind team:<id> [rebind]` / `unbind`
 * (`绑定 团队:<id>`, `解绑`) do the same by command. Only that team's manager (or a manager above
 * it) or an admin may bind; moving a group bound elsewhere needs an admin's explicit `rebind`.
 * Groups shared with another organisation are refused with an explanation and get no data.
 */
import { sql } from 'drizzle-orm';
import { actions, button, card, note, text, type Button } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import type { ActionRegistry, CommandRegistry } from '../../bot/router.ts';
import { bindChat } from '../binding.ts';
import { canAdminister, canManageTeam } from '../permissions.ts';
import { actorOf, allowed, done, handled, refuse, usageHint } from './common.ts';
import { lookupTeam, splitArgs } from './lookup.ts';

export const BIND_ACTION = 'org.bind';
const EXAMPLES = ['bind team:amazon-us', 'bind team:amazon-eu rebind', 'unbind', '绑定 团队:亚马逊美国'];
const REBIND = ['rebind', 'force', '重新绑定', '改绑'];
/** Buttons beyond this become a typed hint: a welcome card is not a directory. */
const MAX_TEAM_BUTTONS = 8;
const WELCOME_TITLE = { en: 'Hello · Bind to team / 绑定到团队', 'zh-CN': '大家好 · 绑定到团队 / Bind to team' };

interface TeamRow extends Record<string, unknown> {
  id: string;
  name: string;
  name_en: string | null;
}

/** Adapters flag a group shared with another organisation (Slack Connect, Feishu/DingTalk external groups). */
function isExternalChat(ctx: BotContext): boolean {
  return ctx.asker.kind === 'external' || ctx.event.conversation.isExternal === true;
}

async function refuseExternal(ctx: BotContext): Promise<void> {
  await refuse(ctx, {
    en: 'This group includes people from another organisation, so I do not post data or bind it to a team here.',
    'zh-CN': '这个群包含其他组织的成员，因此我不会在这里发送数据，也不能绑定团队。',
  });
}

async function teamName(deps: FeatureDeps, ctx: BotContext, teamId: string): Promise<string> {
  const [t] = await deps.database.query<TeamRow>(sql`select id, name, name_en from teams where workspace_id = ${ctx.workspace.id} and id = ${teamId}`);
  return t ? (ctx.locale === 'en' ? (t.name_en ?? t.name) : t.name) : teamId;
}

async function confirmBound(deps: FeatureDeps, ctx: BotContext, teamId: string): Promise<void> {
  const name = await teamName(deps, ctx, teamId);
  await done(ctx, { en: 'Group bound', 'zh-CN': '群已绑定' }, [
    { label: ctx.t({ en: 'Team', 'zh-CN': '团队' }), value: `${name} (team:${teamId})` },
    { label: ctx.t({ en: 'Answers here', 'zh-CN': '本群回答' }), value: ctx.t({ en: 'the team’s stores, margins yes, cost details no', 'zh-CN': '本团队店铺；含毛利，不含成本明细' }) },
    { label: ctx.t({ en: 'Digest', 'zh-CN': '简报' }), value: ctx.t({ en: 'the team’s, in its time zone (`digest subscribe 09:00`)', 'zh-CN': '本团队简报，按团队时区（`digest subscribe 09:00`）' }) },
  ], { en: 'Recorded in the audit log.', 'zh-CN': '已记入审计日志。' });
}

/** The welcome card with its bind buttons; true when this feature answered. */
export async function welcome(deps: FeatureDeps, ctx: BotContext): Promise<boolean> {
  if (ctx.chat.kind !== 'group') return false;
  if (isExternalChat(ctx)) {
    await refuseExternal(ctx);
    return true;
  }
  const hello = ctx.t({ en: 'Hello! I answer KPI questions: try `gmv 7d by store` or `help`.', 'zh-CN': '大家好！我可以回答 KPI 问题：试试 `本周 GMV 按店铺` 或 `帮助`。' });
  if (ctx.chat.teamId) {
    const name = await teamName(deps, ctx, ctx.chat.teamId);
    await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Hello', 'zh-CN': '大家好' }), tone: 'info', blocks: [text(hello), note(ctx.t({ en: `This group is bound to ${name}.`, 'zh-CN': `本群已绑定到 ${name}。` }))] }) });
    return true;
  }
  const teams = await deps.database.query<TeamRow>(sql`select id, name, name_en from teams where workspace_id = ${ctx.workspace.id} order by parent_team_id is null, id`);
  const max = Math.min(MAX_TEAM_BUTTONS, ctx.capabilities?.maxButtons ?? MAX_TEAM_BUTTONS);
  const buttons: Button[] = teams.slice(0, max).map((t) => button(BIND_ACTION, ctx.locale === 'en' ? (t.name_en ?? t.name) : t.name, t.id, 'primary'));
  const lines = [
    hello,
    teams.length
      ? ctx.t({ en: 'Which team is this group for? Its answers and digest will follow that team.', 'zh-CN': '这个群属于哪个团队？绑定后，本群的回答范围和简报都跟随该团队。' })
      : ctx.t({ en: 'No teams yet: an admin can add one with `team add <id> <name>`.', 'zh-CN': '还没有团队：管理员可用 `团队 新建 <id> <名称>` 创建。' }),
  ];
  if (teams.length > buttons.length || !ctx.capabilities?.buttons) lines.push(ctx.t({ en: 'Or type `bind team:<id>`.', 'zh-CN': '也可以输入 `绑定 团队:<id>`。' }));
  const blocks = [text(lines.join('\n'))];
  if (buttons.length && ctx.capabilities?.buttons !== false) blocks.push(actions(...buttons));
  blocks.push(note(ctx.t({ en: 'Only that team’s manager or an admin can bind.', 'zh-CN': '只有该团队的经理或管理员可以绑定。' })));
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t(WELCOME_TITLE), tone: 'info', blocks }) });
  return true;
}

/** Replaces the welcome card's buttons by who bound it, so nobody presses a stale button. */
async function retireWelcome(deps: FeatureDeps, ctx: BotContext, teamId: string): Promise<void> {
  const e = ctx.event;
  if (e.kind !== 'action' || typeof ctx.update !== 'function') return;
  const [row] = await deps.database.query<{ id: number }>(sql`
    select id from deliveries where platform = ${e.platform} and message_ref ->> 'messageId' = ${e.message.messageId} order by id desc limit 1`);
  if (!row) return;
  const name = await teamName(deps, ctx, teamId);
  const who = ctx.asker.displayName ?? ctx.asker.userId ?? '';
  const bound = card({ title: ctx.t(WELCOME_TITLE), tone: 'success', blocks: [text(ctx.t({ en: `Bound to ${name} by ${who}.`, 'zh-CN': `已由 ${who} 绑定到 ${name}。` }))] });
  try {
    await ctx.update({ ref: e.message, deliveryId: row.id }, { kind: 'card', card: bound });
  } catch (err) {
    deps.logger.warn({ err }, 'welcome card not updated');
  }
}

async function bindTo(deps: FeatureDeps, ctx: BotContext, teamId: string, rebind: boolean): Promise<boolean> {
  if (rebind && !(await allowed(ctx, canAdminister(ctx.asker)))) return false;
  if (!(await allowed(ctx, canManageTeam(ctx.asker, teamId)))) return false;
  const r = await bindChat(deps.database, { workspaceId: ctx.workspace.id, conversation: ctx.event.conversation, teamId, rebind, actor: actorOf(ctx) });
  await confirmBound(deps, ctx, r.after ?? teamId);
  return true;
}

const groupOnly = { en: 'Bind in the team’s group chat, not in a DM.', 'zh-CN': '请在团队群里绑定，而不是私聊。' };

export function registerBindCommands(commands: CommandRegistry, actionRegistry: ActionRegistry, deps: FeatureDeps): void {
  commands.register({
    name: 'bind',
    aliases: ['绑定'],
    summary: { en: 'bind this group to a team (its answers and digest follow the team)', 'zh-CN': '把本群绑定到团队（回答范围和简报跟随团队）' },
    usage: 'bind team:<id> [rebind]',
    examples: EXAMPLES,
    permission: 'manager',
    async run(ctx, args) {
      await handled(deps.database, ctx, async () => {
        if (isExternalChat(ctx)) return refuseExternal(ctx);
        if (ctx.chat.kind !== 'group') return refuse(ctx, groupOnly);
        const a = splitArgs(args);
        if (!a.team) return usageHint(ctx, { en: 'Name the team.', 'zh-CN': '请写出团队。' }, EXAMPLES);
        const teamId = await lookupTeam(deps.database, ctx, a.team);
        if (!teamId) return;
        await bindTo(deps, ctx, teamId, a.rest.some((w) => REBIND.includes(w.toLowerCase())));
      });
    },
  });
  commands.register({
    name: 'unbind',
    aliases: ['解绑', '解除绑定'],
    summary: { en: 'unbind this group from its team', 'zh-CN': '解除本群与团队的绑定' },
    usage: 'unbind',
    examples: ['unbind', '解绑'],
    permission: 'manager',
    async run(ctx) {
      await handled(deps.database, ctx, async () => {
        if (ctx.chat.kind !== 'group') return refuse(ctx, groupOnly);
        if (!ctx.chat.teamId) return refuse(ctx, { en: 'This group is not bound to a team.', 'zh-CN': '本群没有绑定团队。' });
        if (!(await allowed(ctx, canManageTeam(ctx.asker, ctx.chat.teamId)))) return;
        await bindChat(deps.database, { workspaceId: ctx.workspace.id, conversation: ctx.event.conversation, teamId: null, rebind: true, actor: actorOf(ctx) });
        await done(ctx, { en: 'Group unbound', 'zh-CN': '已解除绑定' }, [
          { label: ctx.t({ en: 'Was bound to', 'zh-CN': '原绑定团队' }), value: `team:${ctx.chat.teamId}` },
          { label: ctx.t({ en: 'Answers here', 'zh-CN': '本群回答' }), value: ctx.t({ en: 'member level (sales metrics only)', 'zh-CN': '成员级别（仅销售类指标）' }) },
        ]);
      });
    },
  });
  actionRegistry.register({
    actionId: BIND_ACTION,
    async run(ctx, value) {
      await handled(deps.database, ctx, async () => {
        if (isExternalChat(ctx)) return refuseExternal(ctx);
        if (ctx.chat.kind !== 'group' || !value) return refuse(ctx, groupOnly);
        if (!canManageTeam(ctx.asker, value).ok) {
          const name = await teamName(deps, ctx, value);
          return refuse(ctx, {
            en: `Sorry, only the manager of ${name} or an admin can bind this group. Ask them to press the button.`,
            'zh-CN': `抱歉，只有 ${name} 的经理或管理员可以绑定本群，请他们点击按钮。`,
          });
        }
        if (await bindTo(deps, ctx, value, false)) await retireWelcome(deps, ctx, value);
      });
    },
  });
}
