/**
 * `score template [position]` shows the scorecards; admins edit them:
 * `score template set 运营 gmv:30 net_margin:20 tacos:15 return_rate:10 listing_updates:10 task_on_time_rate:15`
 * (`metric:weight[:cap %]`) and `score template veto 运营 fake_orders red_line:odr`. A refused
 * save names the broken rule (weights summing to 100, 5–50 % each, 3–7 KPIs, a process KPI…).
 */
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { metricOf } from '../../goals/chat/args.ts';
import { metricLabel } from '../../goals/reason.ts';
import type { ScoreTemplateItem, VetoCode, VetoRule } from '../../db/schema/index.ts';
import { ScoreError } from '../errors.ts';
import { loadTemplates, saveTemplate } from '../template-repo.ts';
import { capOf, positionOf, VETO_LABEL, type ScoreTemplate } from '../templates.ts';

function templateText(t: ScoreTemplate, locale: 'zh-CN' | 'en'): string {
  const items = t.items.map((i) => `• ${metricLabel(i.metricId, locale)} (${i.metricId}) ${i.weight} % · ${locale === 'zh-CN' ? '封顶' : 'cap'} ${Math.round(capOf(i, t) * 100)} %`);
  const vetoes = t.vetoes.map((v) => `${VETO_LABEL[v.code]?.[locale] ?? v.code}${v.metricId ? `:${v.metricId}` : ''}`).join('、');
  return [`**${t.position}** · ${t.name}`, ...items, `${locale === 'zh-CN' ? '否决项（封顶 60 分）' : 'Vetoes (cap 60)'}: ${vetoes || '—'}`].join('\n');
}

function positionArg(word: string | undefined): string {
  const p = word ? positionOf(word) ?? word.trim() : undefined;
  if (!p) throw new ScoreError('invalid_argument', 'name a position: 运营, 投手, 客服, 内容, 店长, 采购', { zh: '请写明岗位：运营、投手、客服、内容、店长、采购', field: 'position' });
  return p;
}

function parseItems(tokens: string[]): { items: ScoreTemplateItem[]; defaultCap?: number } {
  const items: ScoreTemplateItem[] = [];
  let defaultCap: number | undefined;
  for (const tok of tokens) {
    const parts = tok.normalize('NFKC').split(':').map((s) => s.trim());
    const capOfText = (s: string) => (s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s) > 3 ? Number(s) / 100 : Number(s));
    if (parts[0]?.toLowerCase() === 'cap' && parts[1]) {
      defaultCap = capOfText(parts[1]);
      continue;
    }
    const metricId = metricOf(parts[0] ?? '') ?? parts[0] ?? '';
    const weight = Number((parts[1] ?? '').replace(/%$/, ''));
    if (parts.length < 2 || !Number.isFinite(weight)) {
      throw new ScoreError('invalid_argument', `"${tok.slice(0, 40)}" is not metric:weight (e.g. gmv:30)`, { zh: `“${tok.slice(0, 40)}”不是 指标:权重（例如 gmv:30）`, rule: 'item_syntax' });
    }
    items.push({ metricId, weight, ...(parts[2] ? { cap: capOfText(parts[2]) } : {}) });
  }
  return { items, ...(defaultCap !== undefined ? { defaultCap } : {}) };
}

function parseVetoes(tokens: string[]): VetoRule[] {
  return tokens.map((tok) => {
    const [code, metric] = tok.normalize('NFKC').split(':').map((s) => s.trim());
    return { code: (code ?? '') as VetoCode, ...(metric ? { metricId: metricOf(metric) ?? metric } : {}) };
  });
}

export async function templateCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const sub = (args[0] ?? '').toLowerCase();
  if (sub === 'set' || sub === '设置' || sub === 'veto' || sub === '否决项') {
    const position = positionArg(args[1]);
    const tokens = args.slice(2);
    const change = sub === 'set' || sub === '设置' ? { position, ...parseItems(tokens) } : { position, vetoes: parseVetoes(tokens) };
    const saved = await saveTemplate(fd.database, ctx.asker, change);
    await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: `Scorecard of ${position} saved`, 'zh-CN': `${position} 考核模板已保存` }), tone: 'success', blocks: [text(templateText(saved, ctx.locale))] }) });
    return;
  }
  if (ctx.asker.role === 'member' || ctx.asker.kind === 'external') throw new ScoreError('forbidden', 'scorecards are for enrolled people', { zh: '考核模板仅对已登记成员开放' });
  const all = await loadTemplates(fd.database, ctx.workspace.id);
  const list = args[0] ? all.filter((t) => t.position === positionArg(args[0])) : all;
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Scorecard templates', 'zh-CN': '考核模板' }), tone: 'info', blocks: [text(list.map((t) => templateText(t, ctx.locale)).join('\n\n') || '—')] }) });
}
