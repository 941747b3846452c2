/**
 * `help` / `帮助`: a card listing every registered command in the asker's language. Also the
 * welcome card when the bot joins a group, and the usage hint for text it cannot parse.
 */
import { card, note, text, type Card } from '../card.ts';
import type { BotContext } from '../context.ts';
import type { CommandRegistry } from '../router.ts';

export function buildHelpCard(ctx: Pick<BotContext, 't' | 'locale'>, registry: CommandRegistry, title?: string): Card {
  const lines = registry.list().map((c) => {
    const words = [c.name, ...(c.aliases ?? []).filter((a) => /\p{Script=Han}/u.test(a))].map((w) => `\`${w}\``).join(' / ');
    return `• ${words} — ${ctx.t(c.summary)}${c.usage ? `\n  ${ctx.t({ en: 'usage', 'zh-CN': '用法' })}: \`${c.usage}\`` : ''}`;
  });
  return card({
    title: title ?? ctx.t({ en: 'Help', 'zh-CN': '帮助 Help' }),
    tone: 'info',
    blocks: [
      text(lines.join('\n')),
      note(
        ctx.t({
          en: 'Type a command in a DM, after /kpi, or after @mentioning the bot in a group.',
          'zh-CN': '私聊直接输入命令；群里用 /kpi 或 @机器人 加命令。',
        }),
      ),
    ],
  });
}

export function registerHelp(registry: CommandRegistry): void {
  registry.register({
    name: 'help',
    aliases: ['帮助', '?', '？', '菜单', 'menu'],
    summary: { en: 'show what the bot can do', 'zh-CN': '显示机器人能做什么' },
    async run(ctx) {
      await ctx.reply({ kind: 'card', card: buildHelpCard(ctx, registry) });
    },
  });
}

/** The short hint for text that is not a command: what was not understood and the closest match. */
export function buildUsageHint(ctx: Pick<BotContext, 't'>, word: string, suggestion?: string): Card {
  const lines = [
    ctx.t({ en: `I don't know the command "${word}".`, 'zh-CN': `没有找到命令“${word}”。` }),
    suggestion ? ctx.t({ en: `Did you mean \`${suggestion}\`?`, 'zh-CN': `你是不是想输入 \`${suggestion}\`？` }) : '',
    ctx.t({ en: 'Send `help` to see every command.', 'zh-CN': '发送 `帮助` 或 `help` 查看全部命令。' }),
  ];
  return card({ title: ctx.t({ en: 'Not understood', 'zh-CN': '没看懂' }), tone: 'warning', blocks: [text(lines.filter(Boolean).join('\n'))] });
}
