/**
 * A fake Feishu / Lark Open API on loopback HTTP, for the real node-sdk pointed at it with
 * `domain` (platforms.md §4): the tenant token, bot/v3/info, im/v1 messages (create, reply,
 * PATCH, file resources), im/v1/images (multipart), im/v1/chats, contact v3 departments and
 * users, and the long connection (ws.ts). It records every message, checks cards against
 * Feishu's limits (limits.ts), dedupes sends on `uuid`, enforces the frequency limits (5 sends/s
 * per chat, 50/s per app: HTTP 429, code 99991400, `x-ogw-ratelimit-reset`) and can be told to
 * fail the next matching call. Answers are Feishu's: HTTP 200 `{code: 0, msg, data}`, or
 * `{code ≠ 0}` with HTTP 200 or 4xx.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { contactAnswer, type FakeDepartment, type FakeUser } from './contact.ts';
import { checkCard } from './limits.ts';
import { attachLongConnection, type FakeLongConnection } from './ws.ts';

type Json = Record<string, unknown>;

export type { FakeDepartment, FakeUser } from './contact.ts';

export type ApiName = 'token' | 'send' | 'reply' | 'patch' | 'image' | 'resource' | 'chat' | 'contact' | 'bot' | 'endpoint';

export interface Injection {
  api?: ApiName;
  /** HTTP status (200 with `code` is Feishu's usual error answer). */
  status?: number;
  code?: number;
  msg?: string;
  /** `x-ogw-ratelimit-reset` seconds. */
  reset?: number;
  /** Hold the answer this long (longer than the client's timeout → a timeout). */
  hangMs?: number;
}

export interface FakeMessage {
  messageId: string;
  chatId: string;
  card: Json;
  rootId?: string;
  inThread?: boolean;
  uuid?: string;
  edits: number;
}

export interface FakeFeishuOptions {
  appId?: string;
  appSecret?: string;
  tenantKey?: string;
  botOpenId?: string;
  /** Frequency limits; false turns them off. */
  limits?: { chatPerSecond: number; appPerSecond: number } | false;
}

export const FAKE_APP_ID = 'cli_a1b2c3d4e5f60718';
export const FAKE_APP_SECRET = 'fake-app-secret-0123456789abcdef';
export const FAKE_TENANT = 'tenant-acme';
export const FAKE_BOT_OPEN_ID = 'ou_bot0000000000000000000000000001';

export interface FakeFeishu {
  origin: string;
  appId: string;
  appSecret: string;
  tenantKey: string;
  botOpenId: string;
  calls: { api: ApiName | 'other'; path: string; at: number }[];
  messages: FakeMessage[];
  /** Posts and edits in order, with the card as sent. */
  log: { op: 'post' | 'edit'; chatId: string; messageId: string; body: Json; at: number }[];
  uploads: { id: string; bytes: Buffer }[];
  violations: string[];
  /** Tenant tokens handed out (tests grep logs for them). */
  tokens: string[];
  /** Chat facts for im/v1/chats; unknown `oc_p2p_…` ids are DMs, others plain groups. */
  chats: Map<string, { mode: 'p2p' | 'group' | 'topic'; external?: boolean }>;
  /** Files users sent, by file_key (message resources). */
  files: Map<string, Buffer>;
  departments: FakeDepartment[];
  users: FakeUser[];
  /** 429s served by the frequency limits. */
  rateLimited: number;
  /** Sends answered with the earlier message because their `uuid` was seen before, per uuid. */
  uuidRepeats: Map<string, number>;
  /** Largest contact page the fake hands out (Feishu: 50); smaller to exercise paging. */
  contactPageSize: number;
  ws: FakeLongConnection;
  inject(i: Injection): void;
  /** New messages (sends and replies) per chat. */
  sendsPerChat(): Map<string, number>;
  sendsTo(chatId: string): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function multipart(req: IncomingMessage, raw: Buffer): Promise<{ fields: Record<string, string>; file?: Buffer }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: Buffer | undefined;
    const bb = busboy({ headers: req.headers });
    bb.on('field', (k, v) => (fields[k] = v));
    bb.on('file', (name, stream) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        if (name === 'image') file = Buffer.concat(parts);
      });
    });
    bb.on('close', () => resolve({ fields, file }));
    bb.on('error', reject);
    Readable.from([raw]).pipe(bb);
  });
}

