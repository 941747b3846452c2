/**
 * The console adapter through the twelve contract assertions. Its "platform" is the local
 * database (console_messages, images) and its receiver the console API; the fake is a reader of
 * those tables. PGlite only: the console's SQL is covered on Postgres by its own tests.
 */
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { WireCard } from '../../src/bot/card.ts';
import { storeImage } from '../../src/bot/images.ts';
import { consoleReceiver, createConsoleAdapter } from '../../src/adapters/console/index.ts';
import type { Database } from '../../src/db/client.ts';
import { errorsPlugin } from '../../src/plugins/errors.ts';
import { openTestDatabase, truncateAll } from '../helpers/db.ts';
import { adapterContract } from './adapter-contract.ts';
import type { RecordedPost } from './types.ts';

const TOKEN = 'console-contract-token-0123';
/** The console API answers after this long even when the bot is still busy (its ack promise). */
const REPLY_WAIT_MS = 500;

// Opened in a hook (initdb takes seconds on a busy machine; hooks get the longer timeout).
let shared: Database | undefined;
beforeAll(async () => {
  shared = await openTestDatabase('pglite');
});
afterAll(async () => shared?.close());
const database = async () => shared!;

type Row = { id: string; seq: number; chat_id: string; text: string | null; card: WireCard | null; edited: boolean };
type Input = { path: 'messages' | 'actions' | 'events'; body?: unknown; raw?: string };

const cardOf = (p: RecordedPost) => (p.body as { card: WireCard | null }).card;
const imageIds = (c: WireCard | null) =>
  (c?.blocks ?? []).flatMap((b) => (b.type === 'image' ? [/\/images\/([\w-]+)\.png$/.exec(b.url)?.[1] ?? b.url] : []));

adapterContract({
  name: 'console',
  platform: 'console',
  ackDeadlineMs: REPLY_WAIT_MS + 1000,
  async setup(sink) {
    const d = await database();
    await truncateAll(d);
    const adapter = createConsoleAdapter({ database: d, publicUrl: 'http://localhost:3000' });
    const app = Fastify({ logger: false });
    await app.register(errorsPlugin);
    await app.register(consoleReceiver, { database: d, sink, token: TOKEN, replyWaitMs: REPLY_WAIT_MS });
    await app.ready();
    // Edits rewrite the row and draw a new seq: a seq that moved since the last look is an edit.
    const log: RecordedPost[] = [];
    const seen = new Map<string, number>();
    return {
      binding: { adapter },
      conversation: { platform: 'console', tenantKey: 'console', chatId: 'general', kind: 'group' },
      fake: {
        async posts() {
          const rows = await d.query<Row & Record<string, unknown>>(sql`
            select id, seq, chat_id, text, card, updated_at <> created_at as edited
            from console_messages where user_id is null order by seq`);
          for (const r of rows) {
            const last = seen.get(r.id);
            if (last === r.seq) continue;
            const body = { text: r.text, card: r.card };
            // First seen already edited: it was posted, then edited (only the edited body is left).
            if (last === undefined) log.push({ op: 'post', chatId: r.chat_id, messageId: r.id, body });
            if (last !== undefined || r.edited) log.push({ op: 'edit', chatId: r.chat_id, messageId: r.id, body });
            seen.set(r.id, r.seq);
          }
          return [...log];
        },
        uploads: async () => (await d.query<{ id: string; png: Uint8Array }>(sql`select id, png from images`)).map((r) => ({ id: r.id, bytes: r.png })),
        inject: () => {
          throw new Error('the console has no remote failures to inject');
        },
        failNextUpload: () => {
          throw new Error('the console stores images locally; uploads cannot fail');
        },
        // The console takes any size it is given; its adapter cuts texts at CONSOLE_MAX_TEXT.
        violations: () => [],
      },
      async deliver(payload, o = {}) {
        const input = payload as Input;
        const t = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: `/console/api/${input.path}`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${o.badSignature ? `${TOKEN}x` : TOKEN}` },
          payload: input.raw ?? JSON.stringify(input.body),
        });
        return { status: res.statusCode, ms: performance.now() - t, body: res.body };
      },
      storeImage: async (png, width, height) => ({ imageId: await storeImage(d, { png, width, height }) }),
      teardown: () => app.close(),
    };
  },
  fixtures: {
    // Console messages are always addressed to the bot: there is no mention syntax to strip.
    mention: { payload: { path: 'messages', body: { chatId: 'general', userId: 'alice', text: 'gmv 7d' } }, expect: { kind: 'message', text: 'gmv 7d', mentionedBot: true, conversation: { kind: 'group', chatId: 'general' } } },
    directMessage: { payload: { path: 'messages', body: { chatId: '@alice', userId: 'alice', text: '帮助' } }, expect: { kind: 'message', text: '帮助', conversation: { kind: 'direct', chatId: '@alice' } } },
    // No native slash commands: the text reaches the bot's one parser, which strips `/kpi`.
    command: { payload: { path: 'messages', body: { chatId: 'general', userId: 'bob', text: '/kpi gmv 7d' } }, expect: { kind: 'message', text: '/kpi gmv 7d', user: { id: 'bob' } } },
    // The console API only carries people's messages; the bot's own rows are never fed back.
    selfMessage: null,
    malformed: [
      { path: 'messages', body: {} },
      { path: 'messages', body: { chatId: '', userId: 'alice', text: 'x' } },
      { path: 'messages', body: { chatId: 'general', userId: 'alice', text: 'x'.repeat(10_000) } },
      { path: 'messages', raw: '{"chatId":"general",' },
      { path: 'actions', body: { chatId: 'general', userId: 'alice' } },
      { path: 'events', body: { type: 'explode', chatId: 'general', userId: 'alice' } },
    ],
  },
  redelivers: false,
  injectableErrors: [],
  canFailUploads: false,
  clickPayloadFor(post, actionId) {
    const btn = (cardOf(post)?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons : [])).find((b) => b.actionId === actionId);
    return { path: 'actions', body: { chatId: post.chatId, userId: 'alice', messageId: post.messageId, actionId, ...(btn?.value ? { value: btn.value } : {}) } };
  },
  buttonsIn: (p) => (cardOf(p)?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.actionId) : [])),
  textOf(p) {
    const c = cardOf(p);
    const parts = [(p.body as { text: string | null }).text ?? '', c?.title ?? ''];
    for (const b of c?.blocks ?? []) {
      if (b.type === 'text') parts.push(b.markdown);
      else if (b.type === 'note') parts.push(b.text);
      else if (b.type === 'fields') parts.push(...b.fields.map((f) => `${f.label} ${f.value}`));
      else if (b.type === 'image') parts.push(b.alt);
    }
    return parts.join('\n');
  },
  imagesIn: (p) => imageIds(cardOf(p)),
});
