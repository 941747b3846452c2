/**
 * The engine's `alert` sub-commands: `alert rule add|list|remove|test` and `alert mute|unmute`
 * (ARCHITECTURE.md chat grammar `alert rule add roas < 2 store:shopee-sg`). Writing rules and
 * mutes needs `alert.rule.write` for every store named (managers and operators within their
 * scope, admins anywhere); listing and testing is for anyone who may read. `test` computes what
 * the rule would have fired over the last 30 days and sends nothing.
 */
import { authorize } from '../../access/authorize.ts';
import { card, fields, note, text, type Field } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { Database } from '../../db/client.ts';
import { alertMutes } from '../../db/schema/index.ts';
import { notDone, notUnderstood } from '../../digests/chat/common.ts';
import { and, eq } from 'drizzle-orm';
import { isValidDate } from '../../kpi/dates.ts';
import { parseRuleSpec } from '../rules/parse.ts';
import { addRule, listRules, removeRule, testRule } from '../rules/repo.ts';
import type { RuleRow } from '../evaluate/types.ts';

export const RULE_EXAMPLES = [
  'alert rule add acos > 1.2x target min:spend>=500 store:us-main',
  'alert rule add roas < 2 store:shopee-sg',
  'alert rule add days_of_cover < 1x lead_time per:sku',
  'alert rule add change gmv 30% critical',
  'alert rule add freshness dm',
  'alert rule add return_rate > 8% trial:7d',
  'alert rule list', 'alert rule test 3', 'alert rule remove 3',
];
export const MUTE_EXAMPLES = ['alert mute store:us-main until 2026-12-31 清仓', 'alert mute sku:A1 until 12-31', 'alert unmute store:us-main'];

const MAX_RULE_ID = 1e15;

function mayWrite(ctx: BotContext, stores: string[] | undefined): boolean {
  if (!stores?.length) return authorize(ctx.asker, 'alert.rule.write', {}).ok && (ctx.asker.scope.all || ctx.asker.role === 'admin');
  return stores.every((storeId) => authorize(ctx.asker, 'alert.rule.write', { storeId }).ok);
}

export function ruleLine(r: RuleRow): string {
  const c = r.condition;
  const what = r.type === 'threshold' && c ? `${r.metricId} ${c.op} ${c.value}${c.of ? `x ${c.of}` : ''}${c.min ? ` min:${c.min.metric}>=${c.min.value}` : ''}`
    : r.type === 'sudden_change' ? `change ${r.metricId} ${Math.round((c?.value ?? 0.3) * 100)}%` : r.type;
  const scope = Object.entries(r.scope).filter(([k]) => k !== 'per').map(([k, v]) => `${k}:${(v as string[]).join(',')}`).join(' ');
  const flags = [r.severity, r.route === 'owner' ? 'dm' : '', r.trialUntil ? `trial→${r.trialUntil.toISOString().slice(0, 10)}` : '', r.enabled ? '' : 'off'].filter(Boolean).join(' ');
  return `**#${r.id}** ${r.name ? `${r.name} · ` : ''}\`${what}\`${scope ? ` ${scope}` : ''} · per ${r.scope.per ?? 'store'} · ${r.windowDays}d · ${flags}`;
}

async function add(database: Database, ctx: BotContext, words: string[], now: Date): Promise<void> {
  const parsed = parseRuleSpec(words);
  if (!parsed.ok) return notUnderstood(ctx, parsed.reason, RULE_EXAMPLES);
  if (!mayWrite(ctx, parsed.spec.scope.store)) return notDone(ctx, { en: 'Only admins, and managers or operators for their own stores, add alert rules.', 'zh-CN': '只有管理员，以及经理或运营（限自己的店铺）可以添加预警规则。' });
  const r = await addRule(database, ctx.workspace.id, parsed.spec, ctx.asker.userId ?? `${ctx.event.platform}:${ctx.event.user.id}`, now);
  if (!r.ok) return notDone(ctx, r.reason);
  const rule = (await listRules(database, ctx.workspace.id)).find((x) => x.id === r.id)!;
  const firing = ctx.t({ en: `Right now it fires for ${r.firing}.`, 'zh-CN': `按当前数据会触发 ${r.firing} 项。` });
  const trial = rule.trialUntil ? ctx.t({ en: ' Trial mode: cards go to admins only until then.', 'zh-CN': ' 试运行：在此之前只发给管理员。' }) : '';
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: 'Alert rule added', 'zh-CN': '预警规则已添加' }), tone: 'success', blocks: [text(ruleLine(rule)), note(firing + trial)] }) });
}

