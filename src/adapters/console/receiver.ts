/**
 * The console's HTTP side: the page (`GET /console`) and its API (`/console/api/*`). Protected
 * as `CONSOLE` / `CONSOLE_TOKEN` say: with a token, every API call needs
 * `Authorization: Bearer <CONSOLE_TOKEN>` (the page asks for it once). Console messages are
 * always addressed to the bot; the API waits for the bot and returns the replies it produced.
 */
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { InboundEvent, ConversationRef } from '../../bot/events.ts';
import type { EventSink } from '../../bot/ports.ts';
import { AppError } from '../../errors.ts';
import { CONSOLE_TENANT, newMessageId } from './adapter.ts';
import { CONSOLE_FILE_MAX_BYTES, consoleFiles, type ConsoleFileStore } from './files.ts';

const PAGE = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

/** Ids are short words (`general`, `@bob`, `alice`); 128 is generous and bounds abuse. */
const ID = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^\\s<>"\\u0000-\\u001f\\u007f]+$' } as const;
const TEXT = { type: 'string', minLength: 1, maxLength: 4000 } as const;

/** ISO-8601 in UTC, the same text on PGlite and Postgres. */
const ISO = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export interface ConsoleMessage {
  id: string;
  seq: number;
  chatId: string;
  userId?: string;
  createdAt: string;
  updatedAt?: string;
  text?: string;
  card?: unknown;
}

interface Row {
  id: string;
  seq: number;
  chat_id: string;
  user_id: string | null;
  text: string | null;
  card: unknown;
  created_at: string;
  updated_at: string;
}

function toMessage(r: Row): ConsoleMessage {
  const created = r.created_at;
  const updated = r.updated_at;
  return {
    id: r.id,
    seq: r.seq,
    chatId: r.chat_id,
    ...(r.user_id ? { userId: r.user_id } : {}),
    createdAt: created,
    ...(updated !== created ? { updatedAt: updated } : {}),
    ...(r.text !== null ? { text: r.text } : {}),
    ...(r.card ? { card: r.card } : {}),
  };
}

/** `@bob` is a DM with bob; anything else is a group. */
export function conversationFor(chatId: string): ConversationRef {
  return { platform: 'console', tenantKey: CONSOLE_TENANT, chatId, kind: chatId.startsWith('@') ? 'direct' : 'group' };
}

export interface ConsoleReceiverOptions {
  database: Database;
  sink: EventSink;
  token?: string;
  /** Longest the API waits for the bot before answering with the replies so far (default below). */
  replyWaitMs?: number;
  /** Where attachments wait for the bot (default: the process's store, consoleFiles). */
  files?: ConsoleFileStore;
}

/**
 * A slow or stuck handler must not hold the request open: after this long the API answers with
 * what the bot has written so far, and the page's polling shows the rest when it comes.
 */
export const CONSOLE_REPLY_WAIT_MS = 10_000;

