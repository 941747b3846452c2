/**
 * Workspace settings from chat, admins only: `member access sales|none` (`成员 权限 销售|无`: what
 * people never enrolled may see) and `workspace set timezone|currency|locale <value>`
 * (`工作区 设置 时区|币种|语言 …`), validated exactly like `kpibot workspace set`.
 */
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import type { CommandRegistry } from '../../bot/router.ts';
import { checkWorkspaceSetting, setMemberAccess, type MemberAccess } from '../../tenancy/workspace-settings.ts';
import { setWorkspaceField, type WorkspaceSettingKey } from '../../tenancy/workspaces.ts';
import { actorOf, done, handled, refuse, subcommand, usageHint } from './common.ts';

const ACCESS_EXAMPLES = ['member access sales', 'member access none', '成员 权限 无'];
const WS_EXAMPLES = ['workspace set timezone Asia/Shanghai', 'workspace set currency USD', 'workspace set locale en', '工作区 设置 时区 Asia/Shanghai'];

const ACCESS_WORDS: Record<MemberAccess, string[]> = { sales: ['sales', '销售', '销售类'], none: ['none', 'help', '无', '仅帮助'] };
const KEY_WORDS: Record<WorkspaceSettingKey, string[]> = {
  timezone: ['timezone', 'tz', '时区'],
  currency: ['currency', '币种', '货币'],
  locale: ['locale', 'language', 'lang', '语言'],
};

async function memberAccess(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  if (!subcommand(args[0], { access: ['access', '权限', '访问'] })) {
    return usageHint(ctx, { en: 'Use `member access sales|none`.', 'zh-CN': '请用 `成员 权限 销售|无`。' }, ACCESS_EXAMPLES);
  }
  const value = subcommand(args[1], ACCESS_WORDS);
  if (!value) return usageHint(ctx, { en: 'Members may see `sales` metrics or `none` (help only).', 'zh-CN': '未登记成员可看 `销售` 类指标，或 `无`（仅帮助）。' }, ACCESS_EXAMPLES);
  const r = await setMemberAccess(deps.database.db, ctx.workspace.id, value, actorOf(ctx));
  const label = (v: MemberAccess) => (v === 'sales' ? ctx.t({ en: 'sales metrics', 'zh-CN': '销售类指标' }) : ctx.t({ en: 'help only', 'zh-CN': '仅帮助' }));
  await done(ctx, { en: 'Member access changed', 'zh-CN': '成员权限已更新' }, [
    { label: ctx.t({ en: 'People not enrolled see', 'zh-CN': '未登记成员可见' }), value: `${label(r.before)} → ${label(r.after)}` },
  ]);
}

async function workspaceSet(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  if (!subcommand(args[0], { set: ['set', '设置', '修改'] })) {
    const w = ctx.workspace;
    return done(ctx, { en: 'Workspace', 'zh-CN': '工作区' }, [
      { label: 'id', value: w.id },
      { label: ctx.t({ en: 'Time zone', 'zh-CN': '时区' }), value: w.timezone },
      { label: ctx.t({ en: 'Currency', 'zh-CN': '币种' }), value: w.currency },
      { label: ctx.t({ en: 'Language', 'zh-CN': '语言' }), value: w.locale },
    ], { en: 'Change with `workspace set timezone|currency|locale <value>`.', 'zh-CN': '用 `工作区 设置 时区|币种|语言 <值>` 修改。' });
  }
  const key = subcommand(args[1], KEY_WORDS);
  const raw = args[2];
  if (!key || raw === undefined) return usageHint(ctx, { en: 'You can set timezone, currency or locale.', 'zh-CN': '可以设置时区、币种或语言。' }, WS_EXAMPLES);
  const checked = checkWorkspaceSetting(key, raw);
  if (!checked.ok) return refuse(ctx, checked.message);
  const before = ctx.workspace[key];
  await setWorkspaceField(deps.database.db, ctx.workspace.id, key, checked.value, actorOf(ctx));
  await done(ctx, { en: 'Workspace changed', 'zh-CN': '工作区已更新' }, [{ label: key, value: `${before} → ${checked.value}` }]);
}

export function registerSettingsCommands(commands: CommandRegistry, deps: FeatureDeps): void {
  commands.register({
    name: 'member',
    aliases: ['成员'],
    summary: { en: 'what people never enrolled may see: sales metrics or help only', 'zh-CN': '设置未登记成员可见范围：销售类指标或仅帮助' },
    usage: 'member access sales|none',
    examples: ACCESS_EXAMPLES,
    permission: 'admin',
    async run(ctx, args) {
      await handled(deps.database, ctx, () => memberAccess(deps, ctx, args));
    },
  });
  commands.register({
    name: 'workspace',
    aliases: ['工作区'],
    summary: { en: 'show or set the workspace time zone, currency and language', 'zh-CN': '查看或设置工作区的时区、币种和语言' },
    usage: 'workspace set timezone|currency|locale <value>',
    examples: WS_EXAMPLES,
    permission: 'admin',
    async run(ctx, args) {
      await handled(deps.database, ctx, () => workspaceSet(deps, ctx, args));
    },
  });
}