async function list(database: Database, ctx: BotContext): Promise<void> {
  const rules = await listRules(database, ctx.workspace.id);
  const body = rules.length ? rules.map(ruleLine).join('\n') : ctx.t({ en: 'No rules yet.', 'zh-CN': '还没有规则。' });
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: `Alert rules (${rules.length})`, 'zh-CN': `预警规则（${rules.length}）` }), tone: 'info', blocks: [text(body), note(ctx.t({ en: 'Add with `alert rule add …`; try one with `alert rule test <id>`.', 'zh-CN': '用 `alert rule add …` 添加；`alert rule test <id>` 试算。' }))] }) });
}

function ruleId(word: string | undefined): number | undefined {
  const m = /^#?(\d{1,15})$/.exec((word ?? '').normalize('NFKC'));
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 && n < MAX_RULE_ID ? n : undefined;
}

async function remove(database: Database, ctx: BotContext, words: string[]): Promise<void> {
  const id = ruleId(words[0]);
  if (id === undefined || words.length !== 1) return notUnderstood(ctx, { en: 'Say which rule: `alert rule remove <id>`.', 'zh-CN': '请写规则编号：`alert rule remove <id>`。' }, RULE_EXAMPLES);
  const rule = (await listRules(database, ctx.workspace.id)).find((r) => r.id === id);
  if (!rule) return notDone(ctx, { en: `No rule #${id}.`, 'zh-CN': `没有规则 #${id}。` });
  if (!mayWrite(ctx, rule.scope.store)) return notDone(ctx, { en: 'You may not remove this rule.', 'zh-CN': '你不能删除这条规则。' });
  await removeRule(database, ctx.workspace.id, id);
  await ctx.reply({ kind: 'text', markdown: ctx.t({ en: `Rule #${id} removed; its alerts stay in the history.`, 'zh-CN': `规则 #${id} 已删除；其预警记录保留。` }) });
}

async function test(database: Database, ctx: BotContext, words: string[], now: Date): Promise<void> {
  const id = ruleId(words[0]);
  const rule = id === undefined ? undefined : (await listRules(database, ctx.workspace.id)).find((r) => r.id === id);
  if (!rule) return notUnderstood(ctx, { en: 'Say which rule: `alert rule test <id>` (see `alert rule list`).', 'zh-CN': '请写规则编号：`alert rule test <id>`（见 `alert rule list`）。' }, RULE_EXAMPLES);
  const r = await testRule(database, rule, now, 30);
  const byScope = new Map<string, number>();
  for (const h of r.hits) byScope.set(h.scopeKey, (byScope.get(h.scopeKey) ?? 0) + 1);
  const rows: Field[] = [...byScope].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, n]) => ({ label: k, value: ctx.t({ en: `${n} of 30 days`, 'zh-CN': `30 天中 ${n} 天` }) }));
  const blocks = [text(ruleLine(rule)), ...(rows.length ? [fields(rows)] : [text(ctx.t({ en: 'Would not have fired in the last 30 days.', 'zh-CN': '过去 30 天不会触发。' }))])];
  if (r.off.length) blocks.push(note(`${ctx.t({ en: 'Off', 'zh-CN': '未评估' })}: ${r.off.join('; ')}`));
  blocks.push(note(ctx.t({ en: 'Computed only: nothing was sent.', 'zh-CN': '仅试算，未发送任何消息。' })));
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: `Rule #${rule.id}: last 30 days`, 'zh-CN': `规则 #${rule.id}：过去 30 天` }), tone: 'info', blocks }) });
}

