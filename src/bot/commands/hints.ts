/**
 * Short hints in the asker's language for everything the bot declines: text it cannot read
 * (with the closest known words), questions the asker may not ask, and "slow down". Hints quote
 * at most 40 characters of what was typed, cleaned of control and bidi characters, and never
 * carry data or error details.
 */
import { card, text, type Card } from '../card.ts';
import type { BotContext } from '../context.ts';
import type { ParseHint } from '../parse/types.ts';
import { cleanInput } from '../router.ts';

/** A word as typed, safe to quote: no control/bidi characters, no backticks, ≤ 40 characters. */
export function quoteWord(word: string): string {
  return cleanInput(word).replace(/[`*_]/g, '').trim().slice(0, 40);
}

const HELP_LINE = { en: 'Send `help` to see every command.', 'zh-CN': '发送 `帮助` 或 `help` 查看全部命令。' };

function didYouMean(ctx: Pick<BotContext, 't'>, suggestions: readonly string[]): string {
  if (!suggestions.length) return '';
  const list = suggestions.map((s) => `\`${quoteWord(s)}\``).join(ctx.t({ en: ' or ', 'zh-CN': ' 或 ' }));
  return ctx.t({ en: `Did you mean ${list}?`, 'zh-CN': `你是不是想输入 ${list}？` });
}

function hintCard(ctx: Pick<BotContext, 't'>, lines: string[]): Card {
  return card({ title: ctx.t({ en: 'Not understood', 'zh-CN': '没看懂' }), tone: 'warning', blocks: [text(lines.filter(Boolean).join('\n'))] });
}

/** The short hint for text that is not a command: what was not understood and the closest match. */
export function buildUsageHint(ctx: Pick<BotContext, 't'>, word: string, suggestions?: string | readonly string[]): Card {
  const list = suggestions === undefined ? [] : typeof suggestions === 'string' ? [suggestions] : suggestions;
  const w = quoteWord(word);
  return hintCard(ctx, [
    ctx.t({ en: `I don't know the command "${w}".`, 'zh-CN': `没有找到命令“${w}”。` }),
    didYouMean(ctx, list),
    ctx.t(HELP_LINE),
  ]);
}

const EXAMPLES = '`gmv 7d by store`, `本周 GMV 按店铺`, `acos this month`';

/** A parser hint (ParseHint.reason) as a card; `suggestions` already merged with command words. */
export function buildParseHint(ctx: Pick<BotContext, 't'>, hint: ParseHint, suggestions: readonly string[]): Card {
  const w = quoteWord(hint.word ?? '');
  const first = (() => {
    switch (hint.reason) {
      case 'too_long':
        return ctx.t({ en: 'That message is too long for a question.', 'zh-CN': '这条消息太长了，请缩短后再问。' });
      case 'no_metric':
        return ctx.t({ en: `Which metric? For example ${EXAMPLES}.`, 'zh-CN': `要查哪个指标？例如 ${EXAMPLES}。` });
      case 'bad_period':
        return ctx.t({
          en: `I can't use the period "${w}". Try \`7d\`, \`this month\`, \`last month\`, \`2026-11\` or \`3.1-3.15\`.`,
          'zh-CN': `无法识别时间“${w}”。可以用 \`7天\`、\`本月\`、\`上月\`、\`2026-11\` 或 \`3.1-3.15\`。`,
        });
      case 'bad_number':
        return ctx.t({ en: `I can't read the number "${w}".`, 'zh-CN': `无法识别数字“${w}”。` });
      case 'conflict':
        return ctx.t({ en: `"${w}" contradicts another part of the question.`, 'zh-CN': `“${w}”与问题的其他部分冲突。` });
      case 'empty':
      case 'unknown_word':
      default:
        return w
          ? ctx.t({ en: `I don't understand "${w}".`, 'zh-CN': `没看懂“${w}”。` })
          : ctx.t({ en: `Ask for example ${EXAMPLES}.`, 'zh-CN': `可以这样问：${EXAMPLES}。` });
    }
  })();
  return hintCard(ctx, [first, didYouMean(ctx, suggestions), ctx.t(HELP_LINE)]);
}

/** A KPI question the engine refused (unknown store, a period that has not started…). */
export function buildQueryHint(ctx: Pick<BotContext, 't'>, field: string, suggestion?: string): Card {
  const what: Record<string, { en: string; 'zh-CN': string }> = {
    period: { en: 'That period has no complete day yet or is not one I know.', 'zh-CN': '这个时间段还没有完整数据，或无法识别。' },
    metrics: { en: 'I don’t know that metric.', 'zh-CN': '没有这个指标。' },
    currency: { en: 'Currencies are 3-letter codes such as USD.', 'zh-CN': '币种请用三位代码，例如 USD。' },
    compare: { en: 'Comparing with goals comes with goal tracking.', 'zh-CN': '对比目标需要先设定目标。' },
  };
  return hintCard(ctx, [
    ctx.t(what[field] ?? { en: 'I can’t answer that question as asked.', 'zh-CN': '这个问题暂时无法回答。' }),
    didYouMean(ctx, suggestion ? [suggestion] : []),
    ctx.t(HELP_LINE),
  ]);
}

/** The asker's role may not run this (or see these metrics). No data, no details. */
export function notPermitted(ctx: Pick<BotContext, 't'>): Card {
  return card({
    title: ctx.t({ en: 'Not permitted', 'zh-CN': '无权限' }),
    tone: 'warning',
    blocks: [
      text(
        ctx.t({
          en: 'Sorry, your role may not see this. An admin can change your role if you need it.',
          'zh-CN': '抱歉，你的角色无权查看这些内容。如有需要，请联系管理员调整权限。',
        }),
      ),
    ],
  });
}

/** Too many expensive questions in a short time. */
export function slowDown(ctx: Pick<BotContext, 't'>, waitMs: number): Card {
  const s = Math.max(1, Math.ceil(waitMs / 1000));
  return card({
    title: ctx.t({ en: 'Slow down a little', 'zh-CN': '请稍慢一点' }),
    tone: 'warning',
    blocks: [text(ctx.t({ en: `Too many questions in a short time. Try again in ${s} s.`, 'zh-CN': `提问太频繁了，请 ${s} 秒后再试。` }))],
  });
}

const DIM_NAMES: Record<string, { en: string; 'zh-CN': string }> = {
  store: { en: 'store', 'zh-CN': '店铺' },
  team: { en: 'team', 'zh-CN': '团队' },
  owner: { en: 'person', 'zh-CN': '负责人' },
  sku: { en: 'SKU', 'zh-CN': 'SKU' },
  marketplace: { en: 'site', 'zh-CN': '站点' },
  platform: { en: 'platform', 'zh-CN': '平台' },
  campaign: { en: 'campaign', 'zh-CN': '广告活动' },
};

/** A store, team, person… typed in a question that the workspace does not have. */
export function buildScopeHint(ctx: Pick<BotContext, 't'>, dim: string, word: string, suggestions: readonly string[]): Card {
  const w = quoteWord(word);
  const name = DIM_NAMES[dim] ?? { en: dim, 'zh-CN': dim };
  return hintCard(ctx, [
    ctx.t({ en: `There is no ${name.en} "${w}".`, 'zh-CN': `没有找到${name['zh-CN']}“${w}”。` }),
    didYouMean(ctx, suggestions),
    ctx.t(HELP_LINE),
  ]);
}
