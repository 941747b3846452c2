/**
 * An uploaded body (HTTP raw or multipart, a chat file) → spooled to a temporary file within the
 * size limit → imported → the temporary file removed, whatever happens.
 */
import type { Database } from '../db/client.ts';
import { importFile, type FileImportOptions } from './import-file.ts';
import type { ImportResult } from './pipeline/run-import.ts';
import { spoolToFile } from './source/spool.ts';

/** Default upload limit: files beyond it are split (e.g. per month) before importing. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export async function importUpload(
  database: Database,
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  o: FileImportOptions & { maxBytes?: number },
): Promise<ImportResult & { format: string; encoding?: string; delimiter?: string; bytes: number }> {
  const spooled = await spoolToFile(chunks, o.maxBytes ?? MAX_UPLOAD_BYTES);
  try {
    const result = await importFile(database, spooled.path, { ...o, fileHash: spooled.sha256 });
    return { ...result, bytes: spooled.bytes };
  } finally {
    await spooled.cleanup();
  }
}
