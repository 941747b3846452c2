/**
 * `help` / `帮助`: a card listing every registered command (and the KPI questions the fallback
 * understands) in the asker's language; `help <command>` shows one command's usage and
 * examples. Also the welcome card when the bot joins a group.
 */
import type { Principal } from '../../access/types.ts';
import { card, note, text, type Card } from '../card.ts';
import type { BotContext } from '../context.ts';
import { permits, type CommandRegistry, type CommandSpec, type FallbackSpec } from '../router.ts';
import { buildUsageHint } from './hints.ts';

const HAN = /\p{Script=Han}/u;

function words(c: CommandSpec | FallbackSpec): string {
  const aliases = 'aliases' in c ? (c.aliases ?? []) : [];
  return [c.name, ...aliases.filter((a) => HAN.test(a))].map((w) => `\`${w}\``).join(' / ');
}

/** Every command the asker may run (all of them when `asker` is omitted, e.g. the welcome card). */
export function buildHelpCard(ctx: Pick<BotContext, 't'>, registry: CommandRegistry, title?: string, asker?: Principal): Card {
  const usage = ctx.t({ en: 'usage', 'zh-CN': '用法' });
  // help itself first, then questions in words (the fallback), then every other command.
  const [first, ...rest] = registry.list();
  const all: (CommandSpec | FallbackSpec)[] = [...(first ? [first] : []), ...(registry.fallback ? [registry.fallback] : []), ...rest];
  const lines = all
    .filter((c) => !asker || permits(c.permission, asker))
    .map((c) => `• ${words(c)} — ${ctx.t(c.summary)}${c.usage ? `\n  ${usage}: \`${c.usage}\`` : ''}`);
  return card({
    title: title ?? ctx.t({ en: 'Help', 'zh-CN': '帮助 Help' }),
    tone: 'info',
    blocks: [
      text(lines.join('\n')),
      note(
        ctx.t({
          en: 'Type a command in a DM, after /kpi, or after @mentioning the bot in a group. `help <command>` shows examples.',
          'zh-CN': '私聊直接输入命令；群里用 /kpi 或 @机器人 加命令。`帮助 <命令>` 查看示例。',
        }),
      ),
    ],
  });
}

/** One command: what it does, how to type it, examples to copy. */
export function buildCommandHelp(ctx: Pick<BotContext, 't'>, spec: CommandSpec | FallbackSpec): Card {
  const lines = [ctx.t(spec.summary)];
  const aliases = 'aliases' in spec ? (spec.aliases ?? []) : [];
  if (aliases.length) lines.push(`${ctx.t({ en: 'Also', 'zh-CN': '也可以输入' })}: ${aliases.map((a) => `\`${a}\``).join(' ')}`);
  if (spec.usage) lines.push(`${ctx.t({ en: 'Usage', 'zh-CN': '用法' })}: \`${spec.usage}\``);
  if (spec.examples?.length) {
    lines.push(`${ctx.t({ en: 'Examples', 'zh-CN': '示例' })}:`, ...spec.examples.map((e) => `• \`${e}\``));
  }
  return card({ title: `${ctx.t({ en: 'Help', 'zh-CN': '帮助' })} · ${spec.name}`, tone: 'info', blocks: [text(lines.join('\n'))] });
}

export function registerHelp(registry: CommandRegistry): void {
  registry.register({
    name: 'help',
    aliases: ['帮助', '?', '？', '菜单', 'menu'],
    summary: { en: 'show what the bot can do; `help <command>` for examples', 'zh-CN': '显示机器人能做什么；`帮助 <命令>` 查看示例' },
    usage: 'help [command]',
    examples: ['help', 'help kpi', '帮助 chart'],
    async run(ctx, args) {
      const [word] = args;
      if (!word) {
        await ctx.reply({ kind: 'card', card: buildHelpCard(ctx, registry, undefined, ctx.asker) });
        return;
      }
      const spec = registry.find(word);
      await ctx.reply({
        kind: 'card',
        card: spec ? buildCommandHelp(ctx, spec) : buildUsageHint(ctx, word.slice(0, 40), registry.suggest(word)),
      });
    },
  });
}
