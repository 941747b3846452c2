/**
 * Admin reports and jobs: `setup` (配置清单: what is done and what is missing, each with the
 * command that fixes it), `usage` (使用情况: who queried, acknowledged and read digests in the
 * last 30 days — counts only, no message content) and `sync directory` (同步 通讯录: pull the
 * platform's company directory now; a failed sync resumes where it stopped).
 */
import { card, fields, note, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { directoryOf } from '../../bot/directory.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import type { CommandRegistry } from '../../bot/router.ts';
import { syncDirectory, type DirectorySyncResult } from '../directory-sync.ts';
import type { LeaverReport } from '../leavers.ts';
import { setupChecklist } from '../setup.ts';
import { usageReport } from '../usage.ts';
import { actorOf, handled, refuse, subcommand, usageHint } from './common.ts';

async function setup(deps: FeatureDeps, ctx: BotContext): Promise<void> {
  const items = await setupChecklist(deps.database, ctx.workspace);
  const missing = items.filter((i) => !i.done).length;
  const lines = items.map((i) =>
    i.done
      ? `✅ **${ctx.t(i.title)}** — ${ctx.t(i.detail)}`
      : `⬜ **${ctx.t(i.title)}** — ${ctx.t(i.detail)}\n    → \`${i.fix}\``,
  );
  await ctx.reply({
    kind: 'card',
    card: card({
      title: ctx.t({ en: `Setup: ${items.length - missing} of ${items.length} done`, 'zh-CN': `配置清单：已完成 ${items.length - missing}/${items.length}` }),
      tone: missing ? 'info' : 'success',
      blocks: [text(lines.join('\n'))],
    }),
  });
}

async function usage(deps: FeatureDeps, ctx: BotContext): Promise<void> {
  const r = await usageReport(deps.database, ctx.workspace.id);
  const rows = r.lines.slice(0, 15).map((l) => ({
    label: `${l.displayName}${l.userId !== l.displayName ? ` (@${l.userId})` : ''}`,
    value: ctx.t({
      en: `${l.queries} queries · ${l.acks} acks · ${l.digestReads} digests read · ${l.commands} other · last ${l.lastAt}`,
      'zh-CN': `查询 ${l.queries} · 确认 ${l.acks} · 阅读简报 ${l.digestReads} · 其他 ${l.commands} · 最近 ${l.lastAt}`,
    }),
  }));
  const blocks = rows.length ? [fields(rows)] : [text(ctx.t({ en: 'Nobody used the bot in the last 30 days.', 'zh-CN': '最近 30 天没有人使用机器人。' }))];
  if (r.silent.length) {
    const names = r.silent.slice(0, 20).map((s) => s.displayName).join(', ');
    blocks.push(text(`${ctx.t({ en: 'Not seen in 30 days', 'zh-CN': '30 天内未使用' })}: ${names}${r.silent.length > 20 ? ` +${r.silent.length - 20}` : ''}`));
  }
  blocks.push(note(ctx.t({ en: `Since ${r.since}. Counts only; message content is never stored.`, 'zh-CN': `自 ${r.since} 起。只统计次数，从不保存消息内容。` })));
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Usage, last 30 days', 'zh-CN': '最近 30 天使用情况' }), tone: 'info', blocks }) });
}

function leaverLine(ctx: BotContext, l: LeaverReport): string {
  const items = [
    ...l.goals.map((g) => `${ctx.t({ en: 'goal', 'zh-CN': '目标' })} #${g.id} ${g.metricId} ${g.periodId}`),
    ...l.ownership,
    ...l.followups.map((f) => `${ctx.t({ en: 'follow-up', 'zh-CN': '跟进' })} #${f.id}`),
  ];
  const to = l.managerId ? `→ ${l.managerName} (@${l.managerId})` : ctx.t({ en: '→ nobody found: assign by hand', 'zh-CN': '→ 未找到上级，请手动分配' });
  return `• ${l.displayName} (@${l.userId}) ${to}${items.length ? `: ${items.join(', ')}` : ''}`;
}

export function syncCard(ctx: BotContext, r: DirectorySyncResult) {
  if (r.status === 'failed') {
    return card({
      title: ctx.t({ en: 'Directory sync stopped', 'zh-CN': '通讯录同步中断' }),
      tone: 'warning',
      blocks: [
        text(ctx.t({ en: `The directory did not answer (${r.error ?? 'error'}). Pages already read are kept.`, 'zh-CN': `通讯录接口出错（${r.error ?? 'error'}），已读取的分页已保存。` })),
        note(ctx.t({ en: 'Run `sync directory` again to resume where it stopped.', 'zh-CN': '再次发送 `同步 通讯录` 将从中断处继续。' })),
      ],
    });
  }
  const blocks = [
    fields([
      { label: ctx.t({ en: 'Departments', 'zh-CN': '部门' }), value: String(r.departments) },
      { label: ctx.t({ en: 'People', 'zh-CN': '人员' }), value: String(r.people) },
      { label: ctx.t({ en: 'New teams', 'zh-CN': '新团队' }), value: r.teamsCreated.join(', ') || '—' },
      { label: ctx.t({ en: 'New people', 'zh-CN': '新人员' }), value: r.usersCreated.slice(0, 20).join(', ') || '—' },
    ]),
  ];
  if (r.leavers.length) {
    blocks.push(text(`${ctx.t({ en: 'Left the company (deactivated, open items reassigned)', 'zh-CN': '已离职（已停用，待办已转交）' })}:\n${r.leavers.map((l) => leaverLine(ctx, l)).join('\n')}`));
  }
  return card({ title: ctx.t({ en: 'Directory synced', 'zh-CN': '通讯录已同步' }), tone: 'success', blocks });
}

async function sync(deps: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  if (!subcommand(args[0], { directory: ['directory', 'dir', 'contacts', '通讯录', '组织架构'] })) {
    return usageHint(ctx, { en: 'Use `sync directory`.', 'zh-CN': '请用 `同步 通讯录`。' }, ['sync directory', '同步 通讯录']);
  }
  const port = directoryOf(deps.adapterFor(ctx.event.platform), ctx.event.conversation.tenantKey);
  if (!port) {
    return refuse(ctx, { en: `There is no company directory to read on ${ctx.event.platform} (Feishu and DingTalk have one).`, 'zh-CN': `${ctx.event.platform} 没有可读取的通讯录（飞书和钉钉有）。` });
  }
  const result = await syncDirectory(deps.database, port, { workspaceId: ctx.workspace.id, timezone: ctx.workspace.timezone, actor: actorOf(ctx) });
  await ctx.reply({ kind: 'card', card: syncCard(ctx, result) });
}

export function registerAdminCommands(commands: CommandRegistry, deps: FeatureDeps): void {
  commands.register({
    name: 'setup',
    aliases: ['配置清单', '初始化', '设置清单'],
    summary: { en: 'what is set up and what is missing, with the command that fixes each', 'zh-CN': '查看配置完成情况及缺失项的修复命令' },
    usage: 'setup',
    examples: ['setup', '配置清单'],
    permission: 'admin',
    async run(ctx) {
      await handled(deps.database, ctx, () => setup(deps, ctx));
    },
  });
  commands.register({
    name: 'usage',
    aliases: ['使用情况', '用量'],
    summary: { en: 'who used the bot in the last 30 days (no message content)', 'zh-CN': '最近 30 天谁在使用机器人（不含消息内容）' },
    usage: 'usage',
    examples: ['usage', '使用情况'],
    permission: 'admin',
    async run(ctx) {
      await handled(deps.database, ctx, () => usage(deps, ctx));
    },
  });
  commands.register({
    name: 'sync',
    aliases: ['同步'],
    summary: { en: 'read the company directory now (departments → teams, people → users)', 'zh-CN': '立即同步通讯录（部门 → 团队，人员 → 用户）' },
    usage: 'sync directory',
    examples: ['sync directory', '同步 通讯录'],
    permission: 'admin',
    async run(ctx, args) {
      await handled(deps.database, ctx, () => sync(deps, ctx, args));
    },
  });
}
