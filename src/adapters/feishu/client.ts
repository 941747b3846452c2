/**
 * The only file that calls Feishu's Open API, through the node-sdk `Client` (`client.request`
 * for every call, so each one shares the same timeout, error mapping and log scrubbing). The
 * SDK does not retry and resolves HTTP-200 `{code ≠ 0}` answers normally: `call` turns those
 * into AdapterErrors. Token cache per binding (`new DefaultCache()`): the SDK's default cache is
 * module-global, keyed by appId (platforms.md §2 e).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client, DefaultCache, LoggerLevel } from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import { AdapterError } from '../../bot/errors.ts';
import { apiError, classifyFeishuError } from './errors.ts';
import { feishuSdkLogger } from './logger.ts';

/** A call that takes longer is abandoned as `timeout` (sends carry a uuid, so the outbox may retry). */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Feishu keeps a `uuid` for one hour and accepts at most 50 characters. */
export const UUID_MAX = 50;
/** im/v1/images refuses empty files and files over 10 MB. */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;

export type ReceiveIdType = 'chat_id' | 'open_id';

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  /** `https://open.feishu.cn`, `https://open.larksuite.com` or a fake (FEISHU_DOMAIN). */
  domain: string;
  logger: Logger;
  timeoutMs?: number;
}

export interface SentMessage {
  messageId: string;
  chatId: string;
}

export interface Page<T> {
  items: T[];
  pageToken: string | null;
}

export interface FeishuClient {
  send(a: { receiveIdType: ReceiveIdType; receiveId: string; card: unknown; uuid?: string }): Promise<SentMessage>;
  reply(a: { messageId: string; card: unknown; uuid?: string; inThread?: boolean }): Promise<SentMessage>;
  patch(messageId: string, card: unknown): Promise<void>;
  uploadImage(bytes: Uint8Array): Promise<string>;
  /** The bytes of a file a user sent; rejects once more than `maxBytes` arrived. */
  download(messageId: string, fileKey: string, maxBytes: number): Promise<Uint8Array>;
  /** `p2p` or a group mode; `external`: a cross-tenant group. */
  chat(chatId: string): Promise<{ mode: string; external: boolean }>;
  botOpenId(): Promise<string | undefined>;
  get<T>(what: string, url: string, params: Record<string, string>): Promise<T>;
}

/** Feishu's uuid field: our key when it fits, else a digest of it (same key → same uuid). */
export function uuidFor(key: string): string {
  return key.length <= UUID_MAX ? key : createHash('sha256').update(key).digest('hex').slice(0, 40);
}

type ApiBody<T> = { code?: number; msg?: string; data?: T };

