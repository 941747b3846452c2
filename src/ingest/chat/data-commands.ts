/**
 * The `data` command's other subcommands (data-status.ts routes here):
 * - `data report <run>` / `数据 报告 <编号>`: an import's row report (first rows; the CSV over REST);
 * - `data check store:us-main gmv 2026-11-16..2026-11-22 12345.67 USD` / `数据 核对 …`: a value
 *   typed from the marketplace back-end, compared now with every source (and kept for the weekly
 *   reconciliation of that week);
 * - `data source primary store:us-main orders api` / `数据 数据源 主 …` (admins): which source
 *   counts for a store and dataset, audited (switchPrimarySource).
 */
import { authorize, inScope } from '../../access/authorize.ts';
import { card, fields, note, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import { isAppError } from '../../errors.ts';
import { actorOf } from '../../goals/access.ts';
import { manualChecksFor, recordManualCheck } from '../manual-checks.ts';
import { loadLookups } from '../pipeline/lookups.ts';
import { PRIORITY_TABLES, switchPrimarySource, type PriorityDataset } from '../pipeline/primary-source.ts';
import { reconcile, type ReconcileQuery } from '../reconciliation.ts';
import { getRun } from '../runs.ts';
import { datasetFromWord } from './dataset-names.ts';
import { issueLine } from './import-card.ts';
import { reconcileCard } from './reconcile-card.ts';

type Sub = (ctx: BotContext, args: string[], deps: FeatureDeps) => Promise<void>;

/** Difference flagged by `data check` and the weekly job (2 %: rounding and late refunds stay below). */
export const CHECK_THRESHOLD = 0.02;
export const FACT_SOURCES: readonly FactSource[] = ['api', 'erp_file', 'manual', 'push', 'demo'];
const REPORT_ROWS = 10;

const say = (ctx: BotContext, en: string, zh: string) => ctx.reply({ kind: 'text', markdown: ctx.t({ en, 'zh-CN': zh }) });

const CHECK_MEASURES: Record<string, ReconcileQuery['dataset']> = {
  gmv: 'orders', sales: 'orders', gross_sales: 'orders', 销售额: 'orders', orders: 'orders',
  spend: 'ads', ad_spend: 'ads', 广告花费: 'ads', 花费: 'ads', ads: 'ads',
};

const report: Sub = async (ctx, args, deps) => {
  const id = Number(args[0]);
  if (!Number.isInteger(id) || id <= 0) return void (await say(ctx, 'Try `data report <run number>` (the number is on the import card).', '请输入 `数据 报告 <编号>`（编号见导入卡片）。'));
  if (ctx.asker.role === 'member') return void (await say(ctx, 'Row reports are for enrolled people.', '行报告仅向已登记成员开放。'));
  const run = await getRun(deps.database, ctx.workspace.id, id);
  if (!run) return void (await say(ctx, `No import ${id} in this workspace.`, `本工作区没有编号为 ${id} 的导入。`));
  const list = run.issues.slice(0, REPORT_ROWS).map(issueLine);
  const more = run.rowsRejected > REPORT_ROWS || run.issuesTruncated;
  await ctx.reply({
    kind: 'card',
    card: card({
      title: ctx.t({ en: `Import ${id}: ${run.dataset} · ${run.status}`, 'zh-CN': `导入 ${id}：${run.dataset} · ${run.status}` }),
      tone: run.status === 'failed' ? 'critical' : run.status === 'partial' ? 'warning' : 'success',
      blocks: [
        fields({
          [ctx.t({ en: 'File', 'zh-CN': '文件' })]: (run.fileName ?? '—').replace(/[`*_]/g, ''),
          [ctx.t({ en: 'Rows', 'zh-CN': '行数' })]: ctx.t({ en: `${run.rowsAccepted} imported · ${run.rowsRejected} rejected`, 'zh-CN': `${run.rowsAccepted} 行导入 · ${run.rowsRejected} 行被拒` }),
          ...(run.dataFromDate ? { [ctx.t({ en: 'Dates', 'zh-CN': '日期' })]: `${run.dataFromDate} – ${run.dataThroughDate}` } : {}),
        }),
        text(list.length ? list.join('\n') : run.errorMessage ?? ctx.t({ en: 'No row errors.', 'zh-CN': '没有行错误。' })),
        ...(more || list.length ? [note(ctx.t({ en: `All rows: GET /api/v1/imports/runs/${id}?format=csv`, 'zh-CN': `全部行：GET /api/v1/imports/runs/${id}?format=csv` }))] : []),
      ],
    }),
  });
};

const RANGE = /^(\d{4}-\d{2}-\d{2})(?:\.\.|~|至)(\d{4}-\d{2}-\d{2})$/;

const check: Sub = async (ctx, args, deps) => {
  const usage = () => say(ctx, 'Try `data check store:us-main gmv 2026-11-16..2026-11-22 12345.67 USD` (gmv or spend, the days, the total the marketplace shows).', '请输入 `数据 核对 store:us-main 销售额 2026-11-16..2026-11-22 12345.67 USD`（销售额或广告花费、日期范围、后台显示的合计）。');
  let storeText: string | undefined;
  let dataset: ReconcileQuery['dataset'] | undefined;
  let range: [string, string] | undefined;
  let value: number | undefined;
  let currency: string | undefined;
  for (const a of args) {
    const store = /^(?:store|店铺)[:：](.+)$/i.exec(a);
    const r = RANGE.exec(a);
    if (store) storeText = store[1];
    else if (r) range = [r[1]!, r[2]!];
    else if (/^\d{4}-\d{2}-\d{2}$/.test(a)) range = [a, a];
    else if (CHECK_MEASURES[a.toLowerCase()]) dataset = CHECK_MEASURES[a.toLowerCase()];
    else if (/^-?[\d,]+(?:\.\d+)?$/.test(a)) value = Number(a.replace(/,/g, ''));
    else if (/^[A-Za-z]{3}$/.test(a)) currency = a.toUpperCase();
    else return void (await usage());
  }
  if (!storeText || !dataset || !range || value === undefined || !Number.isFinite(value) || range[0] > range[1]) return void (await usage());
  const lookups = await loadLookups(deps.database, ctx.workspace.id);
  const store = lookups.store(storeText);
  if (!store) return void (await say(ctx, `No store "${storeText.slice(0, 40)}" here.`, `没有店铺“${storeText.slice(0, 40)}”。`));
  if (currency && currency !== store.currency) return void (await say(ctx, `${store.id} reports in ${store.currency}: type the value in ${store.currency}.`, `${store.id} 的币种是 ${store.currency}，请按 ${store.currency} 填写。`));
  const allowed = authorize(ctx.asker, 'data.export', { storeId: store.id, teamId: store.teamId ?? undefined, dataset });
  if (!allowed.ok || (ctx.chat.kind === 'group' && !inScope(ctx.audience.scope, { storeId: store.id, teamId: store.teamId ?? undefined }))) {
    return void (await say(ctx, 'You cannot check that store’s data here.', '你不能在这里核对该店铺的数据。'));
  }
  const q = { workspaceId: ctx.workspace.id, dataset, from: range[0], to: range[1], threshold: CHECK_THRESHOLD };
  await recordManualCheck(deps.database, ctx.workspace.id, { storeId: store.id, dataset, from: q.from, to: q.to, value, currency: store.currency }, actorOf(ctx.asker));
  const manual = await manualChecksFor(deps.database, ctx.workspace.id, dataset, q.from, q.to);
  const result = await reconcile(deps.database, { ...q, storeIds: [store.id], manual: { [store.id]: manual[store.id] ?? value } });
  await ctx.reply({ kind: 'card', card: reconcileCard(ctx, q, result.rows, result.flagged) });
};

const source: Sub = async (ctx, args, deps) => {
  const usage = () => say(ctx, `Try \`data source primary store:us-main orders api\` (datasets: ${Object.keys(PRIORITY_TABLES).join(', ')}; sources: ${FACT_SOURCES.join(', ')}).`, `请输入 \`数据 数据源 主 store:us-main 订单 api\`（数据集：${Object.keys(PRIORITY_TABLES).join('、')}；来源：${FACT_SOURCES.join('、')}）。`);
  const [verb, ...rest] = args;
  if (!verb || !['primary', '主', '主要'].includes(verb.toLowerCase())) return void (await usage());
  if (!authorize(ctx.asker, 'workspace.admin').ok) return void (await say(ctx, 'Only admins choose which source counts.', '只有管理员可以选择计入的数据源。'));
  let storeText: string | undefined;
  let dataset: PriorityDataset | undefined;
  let src: FactSource | undefined;
  for (const a of rest) {
    const store = /^(?:store|店铺)[:：](.+)$/i.exec(a);
    const ds = datasetFromWord(a);
    if (store) storeText = store[1];
    else if (ds && ds in PRIORITY_TABLES) dataset = ds as PriorityDataset;
    else if ((FACT_SOURCES as readonly string[]).includes(a.toLowerCase())) src = a.toLowerCase() as FactSource;
    else return void (await usage());
  }
  if (!storeText || !dataset || !src) return void (await usage());
  const store = (await loadLookups(deps.database, ctx.workspace.id)).store(storeText);
  if (!store) return void (await say(ctx, `No store "${storeText.slice(0, 40)}" here.`, `没有店铺“${storeText.slice(0, 40)}”。`));
  try {
    await switchPrimarySource(deps.database, { workspaceId: ctx.workspace.id, storeId: store.id, dataset, source: src, actor: actorOf(ctx.asker), reason: 'chat: data source primary' });
  } catch (err) {
    if (!isAppError(err)) throw err;
    return void (await say(ctx, err.message, err.message));
  }
  await say(ctx, `${store.id} ${dataset}: ${src} is now the counted source. Rows from other sources stay stored, not counted.`, `${store.id} ${dataset}：现在计入 ${src} 数据源。其他来源的数据保留但不计入。`);
};

/** Words after `data` → handler (English and Chinese). `status` stays in data-status.ts. */
export const DATA_SUBCOMMANDS: Readonly<Record<string, Sub>> = {
  report: report, 报告: report, check: check, 核对: check, source: source, 数据源: source, 来源: source,
};