export async function ruleCommand(database: Database, ctx: BotContext, args: string[], now: Date): Promise<void> {
  const [verb, ...rest] = args;
  const v = (verb ?? '').toLowerCase();
  if (v === 'add' || v === '添加') return add(database, ctx, rest, now);
  if (v === 'list' || v === '' || v === '列表') return list(database, ctx);
  if (v === 'remove' || v === 'rm' || v === 'delete' || v === '删除') return remove(database, ctx, rest);
  if (v === 'test' || v === '试算') return test(database, ctx, rest, now);
  return notUnderstood(ctx, { en: 'Use `alert rule add|list|remove|test`.', 'zh-CN': '请用 `alert rule add|list|remove|test`。' }, RULE_EXAMPLES);
}

const SCOPE_RE = /^(store:[A-Za-z0-9_.-]{1,64}(\/sku:[A-Za-z0-9_.-]{1,64})?|sku:[A-Za-z0-9_.-]{1,64})$/;

/** `12-31` → this year's (or next year's, once past) date; `2026-12-31` as is. */
function endDate(word: string, today: string): string | undefined {
  const w = word.normalize('NFKC');
  const full = /^\d{4}-\d{2}-\d{2}$/.test(w) ? w : /^\d{1,2}-\d{1,2}$/.test(w) ? `${today.slice(0, 4)}-${w.split('-').map((x) => x.padStart(2, '0')).join('-')}` : undefined;
  if (!full || !isValidDate(full)) return undefined;
  if (full < today && !/^\d{4}-/.test(w)) return `${Number(today.slice(0, 4)) + 1}${full.slice(4)}`;
  return full;
}

export async function muteCommand(database: Database, ctx: BotContext, args: string[], now: Date, unmute = false): Promise<void> {
  const [scope, ...rest] = args;
  if (!scope || !SCOPE_RE.test(scope)) return notUnderstood(ctx, { en: 'Say what to mute: `store:<id>`, `sku:<id>` or `store:<id>/sku:<id>`.', 'zh-CN': '请写要静音的对象：`store:<id>`、`sku:<id>` 或 `store:<id>/sku:<id>`。' }, MUTE_EXAMPLES);
  const store = /^store:([^/]+)/.exec(scope)?.[1];
  if (!mayWrite(ctx, store ? [store] : undefined)) return notDone(ctx, { en: 'You may not mute alerts there.', 'zh-CN': '你不能对该范围静音预警。' });
  if (unmute) {
    const gone = await database.db.delete(alertMutes).where(and(eq(alertMutes.workspaceId, ctx.workspace.id), eq(alertMutes.scopeKey, scope))).returning({ id: alertMutes.id });
    return void (await ctx.reply({ kind: 'text', markdown: ctx.t(gone.length ? { en: `${scope} unmuted.`, 'zh-CN': `${scope} 已取消静音。` } : { en: `${scope} was not muted.`, 'zh-CN': `${scope} 没有被静音。` }) }));
  }
  const words = rest.filter((w) => !/^(until|到|至)$/i.test(w));
  const today = now.toISOString().slice(0, 10);
  const until = words[0] ? endDate(words[0], today) : undefined;
  if (!until || until < today) return notUnderstood(ctx, { en: 'Give an end date from today on: `until 2026-12-31`.', 'zh-CN': '请给出今天及以后的结束日期：`until 2026-12-31`。' }, MUTE_EXAMPLES);
  const reason = words.slice(1).join(' ').slice(0, 200) || null;
  await database.db.insert(alertMutes).values({ workspaceId: ctx.workspace.id, scopeKey: scope, until, reason, createdBy: ctx.asker.userId ?? null });
  await ctx.reply({ kind: 'text', markdown: ctx.t({ en: `No alerts for ${scope} until ${until} (inclusive)${reason ? `: ${reason}` : ''}.`, 'zh-CN': `${scope} 在 ${until}（含）之前不再预警${reason ? `：${reason}` : ''}。` }) });
}
