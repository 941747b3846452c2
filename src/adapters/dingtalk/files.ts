/**
 * Files people send the bot (`msgtype: "file"` robot messages carry a `downloadCode`):
 * `POST /v1.0/robot/messageFiles/download {downloadCode, robotCode}` → `{downloadUrl}`, a
 * short-lived URL fetched at once with the size limit enforced while streaming
 * (open.dingtalk.com/document/orgapp/download-the-file-content-of-the-robot-receiving-message).
 */
import { AdapterError } from '../../bot/errors.ts';
import type { FileSource } from '../../bot/ports.ts';
import type { DingTalkClient } from './client.ts';

export function createFileSource(client: DingTalkClient, robotCode: string): FileSource {
  return {
    async download(file, event, maxBytes) {
      if (file.size !== undefined && file.size > maxBytes) throw new AdapterError('dingtalk', 'invalid_payload', `messageFiles/download: larger than ${maxBytes} bytes`);
      const res = await client.api<{ downloadUrl?: string }>(
        'POST', '/v1.0/robot/messageFiles/download', { downloadCode: file.id, robotCode: file.extra?.robotCode ?? robotCode }, 'messageFiles/download', event.conversation.tenantKey);
      if (typeof res.downloadUrl !== 'string' || !URL.canParse(res.downloadUrl)) throw new AdapterError('dingtalk', 'not_found', 'messageFiles/download: no download URL');
      return client.download(res.downloadUrl, maxBytes, 'file download');
    },
  };
}
