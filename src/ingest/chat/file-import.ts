/**
 * A CSV or XLSX file sent to the bot becomes an import (issue #30): in a group bound to a team
 * (rows limited to that team's stores) or in a DM. Who may: the access rule for `data.import` —
 * admins anything; managers and operators fact rows of the stores in their own scope (rows of
 * other stores are rejected in the row report); finance and members are read-only. The dataset
 * comes from the caption (`orders`, `订单`) or is detected from the header with a confidence;
 * when that is ambiguous or weak the bot asks with buttons. The import runs through the one
 * pipeline as a sync run (one transaction, nothing half-imported) and answers with a summary card.
 */
import { authorize } from '../../access/authorize.ts';
import type { Principal } from '../../access/types.ts';
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import { isAdapterError } from '../../bot/errors.ts';
import type { InboundEvent, InboundFile } from '../../bot/events.ts';
import type { BotFeature, FeatureDeps } from '../../bot/feature.ts';
import type { Sent } from '../../bot/reply.ts';
import type { DatasetId } from '../../db/schema/sync.ts';
import { isAppError } from '../../errors.ts';
import { detectDataset, pickDataset, type DatasetCandidate } from '../headers/detect-dataset.ts';
import { HEADER_SCAN_ROWS } from '../headers/detect.ts';
import { checkImportAllowed, narrowToStores } from '../import-access.ts';
import { importFile } from '../import-file.ts';
import { loadLookups } from '../pipeline/lookups.ts';
import type { SourceRow } from '../source/csv.ts';
import { openTabularFile } from '../source/open.ts';
import { spoolToFile, type Spooled } from '../source/spool.ts';
import { datasetFromWord } from './dataset-names.ts';
import { askDatasetCard, CANCEL_ACTION, importResultCard, PICK_ACTION } from './import-card.ts';

type FileEvent = Extract<InboundEvent, { kind: 'file' }>;

/**
 * Files sent in chat are exports of a day to a few months; bigger ones go through
 * `kpibot import` or `POST /api/v1/imports/:dataset` (256 MiB, streamed). Chat downloads are held
 * in memory once, so the limit stays small.
 */
export const CHAT_MAX_BYTES = 20 * 1024 * 1024;

const READABLE = /\.(csv|tsv|txt|xlsx)$/i;

/** What the caption says: a dataset word, `store:<id>`, `force`, `dry` (试运行). */
export interface Caption {
  dataset?: DatasetId;
  store?: string;
  force: boolean;
  dryRun: boolean;
}

export function parseCaption(textIn: string): Caption {
  const out: Caption = { force: false, dryRun: false };
  for (const word of textIn.split(/\s+/).filter(Boolean)) {
    const w = word.toLowerCase();
    const store = /^(?:store|店铺)[:：](.+)$/i.exec(word);
    if (store) out.store = store[1];
    else if (w === 'force' || w === '强制') out.force = true;
    else if (w === 'dry' || w === 'dry-run' || w === 'dryrun' || w === '试运行') out.dryRun = true;
    else out.dataset ??= datasetFromWord(w);
  }
  return out;
}

/** Pending file carried by the "which data" buttons; re-checked on click, never trusted for access. */
interface Pending {
  d: DatasetId;
  u: string;
  f: InboundFile;
  c: Omit<Caption, 'dataset'>;
}

const say = (ctx: BotContext, en: string, zh: string) => ctx.reply({ kind: 'text', markdown: ctx.t({ en, 'zh-CN': zh }) });

/** The asker may import something at all (rows are checked per store later). */
function mayImport(p: Principal): boolean {
  const d = authorize(p, 'data.import', {});
  return d.ok || d.code === 'out_of_scope';
}

async function firstRows(path: string): Promise<SourceRow[]> {
  const src = await openTabularFile(path);
  const head: SourceRow[] = [];
  const it = src.rows[Symbol.asyncIterator]();
  try {
    while (head.length < HEADER_SCAN_ROWS) {
      const next = await it.next();
      if (next.done) break;
      head.push(next.value);
    }
  } finally {
    await it.return?.(undefined);
  }
  return head;
}

