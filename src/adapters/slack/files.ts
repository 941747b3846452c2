/**
 * The Slack binding's FileSource: the bytes of a file a user shared with the bot. Events carry
 * `url_private_download` (kept in the file's `extra.url`); Slack Connect files and events without
 * it go through files.info first. Needs the `files:read` bot scope (manifest.yaml).
 */
import { AdapterError } from '../../bot/errors.ts';
import type { FileSource } from '../../bot/ports.ts';
import type { SlackClient } from './client.ts';

export function createSlackFiles(client: Pick<SlackClient, 'fileInfo' | 'downloadFile'>): FileSource {
  return {
    async download(file, _event, maxBytes) {
      if (file.size !== undefined && file.size > maxBytes) throw new AdapterError('slack', 'invalid_payload', `file ${file.id} is larger than ${maxBytes} bytes`);
      let url = file.extra?.url;
      if (!url) {
        const info = await client.fileInfo(file.id);
        if (info.size !== undefined && info.size > maxBytes) throw new AdapterError('slack', 'invalid_payload', `file ${file.id} is larger than ${maxBytes} bytes`);
        url = info.url;
      }
      if (!url) throw new AdapterError('slack', 'not_found', `file ${file.id} has no download URL`);
      return client.downloadFile(url, maxBytes);
    },
  };
}
