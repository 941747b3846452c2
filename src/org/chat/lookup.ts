/**
 * Names typed in org commands (`@carol`, `@李强`, `team:amazon-us`, `团队:亚马逊美国`,
 * `store:us-main`) resolved with the shared parser and resolver (src/bot/parse, src/bot/resolve.ts).
 * An unknown name is answered here with the closest matches, so commands only see ids.
 */
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { parseMention, parseScopeToken } from '../../bot/parse/index.ts';
import { resolveStore, resolveTeam, resolveUser, type Resolved } from '../../bot/resolve.ts';
import type { Database } from '../../db/client.ts';

type Kind = 'user' | 'team' | 'store';

const NOUN: Record<Kind, { en: string; 'zh-CN': string }> = {
  user: { en: 'person', 'zh-CN': '用户' },
  team: { en: 'team', 'zh-CN': '团队' },
  store: { en: 'store', 'zh-CN': '店铺' },
};

async function notFound(ctx: BotContext, kind: Kind, typed: string, suggestions: string[]): Promise<void> {
  const t = typed.replace(/[`*_]/g, '').slice(0, 40);
  const prefix = kind === 'user' ? '@' : `${kind}:`;
  const lines = [ctx.t({ en: `No ${NOUN[kind].en} "${t}".`, 'zh-CN': `没有找到${NOUN[kind]['zh-CN']}“${t}”。` })];
  if (suggestions.length) {
    const list = suggestions.map((s) => `\`${prefix}${s}\``).join(ctx.t({ en: ' or ', 'zh-CN': ' 或 ' }));
    lines.push(ctx.t({ en: `Did you mean ${list}?`, 'zh-CN': `你是不是想输入 ${list}？` }));
  }
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not found', 'zh-CN': '未找到' }), tone: 'warning', blocks: [text(lines.join('\n'))] }) });
}

async function finish(ctx: BotContext, kind: Kind, typed: string, r: Resolved): Promise<string | undefined> {
  if (r.ok) return r.id;
  await notFound(ctx, kind, typed, r.suggestions);
  return undefined;
}

/** The arguments split into the first mention, the first `team:`, the first `store:` and the rest. */
export interface OrgArgs {
  mention?: string;
  team?: string;
  store?: string;
  rest: string[];
}

export function splitArgs(args: string[]): OrgArgs {
  const out: OrgArgs = { rest: [] };
  for (const a of args) {
    const mention = parseMention(a);
    if (mention !== undefined && out.mention === undefined) {
      out.mention = mention;
      continue;
    }
    const scope = parseScopeToken(a);
    if (scope?.dim === 'team' && out.team === undefined) out.team = scope.text;
    else if (scope?.dim === 'store' && out.store === undefined) out.store = scope.text;
    else out.rest.push(a);
  }
  return out;
}

/** The user id for `@x`, or undefined after telling the asker what is wrong. */
export async function lookupUser(database: Database, ctx: BotContext, typed: string): Promise<string | undefined> {
  const r = await resolveUser(database, ctx.workspace.id, typed, { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey });
  return finish(ctx, 'user', typed, r);
}

export async function lookupTeam(database: Database, ctx: BotContext, typed: string): Promise<string | undefined> {
  return finish(ctx, 'team', typed, await resolveTeam(database, ctx.workspace.id, typed));
}

export async function lookupStore(database: Database, ctx: BotContext, typed: string): Promise<string | undefined> {
  return finish(ctx, 'store', typed, await resolveStore(database, ctx.workspace.id, typed));
}