export async function consoleReceiver(app: FastifyInstance, opts: ConsoleReceiverOptions): Promise<void> {
  const { database } = opts;
  const expected = opts.token ? Buffer.from(opts.token) : undefined;

  app.get('/console', async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(PAGE));

  async function checkToken(req: FastifyRequest): Promise<void> {
    if (!expected) return;
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const given = Buffer.from(m?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('unauthorized', 'the console needs its token (CONSOLE_TOKEN)');
    }
  }

  async function messagesAfter(chatId: string, after: number, onlyBot = false): Promise<ConsoleMessage[]> {
    const rows = await database.query<Row & Record<string, unknown>>(sql`
      select id, seq, chat_id, user_id, text, card, ${ISO('created_at')} as created_at, ${ISO('updated_at')} as updated_at
      from console_messages
      where chat_id = ${chatId} and seq > ${after} ${onlyBot ? sql`and user_id is null` : sql``}
      order by seq limit 500`);
    return rows.map(toMessage);
  }

  async function currentSeq(): Promise<number> {
    const [row] = await database.query<{ s: number }>(sql`select coalesce(max(seq), 0) as s from console_messages`);
    return row!.s;
  }

  /** Hands the event to the bot and returns what the bot wrote into that chat meanwhile. */
  async function run(event: InboundEvent, before: number): Promise<{ messages: ConsoleMessage[] }> {
    const work = opts.sink(event);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.replyWaitMs ?? CONSOLE_REPLY_WAIT_MS)));
    // Still running after the wait: its failure is the bot's to log, not this request's to report.
    work.catch(() => {});
    await Promise.race([work, waited]).finally(() => clearTimeout(timer));
    return { messages: await messagesAfter(event.conversation.chatId, before, true) };
  }

  function base(chatId: string, userId: string, eventId: string) {
    return {
      platform: 'console' as const,
      eventId,
      user: { platform: 'console' as const, id: userId },
      conversation: conversationFor(chatId),
      receivedAt: new Date(),
    };
  }

  await app.register(async (api) => {
    api.addHook('preHandler', checkToken);

    api.get(
      '/console/api/messages',
      { schema: { querystring: { type: 'object', required: ['chatId'], properties: { chatId: ID, after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 } } } } },
      async (req) => {
        const q = req.query as { chatId: string; after: number };
        return { messages: await messagesAfter(q.chatId, q.after) };
      },
    );

    api.post(
      '/console/api/messages',
      {
        schema: {
          body: { type: 'object', required: ['chatId', 'userId', 'text'], additionalProperties: false, properties: { chatId: ID, userId: ID, text: TEXT } },
        },
      },
      async (req) => {
        const body = req.body as { chatId: string; userId: string; text: string };
        // Postgres cannot store NUL; the bot drops control characters anyway, so a pasted one is noise.
        const b = { ...body, text: body.text.replaceAll('\u0000', '') };
        const id = newMessageId();
        const before = await currentSeq();
        await database.query(sql`insert into console_messages (id, workspace_id, chat_id, user_id, text)
          values (${id}, (select workspace_id from chats where platform = 'console' and tenant_key = ${CONSOLE_TENANT}
                          and chat_id = ${b.chatId}), ${b.chatId}, ${b.userId}, ${b.text})`);
        return run({ ...base(b.chatId, b.userId, id), kind: 'message', text: b.text, mentionedBot: true }, before);
      },
    );

    // A file attached in the console: the raw body, named by the query; becomes a `file` event.
    await api.register(async (upload) => {
      upload.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: CONSOLE_FILE_MAX_BYTES }, (_req, body, done) => done(null, body));
      upload.post(
        '/console/api/files',
        {
          bodyLimit: CONSOLE_FILE_MAX_BYTES,
          schema: {
            querystring: {
              type: 'object', required: ['chatId', 'userId', 'name'], additionalProperties: false,
              properties: { chatId: ID, userId: ID, name: { type: 'string', minLength: 1, maxLength: 200 }, text: { type: 'string', maxLength: 1000 } },
            },
          },
        },
        async (req) => {
          const q = req.query as { chatId: string; userId: string; name: string; text?: string };
          const bytes = req.body;
          if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new AppError('invalid_request', 'send the file as the request body', { field: 'file' });
          const store = opts.files ?? consoleFiles;
          const fileId = store.put(bytes);
          const id = newMessageId();
          const before = await currentSeq();
          const note = `📎 ${q.name}${q.text ? ` — ${q.text}` : ''}`;
          await database.query(sql`insert into console_messages (id, workspace_id, chat_id, user_id, text)
            values (${id}, (select workspace_id from chats where platform = 'console' and tenant_key = ${CONSOLE_TENANT}
                            and chat_id = ${q.chatId}), ${q.chatId}, ${q.userId}, ${note})`);
          const file = { id: fileId, name: q.name, size: bytes.length, mimeType: String(req.headers['content-type'] ?? 'application/octet-stream') };
          return run({ ...base(q.chatId, q.userId, id), kind: 'file', file, text: q.text ?? '', mentionedBot: true }, before);
        },
      );
    });

    api.post(
      '/console/api/actions',
      {
        schema: {
          body: {
            type: 'object',
            required: ['chatId', 'userId', 'messageId', 'actionId'],
            additionalProperties: false,
            properties: { chatId: ID, userId: ID, messageId: ID, actionId: ID, value: { type: 'string', maxLength: 1000 } },
          },
        },
      },
      async (req) => {
        const b = req.body as { chatId: string; userId: string; messageId: string; actionId: string; value?: string };
        const before = await currentSeq();
        const message = { platform: 'console' as const, chatId: b.chatId, messageId: b.messageId };
        const eventId = `${b.messageId}:${b.userId}:${b.actionId}:${Date.now()}`;
        return run({ ...base(b.chatId, b.userId, eventId), kind: 'action', actionId: b.actionId, value: b.value, message }, before);
      },
    );

    api.post(
      '/console/api/events',
      {
        schema: {
          body: {
            type: 'object',
            required: ['type', 'chatId', 'userId'],
            additionalProperties: false,
            properties: { type: { type: 'string', enum: ['bot_added', 'bot_removed'] }, chatId: ID, userId: ID },
          },
        },
      },
      async (req) => {
        const b = req.body as { type: 'bot_added' | 'bot_removed'; chatId: string; userId: string };
        const before = await currentSeq();
        const change = b.type === 'bot_added' ? 'added' : 'removed';
        return run({ ...base(b.chatId, b.userId, `${b.type}:${b.chatId}:${Date.now()}`), kind: 'membership', change }, before);
      },
    );
  });
}
