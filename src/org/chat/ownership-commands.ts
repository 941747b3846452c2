/**
 * `store owner store:us-main @carol [from 2026-12-01]` (`店铺 负责人 店铺:美国主店 @陈晨 从 2026-12-01`)
 * hands a store over on a date, history kept; `who owns store:us-main [2026-11-15 | 上月]`
 * (`谁负责 店铺:美国主店`) answers who owned it then. Admins for any store; managers for stores of
 * their subtree, to people of their subtree.
 */
import { sql } from 'drizzle-orm';
import { card, fields, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { parseOptions } from '../../bot/parse/index.ts';
import type { CommandRegistry } from '../../bot/router.ts';
import { assignOwner, ownershipHistory, type OwnershipRow } from '../ownership.ts';
import { getUser } from '../people.ts';
import { canManageTeam, canManageUser } from '../permissions.ts';
import { actorOf, allowed, done, handled, refuse, subcommand, usageHint } from './common.ts';
import { parseDayOrPeriod, todayIn } from './dates.ts';
import { lookupStore, lookupUser, splitArgs } from './lookup.ts';

const STORE_EXAMPLES = ['store owner store:us-main @carol from 2026-12-01', '店铺 负责人 店铺:美国主店 @陈晨 从 2026-12-01'];
const WHO_EXAMPLES = ['who owns store:us-main', 'who owns store:us-main 2026-11-15', '谁负责 店铺:美国主店 上月'];

const span = (ctx: BotContext, r: OwnershipRow) => `${r.validFrom} → ${r.validTo ?? ctx.t({ en: 'now', 'zh-CN': '至今' })}`;

async function showOwners(deps: FeatureDeps, ctx: BotContext, storeId: string, when: { from: string; to: string }): Promise<void> {
  const history = await ownershipHistory(deps.database, ctx.workspace.id, 'store', storeId);
  const during = history.filter((r) => r.validFrom <= when.to && (r.validTo === null || r.validTo > when.from));
  const nobody = ctx.t({ en: 'nobody', 'zh-CN': '无人负责' });
  const label = when.from === when.to ? when.from : `${when.from} … ${when.to}`;
  const blocks = [
    fields([
      { label: ctx.t({ en: 'Store', 'zh-CN': '店铺' }), value: storeId },
      { label: ctx.t({ en: `Owner on ${label}`, 'zh-CN': `${label} 负责人` }), value: during.map((r) => `${r.displayName} (@${r.userId})`).join(', ') || nobody },
    ]),
  ];
  if (history.length) {
    const lines = history.slice(-6).map((r) => `• ${r.displayName} (@${r.userId}) ${span(ctx, r)}`);
    blocks.push(text(`${ctx.t({ en: 'History', 'zh-CN': '历史' })}:\n${lines.join('\n')}`));
  }
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Who owns it', 'zh-CN': '谁负责' }), tone: 'info', blocks }) });
}

async function storeOwner(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const { options, rest } = parseOptions(args, { from: ['从', '起', '自', 'since', 'starting'] });
  const a = splitArgs(rest);
  if (!a.store) return usageHint(ctx, { en: 'Name the store and the new owner.', 'zh-CN': '请写出店铺和新的负责人。' }, STORE_EXAMPLES);
  const storeId = await lookupStore(deps.database, ctx, a.store);
  if (!storeId) return;
  const tz = ctx.workspace.timezone;
  if (!a.mention) return showOwners(deps, ctx, storeId, { from: todayIn(tz), to: todayIn(tz) });
  const from = options.from ? parseDayOrPeriod(options.from, tz)?.from : todayIn(tz);
  if (!from) return usageHint(ctx, { en: 'Write the date as YYYY-MM-DD.', 'zh-CN': '日期请写成 YYYY-MM-DD。' }, STORE_EXAMPLES);
  const userId = await lookupUser(deps.database, ctx, a.mention);
  if (!userId) return;
  const user = (await getUser(deps.database, ctx.workspace.id, userId))!;
  if (!user.active) return refuse(ctx, { en: `${user.displayName} is deactivated.`, 'zh-CN': `${user.displayName} 已停用。` });
  const [store] = await deps.database.query<{ team_id: string | null }>(sql`
    select team_id from stores where workspace_id = ${ctx.workspace.id} and id = ${storeId}`);
  if (!(await allowed(ctx, canManageTeam(ctx.asker, store?.team_id)))) return;
  if (!(await allowed(ctx, canManageUser(ctx.asker, user)))) return;
  const result = await assignOwner(deps.database, { workspaceId: ctx.workspace.id, scopeType: 'store', scopeId: storeId, userId, from, actor: actorOf(ctx) });
  if (result.unchanged) {
    return done(ctx, { en: 'Nothing to change', 'zh-CN': '无需修改' }, [
      { label: ctx.t({ en: 'Store', 'zh-CN': '店铺' }), value: storeId },
      { label: ctx.t({ en: 'Owner', 'zh-CN': '负责人' }), value: `${user.displayName} (@${userId})` },
    ]);
  }
  await done(ctx, { en: 'Store owner changed', 'zh-CN': '店铺负责人已更新' }, [
    { label: ctx.t({ en: 'Store', 'zh-CN': '店铺' }), value: storeId },
    { label: ctx.t({ en: 'New owner', 'zh-CN': '新负责人' }), value: `${user.displayName} (@${userId}) ${ctx.t({ en: 'from', 'zh-CN': '自' })} ${from}` },
    ...result.closed.map((r) => ({ label: ctx.t({ en: 'Until then', 'zh-CN': '此前' }), value: `${r.displayName} (@${r.userId}) ${span(ctx, r)}` })),
  ], { en: 'History is kept: results before that date still count for the previous owner.', 'zh-CN': '历史保留：该日期之前的业绩仍归前任负责人。' });
}

async function whoOwns(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const words = args.filter((w) => !['owns', 'own', 'owner', '负责', '负责人'].includes(w.toLowerCase()));
  const a = splitArgs(words);
  if (!a.store) return usageHint(ctx, { en: 'Name the store.', 'zh-CN': '请写出店铺。' }, WHO_EXAMPLES);
  const tz = ctx.workspace.timezone;
  const when = a.rest.length ? parseDayOrPeriod(a.rest.join(' '), tz) : { from: todayIn(tz), to: todayIn(tz) };
  if (!when) return usageHint(ctx, { en: 'Write the date as YYYY-MM-DD or a period such as 上月.', 'zh-CN': '日期请写成 YYYY-MM-DD，或 上月 这样的时间段。' }, WHO_EXAMPLES);
  const storeId = await lookupStore(deps.database, ctx, a.store);
  if (!storeId) return;
  await showOwners(deps, ctx, storeId, when);
}

export function registerOwnershipCommands(commands: CommandRegistry, deps: FeatureDeps): void {
  commands.register({
    name: 'store',
    aliases: ['店铺'],
    summary: { en: 'hand a store to a new owner from a date (history kept)', 'zh-CN': '指定店铺负责人（按日期生效，保留历史）' },
    usage: 'store owner store:<id> @x [from YYYY-MM-DD]',
    examples: STORE_EXAMPLES,
    permission: 'manager',
    async run(ctx, args) {
      await handled(deps.database, ctx, async () => {
        if (subcommand(args[0], { owner: ['owner', '负责人', 'owners'] })) return storeOwner(deps, ctx, args.slice(1));
        return usageHint(ctx, { en: 'Use `store owner`.', 'zh-CN': '请用 `店铺 负责人`。' }, STORE_EXAMPLES);
      });
    },
  });
  commands.register({
    name: 'who',
    aliases: ['谁负责', 'whoowns'],
    summary: { en: 'who owns a store, now or on a date', 'zh-CN': '查看店铺现在或某天的负责人' },
    usage: 'who owns store:<id> [YYYY-MM-DD|period]',
    examples: WHO_EXAMPLES,
    permission: { action: 'org.view' },
    async run(ctx, args) {
      await handled(deps.database, ctx, () => whoOwns(deps, ctx, args));
    },
  });
}
