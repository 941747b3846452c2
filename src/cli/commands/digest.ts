/**
 * `kpibot digest --chat <id> [--platform P] [--dry-run] [--workspace W] [--json]`: the chat's
 * digest card, queued through the outbox (sent by the server's outbox worker) or, with
 * `--dry-run`, only printed. While a server holds the embedded database it goes through that
 * server (`POST /api/v1/digests/run`); otherwise it opens the database itself.
 */
import { join } from 'node:path';
import pino from 'pino';
import type { Platform } from '../../bot/events.ts';
import { loadConfig, type AppConfig } from '../../config.ts';
import type { LockInfo } from '../../db/data-dir-lock.ts';
import { findChat } from '../../digests/find-chat.ts';
import { createDigestService } from '../../digests/service.ts';
import { AppError } from '../../errors.ts';
import { pickWorkspace } from '../../plugins/api-auth.ts';
import { createChartRenderer } from '../../render/index.ts';
import { PLATFORMS } from '../../tenancy/workspaces.ts';
import { runningServer, withDatabase } from '../context.ts';
import { UsageError } from '../usage.ts';

interface DigestArgs {
  options: Record<string, string | boolean | undefined>;
  json: boolean;
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: Record<string, string | undefined>;
}

/** What the route answers and the command prints. */
export interface DigestRun {
  chatId: string;
  platform: Platform;
  kind: string;
  dryRun: boolean;
  deliveryId: number | null;
  card: unknown;
  text: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

async function remote(config: AppConfig, holder: LockInfo, body: { chatId: string; platform?: string; dryRun: boolean }, workspace?: string): Promise<DigestRun> {
  const qs = workspace ? `?${new URLSearchParams({ workspace })}` : '';
  const res = await fetch(`${holder.url}/api/v1/digests/run${qs}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(config.apiToken ? { authorization: `Bearer ${config.apiToken}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as DigestRun & { message?: string };
  if (!res.ok) throw new AppError(res.status === 404 ? 'not_found' : res.status === 403 ? 'forbidden' : res.status === 401 ? 'unauthorized' : 'invalid_argument', json.message ?? `the server answered ${res.status}`);
  return json;
}

export async function digestCommand(a: DigestArgs, io: Io): Promise<number> {
  const chatId = str(a.options.chat);
  if (!chatId) throw new UsageError('usage: kpibot digest --chat <id> [--platform slack|feishu|dingtalk|console] [--dry-run]');
  const platform = str(a.options.platform);
  if (platform && !(PLATFORMS as readonly string[]).includes(platform)) throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}`);
  const dryRun = a.options['dry-run'] === true;
  const workspace = str(a.options.workspace);
  const config = loadConfig(io.env);
  const holder = runningServer(config);
  let run: DigestRun;
  if (holder?.url) {
    io.err(`a server is running on this data dir (pid ${holder.pid}): asking it at ${holder.url}`);
    run = await remote(config, holder, { chatId, ...(platform ? { platform } : {}), dryRun }, workspace);
  } else {
    run = await withDatabase(
      async (ctx) => {
        const workspaceId = await pickWorkspace(ctx.database, workspace);
        const chat = await findChat(ctx.database, workspaceId, chatId, platform as Platform | undefined);
        if (!chat) throw new AppError('not_found', `no chat "${chatId.slice(0, 80)}" in workspace ${workspaceId}`);
        const service = createDigestService({
          database: ctx.database,
          charts: createChartRenderer({ cacheDir: join(ctx.config.dataDir, 'charts') }),
          publicUrl: ctx.config.publicUrl,
          logger: pino({ level: 'silent' }),
          defaultLocale: ctx.config.defaultLocale,
        });
        const r = await service.runForChat(chat, { dryRun });
        if (!r.ok) throw new AppError(r.reason === 'bot_removed' ? 'conflict' : 'not_found', r.reason === 'bot_removed' ? 'the bot is no longer in this chat' : `no digest for "${chatId}" (${r.reason})`);
        return { chatId, platform: chat.platform, kind: r.kind, dryRun, deliveryId: r.deliveryId, card: r.message.kind === 'card' ? r.message.card : null, text: r.card.fallbackText };
      },
      { env: io.env, out: io.out },
    );
  }
  if (a.json) {
    io.out(JSON.stringify(run));
    return 0;
  }
  io.out(run.text);
  io.out('');
  io.out(run.dryRun ? 'dry run: nothing was queued' : run.deliveryId ? `queued as delivery ${run.deliveryId}; the server's outbox sends it` : 'already queued for this chat');
  return 0;
}