export function createFeishuClient(opts: FeishuClientOptions): FeishuClient {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sdk = new Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    cache: new DefaultCache(),
    logger: feishuSdkLogger(opts.logger, [opts.appSecret]),
    loggerLevel: LoggerLevel.warn,
  });

  /** The whole answer body (a few APIs, e.g. bot/v3/info, answer beside `data`). */
  async function callBody<T>(what: string, payload: Record<string, unknown>): Promise<ApiBody<T> & Record<string, unknown>> {
    let res: ApiBody<T> & Record<string, unknown>;
    try {
      res = (await sdk.request({ timeout, ...payload } as Parameters<Client['request']>[0])) as ApiBody<T> & Record<string, unknown>;
    } catch (err) {
      throw classifyFeishuError(err, what);
    }
    if (!res || typeof res !== 'object') throw new AdapterError('feishu', 'unknown', `${what}: empty answer`);
    if (res.code !== 0) throw apiError(what, Number(res.code ?? -1), String(res.msg ?? ''));
    return res;
  }

  async function call<T>(what: string, payload: Record<string, unknown>): Promise<T> {
    return ((await callBody<T>(what, payload)).data ?? {}) as T;
  }

  const sent = (what: string, d: { message_id?: string; chat_id?: string }): SentMessage => {
    if (!d.message_id || !d.chat_id) throw new AdapterError('feishu', 'unknown', `${what}: no message_id in the answer`);
    return { messageId: d.message_id, chatId: d.chat_id };
  };

  let botId: Promise<string | undefined> | undefined;

  return {
    async send(a) {
      const d = await call<{ message_id?: string; chat_id?: string }>('im.message.create', {
        method: 'POST',
        url: '/open-apis/im/v1/messages',
        params: { receive_id_type: a.receiveIdType },
        data: { receive_id: a.receiveId, msg_type: 'interactive', content: JSON.stringify(a.card), ...(a.uuid ? { uuid: uuidFor(a.uuid) } : {}) },
      });
      return sent('im.message.create', d);
    },

    async reply(a) {
      const d = await call<{ message_id?: string; chat_id?: string }>('im.message.reply', {
        method: 'POST',
        url: `/open-apis/im/v1/messages/${encodeURIComponent(a.messageId)}/reply`,
        data: { msg_type: 'interactive', content: JSON.stringify(a.card), ...(a.inThread ? { reply_in_thread: true } : {}), ...(a.uuid ? { uuid: uuidFor(a.uuid) } : {}) },
      });
      return sent('im.message.reply', d);
    },

    async patch(messageId, card) {
      await call('im.message.patch', {
        method: 'PATCH',
        url: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`,
        data: { content: JSON.stringify(card) },
      });
    },

    async uploadImage(bytes) {
      if (bytes.byteLength === 0 || bytes.byteLength > IMAGE_MAX_BYTES) {
        throw new AdapterError('feishu', 'invalid_payload', `im.image.create: ${bytes.byteLength} bytes (1 B – 10 MB)`);
      }
      // The SDK spreads `data` into a plain object (a FormData would arrive empty) and axios turns
      // it into multipart; a stream with a `path` becomes a file part with a filename.
      const image = Object.assign(Readable.from([Buffer.from(bytes)]), { path: 'chart.png' });
      const d = await call<{ image_key?: string }>('im.image.create', {
        method: 'POST',
        url: '/open-apis/im/v1/images',
        headers: { 'Content-Type': 'multipart/form-data' },
        data: { image_type: 'message', image },
      });
      if (!d.image_key) throw new AdapterError('feishu', 'unknown', 'im.image.create: no image_key');
      return d.image_key;
    },

    async download(messageId, fileKey, maxBytes) {
      const what = 'im.message.resource';
      let stream: Readable;
      try {
        stream = (await sdk.request({
          method: 'GET',
          url: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/resources/${encodeURIComponent(fileKey)}`,
          params: { type: 'file' },
          responseType: 'stream',
          timeout,
        } as Parameters<Client['request']>[0])) as Readable;
      } catch (err) {
        throw classifyFeishuError(err, what);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of stream) {
          total += (chunk as Buffer).length;
          if (total > maxBytes) {
            stream.destroy();
            throw new AdapterError('feishu', 'invalid_payload', `${what}: file larger than ${maxBytes} bytes`);
          }
          chunks.push(chunk as Buffer);
        }
      } catch (err) {
        throw classifyFeishuError(err, what);
      }
      return new Uint8Array(Buffer.concat(chunks));
    },

    async chat(chatId) {
      const d = await call<{ external?: boolean; chat_mode?: string }>('im.chat.get', { method: 'GET', url: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}` });
      return { mode: d.chat_mode ?? 'group', external: d.external === true };
    },

    botOpenId() {
      botId ??= callBody('bot.info', { method: 'GET', url: '/open-apis/bot/v3/info' }).then(
        (b) => {
          const id = (b.bot as { open_id?: unknown } | undefined)?.open_id;
          return typeof id === 'string' ? id : undefined;
        },
        (err: unknown) => {
          // Asked again next time: a start-up blip must not leave the bot blind to its own mentions.
          botId = undefined;
          opts.logger.warn({ code: (err as AdapterError).code }, 'feishu: bot/v3/info failed');
          return undefined;
        },
      );
      return botId;
    },

    get: (what, url, params) => call(what, { method: 'GET', url, params }),
  };
}
