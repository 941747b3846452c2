/**
 * `kpibot export <dataset>|--dataset <id> [--format csv|xlsx] [--from D --to D | --month YYYY-MM]
 * [--out F]` (CSV to stdout without --out) and `kpibot export --all <dir>` (a whole workspace,
 * one CSV per dataset plus manifest.json). A dataset export goes through a running server's
 * HTTP API when it holds the embedded database; `--all` refuses then.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../config.ts';
import { inUseMessage } from '../../db/data-dir-lock.ts';
import { AppError } from '../../errors.ts';
import { EXPORT_NAMES, exportStream } from '../../ingest/export/export-stream.ts';
import { exportWorkspace } from '../../ingest/export/workspace-bundle.ts';
import { pickWorkspace } from '../../plugins/api-auth.ts';
import { runningServer, withDatabase } from '../context.ts';
import { UsageError } from '../usage.ts';
import { str, type DataArgs } from './import.ts';
import { remoteExport } from './import-remote.ts';

interface Io {
  out(line: string): void;
  err(line: string): void;
  env?: Record<string, string | undefined>;
}

function monthRange(month: string): { from: string; to: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new UsageError('--month must be YYYY-MM');
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

async function textOf(chunks: AsyncIterable<string | Uint8Array>): Promise<string> {
  const dec = new TextDecoder();
  let s = '';
  for await (const c of chunks) s += typeof c === 'string' ? c : dec.decode(c, { stream: true });
  return s;
}

export async function exportCommand(a: DataArgs, io: Io): Promise<number> {
  const config = loadConfig(io.env);
  const holder = runningServer(config);
  const all = str(a.options.all);
  const workspace = str(a.options.workspace);
  if (all) {
    if (holder) throw new AppError('database_in_use', `${inUseMessage(holder)}; stop it to export a whole workspace`);
    return withDatabase(async (ctx) => {
      const m = await exportWorkspace(ctx.database, await pickWorkspace(ctx.database, workspace), all);
      if (a.json) io.out(JSON.stringify(m));
      else io.out(`exported workspace ${m.workspace.id} to ${all}: ${m.files.filter((f) => f.rows > 0).map((f) => `${f.name} ${f.rows}`).join(', ')}`);
      return 0;
    }, { env: io.env, out: io.out });
  }
  const name = str(a.options.dataset) ?? a.sub;
  if (!name) throw new UsageError('usage: kpibot export <dataset> [--format csv|xlsx] [--from D --to D | --month YYYY-MM] [--out F], or --all <dir>');
  if (!EXPORT_NAMES.includes(name)) throw new UsageError(`unknown dataset "${name.slice(0, 40)}"; use one of ${EXPORT_NAMES.join(', ')}`);
  const format = str(a.options.format) ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
  const out = str(a.options.out);
  if (format === 'xlsx' && !out) throw new UsageError('an xlsx export needs --out FILE');
  const month = str(a.options.month);
  const range = month ? monthRange(month) : { from: str(a.options.from), to: str(a.options.to) };
  for (const d of [range.from, range.to]) if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new UsageError('--from and --to are YYYY-MM-DD');
  const query: Record<string, string> = { format, ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}), ...(workspace ? { workspace } : {}) };
  if (holder?.url) {
    const body = await remoteExport(config, holder, name, query, out);
    if (body) io.out((await textOf(body)).replace(/\r?\n$/, ''));
  } else {
    await withDatabase(async (ctx) => {
      const s = await exportStream(ctx.database, name, { workspaceId: await pickWorkspace(ctx.database, workspace), format, from: range.from, to: range.to });
      if (out) await pipeline(Readable.from(s.chunks), createWriteStream(out));
      else io.out((await textOf(s.chunks)).replace(/\r?\n$/, ''));
    }, { env: io.env, out: io.out });
  }
  if (out) io.err(`exported ${name} to ${out}`);
  return 0;
}
