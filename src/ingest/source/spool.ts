/**
 * Uploads are written to a temporary file before they are read: an .xlsx needs random access
 * (its directory is at the end), the SHA-256 feeds file-hash dedup, and the byte limit is
 * enforced while writing so a 2 GB body is cut off at the limit, never held in memory.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../errors.ts';

export interface Spooled {
  path: string;
  bytes: number;
  sha256: string;
  cleanup(): Promise<void>;
}

export function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `the file is larger than ${Math.round(limit / 1048576)} MiB; split it (e.g. by month) and import the parts`, { field: 'file' });
}

export async function spoolToFile(chunks: AsyncIterable<Buffer | Uint8Array | string>, maxBytes: number): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'kpibot-import-'));
  const path = join(dir, 'upload');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  let bytes = 0;
  try {
    for await (const c of chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      bytes += buf.length;
      if (bytes > maxBytes) throw tooLarge(maxBytes);
      hash.update(buf);
      if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { path, bytes, sha256: hash.digest('hex'), cleanup };
  } catch (err) {
    out.destroy();
    await cleanup();
    throw err;
  }
}