async function download(ctx: BotContext, deps: FeatureDeps, e: FileEvent): Promise<Spooled | null> {
  const files = deps.filesFor?.(e.platform);
  if (!files) return null;
  try {
    const bytes = await files.download(e.file, e, CHAT_MAX_BYTES);
    return await spoolToFile((async function* () {
      yield bytes;
    })(), CHAT_MAX_BYTES);
  } catch (err) {
    if (isAdapterError(err) && err.code === 'invalid_payload') {
      await say(ctx, `That file is larger than ${CHAT_MAX_BYTES / 1048576} MiB: use \`kpibot import\` or POST /api/v1/imports for big files.`, `文件超过 ${CHAT_MAX_BYTES / 1048576} MiB：大文件请用 \`kpibot import\` 或 POST /api/v1/imports 导入。`);
      return null;
    }
    if (isAdapterError(err) || isAppError(err)) {
      deps.logger.warn({ code: err.code, platform: e.platform }, 'chat file download failed');
      await say(ctx, 'I could not download that file. Please send it again in a moment.', '无法下载该文件，请稍后重新发送。');
      return null;
    }
    throw err;
  }
}

/** Imports the spooled file as `dataset`, answering with the summary card. */
async function runImport(ctx: BotContext, deps: FeatureDeps, e: FileEvent, spooled: Spooled, dataset: DatasetId, caption: Omit<Caption, 'dataset'>): Promise<void> {
  try {
    checkImportAllowed(ctx.asker, dataset);
  } catch (err) {
    if (!isAppError(err)) throw err;
    await say(ctx, `Only admins import ${dataset}.`, `只有管理员可以导入${dataset}。`);
    return;
  }
  const lookups = await loadLookups(deps.database, ctx.workspace.id);
  const principal = ctx.chat.kind === 'group' ? narrowToStores(ctx.asker, ctx.audience, lookups) : ctx.asker;
  try {
    const result = await importFile(deps.database, spooled.path, {
      workspaceId: ctx.workspace.id, dataset, fileName: e.file.name.slice(0, 200), fileHash: spooled.sha256, principal,
      requestedBy: ctx.asker.userId ?? `${e.platform}:${e.user.id}`, force: caption.force, dryRun: caption.dryRun,
      ...(caption.store ? { store: caption.store } : {}),
    });
    await ctx.reply({ kind: 'card', card: importResultCard(ctx, e.file.name, result) });
  } catch (err) {
    if (!isAppError(err)) throw err;
    await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: `Not imported: ${e.file.name.slice(0, 80)}`, 'zh-CN': `未导入：${e.file.name.slice(0, 80)}` }), tone: 'critical', blocks: [text(err.message.slice(0, 600))] }) });
  }
}

async function handleFile(ctx: BotContext, deps: FeatureDeps, e: FileEvent, chosen?: Pending): Promise<void> {
  const caption = chosen ? { ...chosen.c, dataset: chosen.d } : parseCaption(e.text);
  let working: Sent | undefined;
  if (ctx.capabilities.updateInPlace) working = await ctx.reply({ kind: 'text', markdown: ctx.t({ en: `Reading ${e.file.name.slice(0, 80)}…`, 'zh-CN': `正在读取 ${e.file.name.slice(0, 80)}……` }) });
  let spooled: Spooled | null = null;
  try {
    spooled = await download(ctx, deps, e);
    if (!spooled) return;
    let dataset = caption.dataset;
    if (!dataset) {
      const head = await firstRows(spooled.path);
      const candidates = await detectDataset(deps.database, ctx.workspace.id, head, { hasDefaultStore: Boolean(caption.store) });
      const pick = pickDataset(candidates);
      if (pick.kind === 'none') {
        await say(ctx,
          'I could not tell which data this is: the header row matches none of the templates or known ERP/marketplace exports. Send it again with the dataset in the message (e.g. `orders`), or map the columns with `kpibot import --map`.',
          '无法识别这是哪类数据：表头与模板及已知 ERP/平台导出格式都不匹配。请在发送文件时附上数据类型（如 `订单`），或用 `kpibot import --map` 指定列映射。');
        return;
      }
      if (pick.kind === 'ask') {
        const value = (c: DatasetCandidate) => JSON.stringify({ d: c.dataset, u: e.user.id, f: e.file, c: { store: caption.store, force: caption.force, dryRun: caption.dryRun } } satisfies Pending);
        await ctx.reply({ kind: 'card', card: askDatasetCard(ctx, e.file.name, pick.candidates, value) });
        return;
      }
      dataset = pick.best.dataset;
    }
    await runImport(ctx, deps, e, spooled, dataset, caption);
  } catch (err) {
    if (!isAppError(err)) throw err;
    await say(ctx, `Not imported: ${err.message.slice(0, 400)}`, `未导入：${err.message.slice(0, 400)}`);
  } finally {
    await spooled?.cleanup();
    if (working) await ctx.update(working, { kind: 'text', markdown: ctx.t({ en: `Read ${e.file.name.slice(0, 80)}.`, 'zh-CN': `已读取 ${e.file.name.slice(0, 80)}。` }) }).catch(() => undefined);
  }
}

