/**
 * What every goal command shares: the services' deps from the feature deps, a refusal in the
 * asker's language for client mistakes (a GoalError or AppError is never an apology for a
 * crash), the "how to type it" hint, and resolving typed scopes and people against the workspace.
 */
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import type { ScopeRef } from '../../bot/parse/types.ts';
import { resolveCategory, resolveMarketplace, resolveSku, resolveStore, resolveTeam, resolveUser, type Resolved } from '../../bot/resolve.ts';
import { AppError } from '../../errors.ts';
import type { GoalDeps } from '../deps.ts';
import { goalErrorText } from '../errors.ts';
import type { GoalScopeLevel } from '../types.ts';

export function goalDeps(fd: FeatureDeps): GoalDeps {
  return { database: fd.database, ...(fd.wakeOutbox ? { wakeOutbox: fd.wakeOutbox } : {}) };
}

export async function refuse(ctx: BotContext, message: string): Promise<void> {
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not done', 'zh-CN': '未执行' }), tone: 'warning', blocks: [text(message)] }) });
}

export async function hint(ctx: BotContext, problem: { en: string; 'zh-CN': string }, examples: string[]): Promise<void> {
  const lines = [ctx.t(problem), `${ctx.t({ en: 'For example', 'zh-CN': '例如' })}:`, ...examples.map((e) => `• \`${e}\``)];
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Not understood', 'zh-CN': '没看懂' }), tone: 'warning', blocks: [text(lines.join('\n'))] }) });
}

/** Runs a handler; client mistakes become a refusal in the asker's language, the rest goes to the bot. */
export async function guarded(ctx: BotContext, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await refuse(ctx, goalErrorText(err, ctx.locale) ?? err.message);
  }
}

const LEVEL: Partial<Record<ScopeRef['dim'], { level: GoalScopeLevel; resolve: (db: FeatureDeps['database'], ws: string, t: string) => Promise<Resolved> }>> = {
  team: { level: 'team', resolve: resolveTeam },
  store: { level: 'store', resolve: resolveStore },
  sku: { level: 'sku', resolve: resolveSku },
  marketplace: { level: 'marketplace', resolve: resolveMarketplace },
  category: { level: 'category', resolve: resolveCategory },
};

export type ScopeAnswer = { ok: true; level: GoalScopeLevel; id: string | null } | { ok: false; message: { en: string; 'zh-CN': string } };

export async function resolveGoalScope(fd: FeatureDeps, ctx: BotContext, ref: ScopeRef | { dim: 'company'; text: '' }): Promise<ScopeAnswer> {
  if (ref.dim === 'company') return { ok: true, level: 'company', id: null };
  const how = LEVEL[ref.dim as ScopeRef['dim']];
  if (!how) return { ok: false, message: { en: `goals are set for a company, team, site, store, category or SKU, not a ${ref.dim}`, 'zh-CN': `目标范围只能是公司、团队、站点、店铺、品类或 SKU` } };
  const r = await how.resolve(fd.database, ctx.workspace.id, ref.text);
  if (r.ok) return { ok: true, level: how.level, id: r.id };
  const also = r.suggestions.length ? ` (${r.suggestions.slice(0, 3).join(', ')}?)` : '';
  return { ok: false, message: { en: `no ${ref.dim} "${ref.text.slice(0, 40)}"${also}`, 'zh-CN': `找不到“${ref.text.slice(0, 40)}”${also}` } };
}

export async function resolvePerson(fd: FeatureDeps, ctx: BotContext, typed: string): Promise<{ ok: true; id: string } | { ok: false; message: { en: string; 'zh-CN': string } }> {
  const r = await resolveUser(fd.database, ctx.workspace.id, typed, { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey });
  if (r.ok) return { ok: true, id: r.id };
  const also = r.suggestions.length ? ` (${r.suggestions.slice(0, 3).join(', ')}?)` : '';
  return { ok: false, message: { en: `no enrolled person "${typed.slice(0, 40)}"${also}`, 'zh-CN': `找不到成员“${typed.slice(0, 40)}”${also}` } };
}
