/**
 * "展开 / More" under a digest: every KPI of the team (headline and the rest) for the digest's
 * period, by store, computed again for whoever clicked in this chat (the button's value only says
 * which KPIs and cadence; it is never trusted for access).
 */
import { card, fields, text, type CardBlock } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { metricLabel, periodWord, valueText } from '../../bot/commands/kpi/labels.ts';
import type { Database } from '../../db/client.ts';
import { metricById } from '../../kpi/catalogue/index.ts';
import { queryKpi } from '../../kpi/query.ts';
import { CADENCE_PERIODS, type DigestCadence } from '../compose.ts';
import { cleanKpis } from '../kpi-defaults.ts';
import { usage } from './common.ts';

const MAX_KPIS = 12;
const MAX_STORES = 10;

export function decodeMore(value: string | undefined): { cadence: DigestCadence; kpis: string[] } | null {
  try {
    const v = JSON.parse(value ?? '') as { c?: unknown; k?: unknown };
    const cadence = typeof v.c === 'string' && v.c in CADENCE_PERIODS ? (v.c as DigestCadence) : null;
    const kpis = Array.isArray(v.k) ? cleanKpis(v.k.filter((x): x is string => typeof x === 'string')).slice(0, MAX_KPIS) : [];
    return cadence && kpis.length ? { cadence, kpis } : null;
  } catch {
    return null;
  }
}

export async function showMore(database: Database, ctx: BotContext, value: string | undefined, now: Date): Promise<void> {
  const more = decodeMore(value);
  if (!more) {
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is no longer active.', 'zh-CN': '这个按钮已失效。' }) });
    return;
  }
  const spec = CADENCE_PERIODS[more.cadence];
  const r = await queryKpi(database, { workspaceId: ctx.workspace.id, principal: ctx.audience, now, metrics: more.kpis, period: spec.period, groupBy: 'store' });
  const defs = more.kpis.map((id) => metricById(id)!).filter((d) => r.missing?.[d.id] !== 'forbidden');
  const blocks: CardBlock[] = [
    fields(defs.map((d) => ({ label: metricLabel(d, ctx.locale), value: valueText(d, r.total[d.id], r.currency, ctx.locale) }))),
  ];
  const rows = r.rows.slice(0, MAX_STORES).map((row) => {
    const values = defs.slice(0, 6).map((d) => `${metricLabel(d, ctx.locale)} ${valueText(d, typeof row[d.id] === 'number' ? (row[d.id] as number) : null, r.currency, ctx.locale)}`);
    return `**${String(row.store)}** ${values.join(' · ')}`;
  });
  if (rows.length) blocks.push(text(rows.join('\n')));
  await ctx.reply({
    kind: 'card',
    card: card({ title: `${ctx.t({ en: 'More', 'zh-CN': '展开' })} · ${periodWord(spec.period, ctx.locale)} · ${ctx.t({ en: 'by store', 'zh-CN': '按店铺' })}`, tone: 'info', blocks }),
  });
  await usage(database, ctx, 'digest_read');
}
