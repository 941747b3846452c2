/**
 * While a server holds the embedded database (PGlite is single-process), `kpibot import <file>`
 * and `kpibot export --dataset` go through that server's HTTP API instead of opening the data
 * dir (ARCHITECTURE.md "Commands"): `API_TOKEN` when set, else the loopback admin.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppConfig } from '../../config.ts';
import type { LockInfo } from '../../db/data-dir-lock.ts';
import { AppError } from '../../errors.ts';
import type { ImportResult } from '../../ingest/pipeline/run-import.ts';

function headers(config: AppConfig, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(config.apiToken ? { authorization: `Bearer ${config.apiToken}` } : {}), ...extra };
}

async function failure(res: Response): Promise<AppError> {
  let message = `the server answered ${res.status}`;
  try {
    const body = (await res.json()) as { message?: string };
    if (body.message) message = body.message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new AppError(res.status === 413 ? 'payload_too_large' : res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'invalid_argument', message);
}

export async function remoteImport(config: AppConfig, holder: LockInfo, file: string, dataset: string, query: Record<string, string>): Promise<ImportResult> {
  const size = (await stat(file)).size;
  const qs = new URLSearchParams({ ...query, filename: basename(file) });
  const res = await fetch(`${holder.url}/api/v1/imports/${encodeURIComponent(dataset)}?${qs}`, {
    method: 'POST',
    headers: headers(config, { 'content-type': 'application/octet-stream', 'content-length': String(size) }),
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!res.ok) throw await failure(res);
  return (await res.json()) as ImportResult;
}

/** Streams an export from the server into `out` (a path) or returns its text chunks. */
export async function remoteExport(config: AppConfig, holder: LockInfo, dataset: string, query: Record<string, string>, out?: string): Promise<AsyncIterable<Uint8Array> | null> {
  const res = await fetch(`${holder.url}/api/v1/exports/${encodeURIComponent(dataset)}?${new URLSearchParams(query)}`, { headers: headers(config) });
  if (!res.ok || !res.body) throw await failure(res);
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  if (!out) return body;
  await pipeline(body, createWriteStream(out));
  return null;
}