export async function startFakeFeishu(opts: FakeFeishuOptions = {}): Promise<FakeFeishu> {
  const appId = opts.appId ?? FAKE_APP_ID;
  const appSecret = opts.appSecret ?? FAKE_APP_SECRET;
  const tenantKey = opts.tenantKey ?? FAKE_TENANT;
  const botOpenId = opts.botOpenId ?? FAKE_BOT_OPEN_ID;
  const limits = opts.limits === false ? null : (opts.limits ?? { chatPerSecond: 5, appPerSecond: 50 });
  const injections: Injection[] = [];
  const byUuid = new Map<string, FakeMessage>();
  let seq = 0;

  const fake = {
    appId,
    appSecret,
    tenantKey,
    botOpenId,
    calls: [] as FakeFeishu['calls'],
    messages: [] as FakeMessage[],
    log: [] as FakeFeishu['log'],
    uploads: [] as FakeFeishu['uploads'],
    violations: [] as string[],
    tokens: [] as string[],
    chats: new Map() as FakeFeishu['chats'],
    files: new Map<string, Buffer>(),
    departments: [] as FakeDepartment[],
    users: [] as FakeUser[],
    rateLimited: 0,
    uuidRepeats: new Map<string, number>(),
    contactPageSize: 50,
  };

  const id = (prefix: string) => `${prefix}${String(++seq).padStart(6, '0')}${randomBytes(4).toString('hex')}`;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }
  const ok = (res: ServerResponse, data: unknown, extra: Json = {}) => send(res, 200, { code: 0, msg: 'success', ...(data === undefined ? {} : { data }), ...extra });
  const fail = (res: ServerResponse, status: number, code: number, msg: string, headers: Record<string, string> = {}) => send(res, status, { code, msg, error: { log_id: 'fake' } }, headers);

  async function injected(res: ServerResponse, api: ApiName): Promise<boolean> {
    const i = injections.findIndex((x) => !x.api || x.api === api);
    if (i < 0) return false;
    const inj = injections.splice(i, 1)[0]!;
    // A hang does not cancel the call: like Feishu, the fake still carries it out (a timed-out send may have landed).
    if (inj.hangMs) await new Promise((r) => setTimeout(r, inj.hangMs));
    const headers: Record<string, string> = inj.reset !== undefined ? { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(inj.reset) } : {};
    if (inj.code !== undefined) fail(res, inj.status ?? 200, inj.code, inj.msg ?? 'injected', headers);
    else if (inj.status) send(res, inj.status, '<html>upstream trouble</html>', headers);
    else return false;
    return true;
  }

  /**
   * Frequency control as token buckets (N per second, bursts of N), one per chat and one for the
   * app. Returns seconds until a token is back (`x-ogw-ratelimit-reset`), or 0 after taking one.
   */
  const buckets = new Map<string, { tokens: number; at: number }>();
  function wait(key: string, perSecond: number, now: number): number {
    const b = buckets.get(key) ?? { tokens: perSecond, at: now };
    b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    buckets.set(key, b);
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }
  function take(res: ServerResponse, chatId: string | null): boolean {
    if (!limits) return true;
    const now = performance.now();
    const chatKey = chatId ? `chat:${chatId}` : null;
    const reset = Math.max(wait('app', limits.appPerSecond, now), chatKey ? wait(chatKey, limits.chatPerSecond, now) : 0);
    if (reset > 0) {
      fake.rateLimited++;
      fail(res, 429, 99991400, 'request trigger frequency limit', { 'x-ogw-ratelimit-limit': String(limits.chatPerSecond), 'x-ogw-ratelimit-reset': String(reset) });
      return false;
    }
    buckets.get('app')!.tokens--;
    if (chatKey) buckets.get(chatKey)!.tokens--;
    return true;
  }

  function cardOf(res: ServerResponse, body: Json): Json | null {
    if (body.msg_type !== undefined && body.msg_type !== 'interactive') {
      fail(res, 400, 230001, 'Your request contains an invalid request parameter, ext=only interactive in this fake');
      return null;
    }
    let card: unknown;
    try {
      card = JSON.parse(String(body.content));
    } catch {
      fail(res, 400, 230001, 'Your request contains an invalid request parameter, ext=invalid content');
      return null;
    }
    const problem = checkCard(card, new Set(fake.uploads.map((u) => u.id)));
    if (problem) {
      fake.violations.push(...problem.problems);
      fail(res, 400, problem.code, `card content failed: ${problem.problems[0]}`);
      return null;
    }
    return card as Json;
  }

  function created(res: ServerResponse, m: FakeMessage): void {
    ok(res, { message_id: m.messageId, chat_id: m.chatId, msg_type: 'interactive', create_time: String(Date.now()), ...(m.rootId ? { root_id: m.rootId } : {}), sender: { id: fake.appId, id_type: 'app_id', sender_type: 'app', tenant_key: tenantKey }, body: { content: JSON.stringify(m.card) } });
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const json = (): Json => {
      try {
        return JSON.parse(raw.toString('utf8') || '{}') as Json;
      } catch {
        return {};
      }
    };
    let m: RegExpExecArray | null;
    if (path === '/open-apis/auth/v3/tenant_access_token/internal' && method === 'POST') {
      fake.calls.push({ api: 'token', path, at: performance.now() });
      if (await injected(res, 'token')) return;
      const b = json();
      if (b.app_id !== appId || b.app_secret !== appSecret) return fail(res, 200, 10014, 'app secret invalid');
      const token = `t-${randomBytes(18).toString('hex')}`;
      fake.tokens.push(token);
      return send(res, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    const auth = req.headers.authorization;
    const apiName: ApiName =
      path === '/open-apis/bot/v3/info' ? 'bot'
      : path === '/open-apis/im/v1/images' ? 'image'
      : /\/resources\//.test(path) ? 'resource'
      : /\/reply$/.test(path) ? 'reply'
      : path.startsWith('/open-apis/im/v1/chats/') ? 'chat'
      : path.startsWith('/open-apis/contact/') ? 'contact'
      : method === 'PATCH' ? 'patch' : 'send';
    fake.calls.push({ api: apiName, path, at: performance.now() });
    if (await injected(res, apiName)) return;
    if (!auth) return fail(res, 400, 99991661, 'Missing access token for authorization');
    if (!fake.tokens.some((t) => auth === `Bearer ${t}`)) return fail(res, 400, 99991663, 'Invalid access token for authorization');

    if (apiName === 'bot') return send(res, 200, { code: 0, msg: 'ok', bot: { open_id: botOpenId, app_name: 'KPI Bot', activate_status: 2 } });

    if (path === '/open-apis/im/v1/messages' && method === 'POST') {
      const b = json();
      const type = url.searchParams.get('receive_id_type');
      const rid = String(b.receive_id ?? '');
      let chatId: string;
      if (type === 'chat_id' && /^oc_\w+$/.test(rid)) chatId = rid;
      else if (type === 'open_id' && /^ou_\w+$/.test(rid)) chatId = `oc_p2p_${rid.slice(3)}`;
      else return fail(res, 400, 230001, 'Your request contains an invalid request parameter, ext=invalid receive_id.');
      const uuid = typeof b.uuid === 'string' ? b.uuid : undefined;
      if (uuid && uuid.length > 50) return fail(res, 400, 230001, 'Your request contains an invalid request parameter, ext=uuid too long');
      const again = uuid ? byUuid.get(uuid) : undefined;
      if (again) {
        fake.uuidRepeats.set(uuid!, (fake.uuidRepeats.get(uuid!) ?? 0) + 1);
        return created(res, again);
      }
      const card = cardOf(res, b);
      if (!card || !take(res, chatId)) return;
      const msg: FakeMessage = { messageId: id('om_'), chatId, card, edits: 0, ...(uuid ? { uuid } : {}) };
      fake.messages.push(msg);
      if (uuid) byUuid.set(uuid, msg);
      fake.log.push({ op: 'post', chatId, messageId: msg.messageId, body: card, at: performance.now() });
      return created(res, msg);
    }
    if ((m = /^\/open-apis\/im\/v1\/messages\/([\w-]+)\/reply$/.exec(path)) && method === 'POST') {
      const parent = fake.messages.find((x) => x.messageId === m![1]);
      if (!parent) return fail(res, 400, 230001, 'Your request contains an invalid request parameter, ext=invalid message_id.');
      const b = json();
      const card = cardOf(res, b);
      if (!card || !take(res, parent.chatId)) return;
      const msg: FakeMessage = { messageId: id('om_'), chatId: parent.chatId, card, edits: 0, rootId: parent.rootId ?? parent.messageId, inThread: b.reply_in_thread === true };
      fake.messages.push(msg);
      fake.log.push({ op: 'post', chatId: msg.chatId, messageId: msg.messageId, body: card, at: performance.now() });
      return created(res, msg);
    }
    if ((m = /^\/open-apis\/im\/v1\/messages\/([\w-]+)$/.exec(path)) && method === 'PATCH') {
      const msg = fake.messages.find((x) => x.messageId === m![1]);
      if (!msg) return fail(res, 400, 230001, 'Your request contains an invalid request parameter, ext=invalid message_id.');
      const card = cardOf(res, json());
      if (!card || !take(res, null)) return;
      msg.card = card;
      msg.edits++;
      fake.log.push({ op: 'edit', chatId: msg.chatId, messageId: msg.messageId, body: card, at: performance.now() });
      return ok(res, {});
    }
    if ((m = /^\/open-apis\/im\/v1\/messages\/([\w-]+)\/resources\/([\w-]+)$/.exec(path)) && method === 'GET') {
      const bytes = fake.files.get(m[2]!);
      if (url.searchParams.get('type') !== 'file') return fail(res, 400, 234001, 'Invalid request param.');
      if (!bytes) return fail(res, 404, 234003, 'File not in msg.');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      // In pieces, like a real download, so a size limit has to be enforced while streaming.
      for (let i = 0; i < bytes.length; i += 16 * 1024) res.write(bytes.subarray(i, i + 16 * 1024));
      return void res.end();
    }
    if (path === '/open-apis/im/v1/images' && method === 'POST') {
      const { fields, file } = await multipart(req, raw);
      if (fields.image_type !== 'message' || !file) return fail(res, 400, 234001, 'Invalid request param.');
      if (file.length === 0 || file.length > 10 * 1024 * 1024) return fail(res, 400, 234006, 'The file size exceed the max value.');
      const key = id('img_v3_');
      fake.uploads.push({ id: key, bytes: file });
      return ok(res, { image_key: key });
    }
    if ((m = /^\/open-apis\/im\/v1\/chats\/([\w-]+)$/.exec(path)) && method === 'GET') {
      const c = fake.chats.get(m[1]!) ?? { mode: m[1]!.startsWith('oc_p2p_') ? 'p2p' : 'group' };
      return ok(res, { chat_mode: c.mode, external: c.external === true, name: m[1], tenant_key: tenantKey });
    }
    if (apiName === 'contact') {
      const a = contactAnswer(fake, path, url);
      return 'data' in a ? ok(res, a.data) : fail(res, a.status, a.code, a.msg);
    }
    fail(res, 404, 404, 'not found');
  }

  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    try {
      if (url.pathname === '/callback/ws/endpoint' && req.method === 'POST') {
        fake.calls.push({ api: 'endpoint', path: url.pathname, at: performance.now() });
        if (await injected(res, 'endpoint')) return;
        return send(res, 200, ws.endpoint(JSON.parse(raw.toString('utf8') || '{}') as Json));
      }
      if (url.pathname.startsWith('/open-apis/')) return await api(req, res, url, raw);
      send(res, 404, 'not found');
    } catch (err) {
      send(res, 500, `fake failed: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const ws = attachLongConnection(http, { origin, appId, appSecret });

  const perChat = () => {
    const counts = new Map<string, number>();
    for (const l of fake.log) if (l.op === 'post') counts.set(l.chatId, (counts.get(l.chatId) ?? 0) + 1);
    return counts;
  };
  return Object.assign(fake, {
    origin,
    ws,
    inject: (i: Injection) => void injections.push(i),
    sendsPerChat: perChat,
    sendsTo: (chatId: string) => perChat().get(chatId) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        ws.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  });
}
