/**
 * `adjust request <goal> [target <value> | exclude <from>..<to> | exclude kpi] reason:<code> ["note"]
 * [evidence:<url>]` (without an action the KPI is excluded from the score) and, for platforms
 * without buttons, `adjust approve|reject <request>` — the same checks as the card's 批准 / 驳回.
 */
import { card, fields, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { parseAmount, parseOptions } from '../../bot/parse/index.ts';
import { goalId } from '../../goals/chat/args.ts';
import { goalDeps } from '../../goals/chat/common.ts';
import { goalLine } from '../../goals/cards.ts';
import { adjustmentWhat } from '../adjustment-cards.ts';
import { decideAdjustment, REASON_CODES, requestAdjustment, type AdjustmentInput } from '../adjustments.ts';
import { ScoreError } from '../errors.ts';

export const ADJUST_EXAMPLES = [
  'adjust request 12 target 9000 reason:stockout "断货 11/3–11/9"',
  'adjust request 12 exclude 2026-11-03..2026-11-09 reason:logistics_delay "港口拥堵"',
  'adjust request 12 reason:store_suspension "店铺冻结"',
  'adjust approve 7',
];

function usage(): never {
  throw new ScoreError('invalid_argument', `use: ${ADJUST_EXAMPLES[0]} (reasons: ${REASON_CODES.join(', ')})`, { zh: `用法：${ADJUST_EXAMPLES[0]}（原因：${REASON_CODES.join('、')}）`, rule: 'usage' });
}

export function parseAdjustArgs(args: string[]): AdjustmentInput {
  const { options, rest } = parseOptions(args, { reason: ['原因'], evidence: ['证据', 'screenshot', '截图'] });
  const id = goalId(rest[0]);
  if (id === undefined) usage();
  if (!options.reason) throw new ScoreError('invalid_argument', `a reason code is required: reason:${REASON_CODES.join('|')}`, { field: 'reason', zh: `需要原因代码：reason:${REASON_CODES.join('|')}`, rule: 'reason_code' });
  const words = rest.slice(1);
  const evidence = options.evidence ? [options.evidence] : [];
  const base = { goalId: id, reason: options.reason.toLowerCase(), evidence };
  const verb = (words[0] ?? '').normalize('NFKC').toLowerCase();
  if (verb === 'target' || verb === '目标') {
    const amount = parseAmount(words[1] ?? '');
    if (!amount) usage();
    return { ...base, action: 'change_target', target: amount.percent ? amount.value / 100 : amount.value, note: words.slice(2).join(' ') || null };
  }
  if (verb === 'exclude' || verb === '剔除' || verb === '排除') {
    const what = (words[1] ?? '').normalize('NFKC');
    if (what.toLowerCase() === 'kpi' || what === '指标') return { ...base, action: 'exclude_kpi', note: words.slice(2).join(' ') || null };
    const m = /^(\d{4}-\d{2}-\d{2})(?:\.\.|~|到)?(\d{4}-\d{2}-\d{2})?$/.exec(what);
    if (!m) usage();
    return { ...base, action: 'exclude_dates', from: m[1]!, to: m[2] ?? m[1]!, note: words.slice(2).join(' ') || null };
  }
  return { ...base, action: 'exclude_kpi', note: words.join(' ') || null };
}

/** 批准 / 驳回 from a card or typed: decide, then say what happened. */
export async function decideAndSay(fd: FeatureDeps, ctx: BotContext, id: number, approve: boolean): Promise<void> {
  const r = await decideAdjustment(goalDeps(fd), ctx.asker, id, approve);
  const title = approve ? { en: `Approved: adjustment #${id}`, 'zh-CN': `已批准：调整申请 #${id}` } : { en: `Rejected: adjustment #${id}`, 'zh-CN': `已驳回：调整申请 #${id}` };
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t(title), tone: 'success', blocks: [text(goalLine(r.goal, ctx.locale))] }) });
}

export async function adjustCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const sub = (args[0] ?? '').normalize('NFKC').toLowerCase();
  if (sub === 'approve' || sub === 'reject' || sub === '批准' || sub === '驳回') {
    const id = goalId(args[1]);
    if (id === undefined) usage();
    return decideAndSay(fd, ctx, id, sub === 'approve' || sub === '批准');
  }
  if (sub !== 'request' && sub !== '申请') usage();
  const r = await requestAdjustment(goalDeps(fd), ctx.asker, parseAdjustArgs(args.slice(1)));
  await ctx.reply({
    kind: 'card',
    card: card({
      title: ctx.t({ en: `Adjustment request #${r.request.id} sent`, 'zh-CN': `调整申请 #${r.request.id} 已提交` }),
      tone: 'success',
      blocks: [
        text(goalLine(r.goal, ctx.locale)),
        fields([
          { label: ctx.t({ en: 'Change', 'zh-CN': '调整' }), value: adjustmentWhat(r.request, r.goal, ctx.locale) },
          { label: ctx.t({ en: 'Approver', 'zh-CN': '审批人' }), value: r.approver ?? '—' },
        ]),
      ],
    }),
  });
}