/** Where and by whom a file may be imported; answers the refusal itself. */
async function admitted(ctx: BotContext, e: FileEvent): Promise<boolean> {
  if (ctx.chat.kind === 'group' && !ctx.chat.teamId) {
    await say(ctx, 'This group is not bound to a team yet, so I do not know whose data this is. Bind it (`bind team:<id>`) or send the file to me in a DM.', '本群尚未绑定团队，无法判断数据归属。请先绑定（`bind team:<团队>`），或私信发给我。');
    return false;
  }
  if (!mayImport(ctx.asker)) {
    await say(ctx, `Your role (${ctx.asker.role}) cannot import data; ask a manager or an admin.`, `你的角色（${ctx.asker.role}）不能导入数据，请联系经理或管理员。`);
    return false;
  }
  if (e.file.size !== undefined && e.file.size > CHAT_MAX_BYTES) {
    await say(ctx, `That file is larger than ${CHAT_MAX_BYTES / 1048576} MiB: use \`kpibot import\` or POST /api/v1/imports for big files.`, `文件超过 ${CHAT_MAX_BYTES / 1048576} MiB：大文件请用 \`kpibot import\` 或 POST /api/v1/imports 导入。`);
    return false;
  }
  // A name without an extension (a Slack Connect stub names only the id) is judged by its content.
  if (/\.[a-z0-9]{1,5}$/i.test(e.file.name) && !READABLE.test(e.file.name)) {
    await say(ctx, 'I read data files as CSV (UTF-8, GBK, Shift-JIS) or XLSX. Old .xls workbooks: save as .xlsx first.', '我可以读取 CSV（UTF-8、GBK、Shift-JIS）或 XLSX 数据文件。旧版 .xls 请先另存为 .xlsx。');
    return false;
  }
  return true;
}

function parsePending(value: string | undefined): Pending | null {
  try {
    const p = JSON.parse(value ?? '') as Pending;
    if (typeof p.d !== 'string' || typeof p.u !== 'string' || typeof p.f?.id !== 'string' || typeof p.f?.name !== 'string') return null;
    return { d: datasetFromWord(p.d) ?? ('' as DatasetId), u: p.u, f: p.f, c: { store: p.c?.store, force: p.c?.force === true, dryRun: p.c?.dryRun === true } };
  } catch {
    return null;
  }
}

export const fileImportFeature: BotFeature = {
  name: 'data-files',
  register({ actions }, deps) {
    actions.register({
      actionId: PICK_ACTION,
      async run(ctx, value) {
        const p = parsePending(value);
        const e = ctx.event;
        if (!p || !p.d || e.kind !== 'action') {
          await say(ctx, 'This button is no longer active.', '这个按钮已失效。');
          return;
        }
        if (p.u !== e.user.id) {
          await say(ctx, 'Only the person who sent the file can choose how to import it.', '只有发送文件的人可以选择导入方式。');
          return;
        }
        const fileEvent: FileEvent = { ...e, kind: 'file', file: p.f, text: '', mentionedBot: true };
        if (!(await admitted(ctx, fileEvent))) return;
        await handleFile(ctx, deps, fileEvent, p);
      },
    });
    actions.register({
      actionId: CANCEL_ACTION,
      async run(ctx) {
        await say(ctx, 'Not imported.', '已取消导入。');
      },
    });
  },
  async onFile(ctx, e, deps) {
    if (!deps.filesFor?.(e.platform)) return false;
    if (await admitted(ctx, e)) await handleFile(ctx, deps, e);
    return true;
  },
};
