/**
 * What the insight commands share: the read permission, number and date formats on cards, the
 * button value codec (the command's own words travel in it, so a click rebuilds the same card
 * for the clicker's chat), and replacing the clicked card in place.
 */
import { sql } from 'drizzle-orm';
import { canSeeMetricClass } from '../../access/authorize.ts';
import type { Principal } from '../../access/types.ts';
import type { OutboundMessage } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { tr, type Locale } from '../../bot/language.ts';
import type { Database } from '../../db/client.ts';
import { metricFormat } from '../../kpi/chart-input.ts';
import type { MetricDef } from '../../kpi/types.ts';
import { formatDay, formatValue } from '../../render/index.ts';
import { seesAllStores } from '../anomaly/stores.ts';

export const canRead = (p: Principal) => canSeeMetricClass(p, 'sales');

export const langOf = (ctx: BotContext) => (ctx.locale === 'en' ? 'en' : 'zh');

export function windowWords(ctx: BotContext, days: number): string {
  return days === 1 ? ctx.t({ en: 'yesterday', 'zh-CN': '昨天' }) : ctx.t({ en: `last ${days} days`, 'zh-CN': `近${days}天` });
}

/** The card title's scope: what was asked, else all stores or the stores this chat may see. */
export function scopeWords(ctx: BotContext, asked: string | undefined): string {
  if (asked) return asked;
  if (seesAllStores(ctx.audience)) return ctx.t({ en: 'all stores', 'zh-CN': '全部店铺' });
  return ctx.chat.kind === 'group' ? ctx.t({ en: 'this team’s stores', 'zh-CN': '本团队店铺' }) : ctx.t({ en: 'your stores', 'zh-CN': '你的店铺' });
}

export function dayText(ctx: BotContext, iso: string): string {
  return formatDay(iso, langOf(ctx), { weekday: true });
}

export function valueOf(ctx: BotContext, def: MetricDef, v: number | null | undefined, currency: string): string {
  return formatValue(v, metricFormat(def, currency), langOf(ctx));
}

export function pct(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)} %`;
}

export function money(ctx: BotContext, v: number | null | undefined, currency: string): string {
  return formatValue(v, { unit: 'money', currency }, langOf(ctx));
}

export function zText(z: number): string {
  if (!Number.isFinite(z)) return z > 0 ? '+∞' : '−∞';
  return `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)}`;
}

/**
 * Button values: the command's words (`a`), the object key (`k`), the tag (`t`) and the card's
 * language (`l`: a click carries no text to pick one from). Handlers rebuild the card from the
 * words for the clicker's chat and act only on a line it still shows.
 */
export interface ButtonValue {
  a: string[];
  k: string;
  t: string;
  l?: Locale;
}

export function encodeValue(v: ButtonValue): string {
  return JSON.stringify(v);
}

export function decodeValue(value: string | undefined): ButtonValue | null {
  try {
    const v = JSON.parse(value ?? '') as Partial<ButtonValue>;
    if (!Array.isArray(v.a) || v.a.some((x) => typeof x !== 'string') || typeof v.k !== 'string' || typeof v.t !== 'string') return null;
    const l = v.l === 'en' || v.l === 'zh-CN' ? { l: v.l } : {};
    return { a: v.a.slice(0, 10).map((x) => x.slice(0, 200)), k: v.k.slice(0, 300), t: v.t.slice(0, 40), ...l };
  } catch {
    return null;
  }
}

/** The context in the language the clicked card was written in. */
export function inLocale(ctx: BotContext, locale: Locale | undefined): BotContext {
  return locale && locale !== ctx.locale ? { ...ctx, locale, t: (x) => tr(locale, x) } : ctx;
}

export function actorLabel(ctx: BotContext): string {
  return ctx.asker.displayName ?? ctx.event.user.displayName ?? ctx.asker.userId ?? ctx.event.user.id;
}

/** Replaces the card whose button was clicked; a new reply when it cannot be edited. */
export async function replaceClicked(database: Database, ctx: BotContext, message: OutboundMessage): Promise<void> {
  const e = ctx.event;
  if (e.kind === 'action' && ctx.capabilities.updateInPlace) {
    const [row] = await database.query<{ id: number }>(sql`
      select id from deliveries where platform = ${e.platform} and message_ref ->> 'messageId' = ${e.message.messageId} order by id desc limit 1`);
    if (row) {
      await ctx.update({ ref: e.message, deliveryId: row.id }, message);
      return;
    }
  }
  await ctx.reply(message);
}
