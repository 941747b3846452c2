/**
 * Files attached in the console (`POST /console/api/files`): kept in this process's memory for
 * a few minutes, long enough for the bot to fetch them through the console's FileSource — the
 * console is a local, single-process tool, so nothing needs to survive a restart or another
 * replica. Size-limited on the way in and again on the way out.
 */
import { randomBytes } from 'node:crypto';
import { AdapterError } from '../../bot/errors.ts';
import type { FileSource } from '../../bot/ports.ts';

/** What a console upload may weigh: the same order as chat platforms' files. */
export const CONSOLE_FILE_MAX_BYTES = 20 * 1024 * 1024;
/** An attachment not fetched by then is dropped (a click on "which data?" refetches within it). */
export const CONSOLE_FILE_TTL_MS = 15 * 60_000;
const MAX_HELD = 20;

export interface ConsoleFileStore extends FileSource {
  put(bytes: Uint8Array, now?: number): string;
}

export function createConsoleFileStore(): ConsoleFileStore {
  const held = new Map<string, { bytes: Uint8Array; at: number }>();
  const prune = (now: number) => {
    for (const [id, f] of held) if (now - f.at > CONSOLE_FILE_TTL_MS || held.size > MAX_HELD) held.delete(id);
  };
  return {
    put(bytes, now = Date.now()) {
      prune(now);
      const id = `cf_${randomBytes(12).toString('base64url')}`;
      held.set(id, { bytes, at: now });
      return id;
    },
    async download(file, _event, maxBytes) {
      prune(Date.now());
      const f = held.get(file.id);
      if (!f) throw new AdapterError('console', 'not_found', 'the attachment expired; attach it again');
      if (f.bytes.byteLength > maxBytes) throw new AdapterError('console', 'invalid_payload', `file larger than ${maxBytes} bytes`);
      return f.bytes;
    },
  };
}

/** The process's store: the receiver puts uploads here, the messaging plugin hands it to the bot. */
export const consoleFiles = createConsoleFileStore();
