/**
 * The card a chat import answers with: what the file was taken for (layout and confidence), rows
 * in and rejected, the days and stores it covers, the first row errors, and where the full row
 * report is (`data report <run>` in chat, the CSV over REST). Also the "which data is this?"
 * question when the layout is ambiguous.
 */
import { actions, button, card, fields, note, text, type Card, type Field } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { ImportResult } from '../pipeline/run-import.ts';
import type { DatasetCandidate } from '../headers/detect-dataset.ts';
import { datasetName } from './dataset-names.ts';

type T = Pick<BotContext, 't'>;

/** Row errors shown on the card; the rest are in the row report. */
export const CARD_ISSUES = 3;

const pct = (c: number) => `${Math.round(c * 100)} %`;

export function reportHint(ctx: T, runId: number): string {
  return ctx.t({
    en: `Full row report: \`data report ${runId}\` · CSV: GET /api/v1/imports/runs/${runId}?format=csv`,
    'zh-CN': `完整行报告：\`数据 报告 ${runId}\` · CSV：GET /api/v1/imports/runs/${runId}?format=csv`,
  });
}

export function issueLine(i: ImportResult['issues'][number]): string {
  const value = i.value === undefined ? '' : ` "${i.value.replace(/[`*_]/g, '').slice(0, 40)}"`;
  return `• row ${i.row}${i.column ? ` · ${i.column}` : ''}${value}: ${i.reason}`;
}

export function importResultCard(ctx: T, fileName: string, r: ImportResult): Card {
  const name = fileName.replace(/[`*_]/g, '').slice(0, 80);
  const ds = ctx.t(datasetName(r.dataset));
  const title =
    r.status === 'failed' ? ctx.t({ en: `Not imported: ${name}`, 'zh-CN': `未导入：${name}` })
      : r.status === 'skipped' ? ctx.t({ en: `Already imported: ${name}`, 'zh-CN': `已导入过：${name}` })
        : r.dryRun ? ctx.t({ en: `Dry run: ${name}`, 'zh-CN': `试运行：${name}` })
          : ctx.t({ en: `Imported ${ds}: ${name}`, 'zh-CN': `已导入${ds}：${name}` });
  const tone = r.status === 'failed' ? 'critical' : r.status === 'partial' ? 'warning' : r.status === 'skipped' ? 'info' : 'success';
  const list: Field[] = [];
  const layout = r.profile ? `${ds} · ${ctx.t({ en: r.profile.label.en, 'zh-CN': r.profile.label.zh })} (${pct(r.profile.confidence)})` : ds;
  list.push({ label: ctx.t({ en: 'Read as', 'zh-CN': '识别为' }), value: layout });
  if (r.status !== 'skipped') {
    list.push({
      label: ctx.t({ en: 'Rows', 'zh-CN': '行数' }),
      value: r.dryRun
        ? ctx.t({ en: `${r.rowsAccepted} valid · ${r.rowsRejected} rejected (nothing written)`, 'zh-CN': `${r.rowsAccepted} 行有效 · ${r.rowsRejected} 行被拒（未写入）` })
        : ctx.t({ en: `${r.rowsAccepted} imported · ${r.rowsRejected} rejected`, 'zh-CN': `${r.rowsAccepted} 行导入 · ${r.rowsRejected} 行被拒` }),
    });
  }
  if (r.dateRange) list.push({ label: ctx.t({ en: 'Dates', 'zh-CN': '日期' }), value: r.dateRange.from === r.dateRange.to ? r.dateRange.from : `${r.dateRange.from} – ${r.dateRange.to}` });
  const stores = Object.keys(r.coverage);
  if (stores.length) list.push({ label: ctx.t({ en: 'Stores', 'zh-CN': '店铺' }), value: stores.length > 6 ? `${stores.slice(0, 6).join(', ')} +${stores.length - 6}` : stores.join(', ') });
  if (r.restatedDays) list.push({ label: ctx.t({ en: 'Restated', 'zh-CN': '重述' }), value: ctx.t({ en: `${r.restatedDays} store-days changed`, 'zh-CN': `${r.restatedDays} 个店铺日数据有变化` }) });
  if (r.secondaryRows) {
    list.push({ label: ctx.t({ en: 'Not counted', 'zh-CN': '未计入' }), value: ctx.t({ en: `${r.secondaryRows} rows from a second source (stored until an admin switches)`, 'zh-CN': `${r.secondaryRows} 行来自第二数据源（已保存，管理员切换后才计入）` }) });
  }
  const blocks = [fields(list)];
  if (r.status === 'failed' && r.message) blocks.push(text(r.message.slice(0, 600)));
  if (r.status === 'skipped') blocks.push(text(ctx.t({ en: 'This exact file was the last import of this dataset. Send it again with the word `force` to import it anyway.', 'zh-CN': '这个文件与该数据集最近一次导入完全相同。如需重新导入，请附上 `force` 再发一次。' })));
  if (r.issues.length) {
    const more = r.rowsRejected > CARD_ISSUES ? ctx.t({ en: `\n…and more in the row report`, 'zh-CN': `\n……其余见行报告` }) : '';
    blocks.push(text(`${ctx.t({ en: '**Row errors**', 'zh-CN': '**行错误**' })}\n${r.issues.slice(0, CARD_ISSUES).map(issueLine).join('\n')}${more}`));
  }
  if (r.status !== 'skipped') blocks.push(note(reportHint(ctx, r.runId)));
  return card({ title, tone, blocks });
}

export const PICK_ACTION = 'data.import.as';
export const CANCEL_ACTION = 'data.import.cancel';

/** "Which data is this?" with one button per likely dataset (value: the pending file, opaque). */
export function askDatasetCard(ctx: T, fileName: string, candidates: readonly DatasetCandidate[], valueFor: (c: DatasetCandidate) => string): Card {
  const name = fileName.replace(/[`*_]/g, '').slice(0, 80);
  const lines = candidates.map((c) => `• ${ctx.t(datasetName(c.dataset))} — ${ctx.t({ en: c.label.en, 'zh-CN': c.label.zh })} (${pct(c.confidence)})`);
  return card({
    title: ctx.t({ en: `Which data is ${name}?`, 'zh-CN': `${name} 是哪类数据？` }),
    tone: 'info',
    blocks: [
      text(`${ctx.t({ en: 'The columns fit more than one layout, or not well enough to be sure:', 'zh-CN': '表头可能对应多种格式，或匹配度不够高：' })}\n${lines.join('\n')}`),
      actions(
        ...candidates.map((c, i) => button(PICK_ACTION, ctx.t(datasetName(c.dataset)), valueFor(c), i === 0 ? 'primary' : undefined)),
        button(CANCEL_ACTION, ctx.t({ en: 'Cancel', 'zh-CN': '取消' })),
      ),
      note(ctx.t({ en: 'Or send the file again with the dataset in the message, e.g. `orders`.', 'zh-CN': '也可以在发送文件时附上数据类型，例如 `订单`。' })),
    ],
  });
}
