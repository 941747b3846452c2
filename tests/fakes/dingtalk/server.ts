/**
 * A fake DingTalk on loopback (platforms.md §4 row DingTalk): the Stream gateway and WebSocket
 * (stream.ts), both token kinds, robot group/1:1 sends, session webhooks, advanced cards
 * (createAndDeliver + PUT), media upload, robot file download, and the directory's listsub /
 * user list. It records every call, checks messages against DingTalk's limits (limits.ts),
 * enforces 20 messages/min per group (errcode 130101, then a 10-minute throttle) and an optional
 * monthly org quota (90020), and can be told to fail the next matching call.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { checkCardParams, checkRobotMessage, checkWebhookMessage } from './limits.ts';
import { attachStream, type FakeStream } from './stream.ts';

type Json = Record<string, unknown>;

export const GROUP_LIMIT_PER_MIN = 20;
export const THROTTLE_MS = 10 * 60_000;

export interface Injection {
  /** Path prefix to match (`/v1.0/card/instances/createAndDeliver`, `/media/upload`, …); any when omitted. */
  path?: string;
  status?: number;
  /** New-API error code for the body (`InvalidAuthentication`, …). */
  code?: string;
  /** Legacy errcode answered with HTTP 200. */
  errcode?: number;
  hangMs?: number;
}

export interface FakeCall {
  method: string;
  path: string;
  body: Json;
  at: number;
}

export interface FakePost {
  op: 'post' | 'edit';
  /** `robot` (groupMessages/oToMessages), `card` (advanced card), `webhook` (session webhook). */
  via: 'robot' | 'card' | 'webhook';
  chatId: string;
  /** outTrackId for cards, processQueryKey for robot sends, a sequence for webhook posts. */
  messageId: string;
  body: Json;
}

export interface FakeDirectoryData {
  departments: { dept_id: number; name: string; parent_id: number }[];
  rootName: string;
  users: (Json & { dept: number; userid: string })[];
}

export interface FakeDingTalk {
  origin: string;
  apiUrl: string;
  oapiUrl: string;
  clientId: string;
  clientSecret: string;
  corpId: string;
  calls: FakeCall[];
  posts: FakePost[];
  uploads: { id: string; bytes: Buffer }[];
  violations: string[];
  stream: FakeStream;
  directory: FakeDirectoryData;
  /** Monthly OpenAPI calls allowed before 90020 (undefined: no limit) and calls counted so far. */
  quota: { limit?: number; used: number };
  /** Messages accepted per chat (the fan-out bench reads these). */
  sendCounts(): Map<string, number>;
  /** OpenAPI calls (token calls and the gateway excluded) so far. */
  apiCalls(): FakeCall[];
  inject(i: Injection): void;
  /** A live session webhook for a chat, valid until `expiresAt` (default +90 min). */
  sessionWebhook(chatId: string, expiresAt?: number): { url: string; expiresAt: number };
  /** Makes a file downloadable by this download code; `chunked` sends no content-length (size learnt while streaming). */
  hostFile(downloadCode: string, bytes: Buffer, o?: { chunked?: boolean }): void;
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

function multipart(req: IncomingMessage, raw: Buffer): Promise<{ field: string; bytes: Buffer }[]> {
  return new Promise((resolve, reject) => {
    const files: { field: string; bytes: Buffer }[] = [];
    const bb = busboy({ headers: req.headers });
    bb.on('file', (field, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => files.push({ field, bytes: Buffer.concat(chunks) }));
    });
    bb.on('close', () => resolve(files));
    bb.on('error', reject);
    bb.end(raw);
  });
}

export async function startFakeDingTalk(opts: { clientId?: string; clientSecret?: string; corpId?: string; now?: () => number } = {}): Promise<FakeDingTalk> {
  const clientId = opts.clientId ?? 'dingfakeclient0001';
  const clientSecret = opts.clientSecret ?? 'fake-dingtalk-client-secret-0001';
  const corpId = opts.corpId ?? 'dingcorp0001';
  const now = opts.now ?? Date.now;
  const injections: Injection[] = [];
  const tokens = new Set<string>();
  const legacyTokens = new Set<string>();
  const sessions = new Map<string, { chatId: string; expiresAt: number }>();
  const files = new Map<string, Buffer>();
  const chunked = new Set<string>();
  const cards = new Map<string, { chatId: string }>();
  const recent = new Map<string, number[]>();
  const throttled = new Map<string, number>();
  const counts = new Map<string, number>();
  let seq = 0;

  const fake = {
    clientId,
    clientSecret,
    corpId,
    calls: [] as FakeCall[],
    posts: [] as FakePost[],
    uploads: [] as { id: string; bytes: Buffer }[],
    violations: [] as string[],
    quota: { used: 0 } as { limit?: number; used: number },
    directory: { departments: [], rootName: 'Fake Corp', users: [] } as FakeDirectoryData,
  };

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  function takeInjection(path: string): Injection | undefined {
    const i = injections.findIndex((x) => !x.path || path.startsWith(x.path));
    return i < 0 ? undefined : injections.splice(i, 1)[0];
  }

  /** 20 messages per minute per group, then 10 minutes of errcode 130101. */
  function flowControlled(chatId: string): boolean {
    const t = now();
    if ((throttled.get(chatId) ?? 0) > t) return true;
    const window = (recent.get(chatId) ?? []).filter((x) => t - x < 60_000);
    if (window.length >= GROUP_LIMIT_PER_MIN) {
      throttled.set(chatId, t + THROTTLE_MS);
      return true;
    }
    window.push(t);
    recent.set(chatId, window);
    return false;
  }

  const TOO_FAST = { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' };
  const accepted = (chatId: string) => counts.set(chatId, (counts.get(chatId) ?? 0) + 1);

  function robotSend(chatId: string, a: Json): Json {
    const problems = checkRobotMessage(a.msgKey, a.msgParam);
    if (problems.length) {
      fake.violations.push(...problems);
      return { errcode: 40035, errmsg: problems.join('; ') };
    }
    if (flowControlled(chatId)) return TOO_FAST;
    const key = `pqk-${++seq}`;
    accepted(chatId);
    fake.posts.push({ op: 'post', via: 'robot', chatId, messageId: key, body: a });
    return { processQueryKey: key };
  }

  /** New-API methods; returns [status, body]. */
  function api(method: string, path: string, a: Json): [number, Json] {
    if (method === 'POST' && path === '/v1.0/robot/groupMessages/send') {
      if (a.robotCode !== clientId || typeof a.openConversationId !== 'string') return [400, { code: 'InvalidParameter', message: 'robotCode or openConversationId' }];
      return [200, robotSend(a.openConversationId, a)];
    }
    if (method === 'POST' && path === '/v1.0/robot/oToMessages/batchSend') {
      const users = a.userIds as string[] | undefined;
      if (!Array.isArray(users) || users.length === 0) return [400, { code: 'InvalidParameter', message: 'userIds' }];
      const r = robotSend(`user:${users[0]}`, a);
      return [200, 'errcode' in r ? r : { ...r, invalidStaffIdList: [], flowControlledStaffIdList: [] }];
    }
    if (method === 'POST' && path === '/v1.0/card/instances/createAndDeliver') {
      const space = String(a.openSpaceId ?? '');
      const m = /^dtv1\.card\/\/IM_(GROUP|ROBOT)\.(.+)$/.exec(space);
      if (!m || typeof a.outTrackId !== 'string' || a.callbackType !== 'STREAM' || typeof a.cardTemplateId !== 'string') return [400, { code: 'InvalidParameter', message: 'openSpaceId, outTrackId, callbackType or cardTemplateId' }];
      const problems = checkCardParams((a.cardData as Json | undefined)?.cardParamMap);
      if (problems.length) {
        fake.violations.push(...problems);
        return [400, { code: 'InvalidParameter', message: problems.join('; ') }];
      }
      const chatId = m[1] === 'GROUP' ? m[2]! : `user:${m[2]}`;
      if (flowControlled(chatId)) return [200, TOO_FAST];
      cards.set(a.outTrackId, { chatId });
      accepted(chatId);
      fake.posts.push({ op: 'post', via: 'card', chatId, messageId: a.outTrackId, body: a });
      return [200, { success: true, result: { outTrackId: a.outTrackId, deliverResults: [{ spaceType: `IM_${m[1]}`, spaceId: m[2], success: true }] } }];
    }
    if (method === 'PUT' && path === '/v1.0/card/instances') {
      const card = cards.get(String(a.outTrackId));
      if (!card) return [400, { code: 'param.cardInstanceNotExist', message: 'card instance does not exist' }];
      const problems = checkCardParams((a.cardData as Json | undefined)?.cardParamMap);
      if (problems.length) {
        fake.violations.push(...problems);
        return [400, { code: 'InvalidParameter', message: problems.join('; ') }];
      }
      fake.posts.push({ op: 'edit', via: 'card', chatId: card.chatId, messageId: String(a.outTrackId), body: a });
      return [200, { success: true, result: true }];
    }
    if (method === 'POST' && path === '/v1.0/robot/messageFiles/download') {
      if (!files.has(String(a.downloadCode)) || a.robotCode !== clientId) return [400, { code: 'resource.notExist', message: 'download code' }];
      return [200, { downloadUrl: `${server.origin}/files/${encodeURIComponent(String(a.downloadCode))}` }];
    }
    return [404, { code: 'NotFound', message: `no such API ${method} ${path}` }];
  }

  function oapi(path: string, a: Json): Json {
    const dept = Number(a.dept_id);
    if (path === '/topapi/v2/department/get') return { errcode: 0, result: { dept_id: dept, name: dept === 1 ? fake.directory.rootName : (fake.directory.departments.find((d) => d.dept_id === dept)?.name ?? '') } };
    if (path === '/topapi/v2/department/listsub') return { errcode: 0, result: fake.directory.departments.filter((d) => d.parent_id === dept) };
    if (path === '/topapi/v2/user/list') {
      const size = Number(a.size);
      if (!(size > 0 && size <= 100)) return { errcode: 40035, errmsg: 'size' };
      const all = fake.directory.users.filter((u) => u.dept === dept);
      const from = Number(a.cursor ?? 0);
      const page = all.slice(from, from + size).map(({ dept: _d, ...u }) => u);
      const more = from + size < all.length;
      return { errcode: 0, result: { has_more: more, ...(more ? { next_cursor: from + size } : {}), list: page } };
    }
    return { errcode: 404, errmsg: 'unknown method' };
  }

  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const path = url.pathname;
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
    let body: Json = {};
    if (isJson && raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Json;
      } catch {
        return send(res, 400, { code: 'InvalidParameter', message: 'body is not JSON' });
      }
    }
    fake.calls.push({ method: req.method ?? 'GET', path, body, at: performance.now() });

    const inj = takeInjection(path);
    if (inj) {
      if (inj.hangMs) await new Promise((r) => setTimeout(r, inj.hangMs));
      if (inj.errcode !== undefined) return send(res, 200, { errcode: inj.errcode, errmsg: 'injected' });
      if (inj.status) return send(res, inj.status, { code: inj.code ?? 'ServiceUnavailable', message: 'injected' });
    }

    if (req.method === 'POST' && path === '/v1.0/gateway/connections/open') {
      if (req.headers.accept !== 'application/json') return void res.writeHead(200, { 'content-type': 'text/xml' }).end('<xml/>');
      if (body.clientId !== clientId || body.clientSecret !== clientSecret) return send(res, 401, { code: 'InvalidAuthentication', message: 'bad client' });
      const ticket = randomBytes(8).toString('hex');
      stream.tickets.add(ticket);
      return send(res, 200, { endpoint: `${server.origin.replace('http:', 'ws:')}/connect`, ticket });
    }
    if (req.method === 'POST' && path === '/v1.0/oauth2/accessToken') {
      if (body.appKey !== clientId || body.appSecret !== clientSecret) return send(res, 400, { code: 'invalidClientIdOrSecret', message: 'bad app' });
      const t = `at-${++seq}`;
      tokens.add(t);
      return send(res, 200, { accessToken: t, expireIn: 7200 });
    }
    if (req.method === 'GET' && path === '/gettoken') {
      if (url.searchParams.get('appkey') !== clientId || url.searchParams.get('appsecret') !== clientSecret) return send(res, 200, { errcode: 40089, errmsg: 'invalid appkey or appsecret' });
      const t = `lt-${++seq}`;
      legacyTokens.add(t);
      return send(res, 200, { errcode: 0, errmsg: 'ok', access_token: t, expires_in: 7200 });
    }
    const file = /^\/files\/(.+)$/.exec(path);
    if (req.method === 'GET' && file) {
      const code = decodeURIComponent(file[1]!);
      const bytes = files.get(code);
      if (!bytes) return send(res, 404, { code: 'NotFound' });
      if (chunked.has(code)) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let at = 0; at < bytes.length; at += 16) res.write(bytes.subarray(at, at + 16));
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      return void res.end(bytes);
    }

    if (req.method === 'POST' && path === '/robot/sendBySession') {
      const s = sessions.get(url.searchParams.get('session') ?? '');
      if (!s || s.expiresAt < now()) return send(res, 200, { errcode: 300001, errmsg: 'session expired' });
      const problems = checkWebhookMessage(body);
      if (problems.length) {
        fake.violations.push(...problems);
        return send(res, 200, { errcode: 40035, errmsg: problems.join('; ') });
      }
      if (flowControlled(s.chatId)) return send(res, 200, TOO_FAST);
      accepted(s.chatId);
      fake.posts.push({ op: 'post', via: 'webhook', chatId: s.chatId, messageId: `wh-${++seq}`, body });
      return send(res, 200, { errcode: 0, errmsg: 'ok' });
    }

    const quotaGone = () => fake.quota.limit !== undefined && fake.quota.used >= fake.quota.limit;
    if (path.startsWith('/v1.0/')) {
      if (!tokens.has(String(req.headers['x-acs-dingtalk-access-token']))) return send(res, 401, { code: 'InvalidAuthentication', message: 'access token' });
      if (quotaGone()) return send(res, 403, { code: 'Forbidden.AccessDenied.ApiCountLimitForOrg', message: 'the org API quota for this month is used up' });
      fake.quota.used++;
      const [status, out] = api(req.method ?? 'GET', path, body);
      return send(res, status, out);
    }
    if (!legacyTokens.has(url.searchParams.get('access_token') ?? '')) return send(res, 200, { errcode: 40014, errmsg: 'invalid access_token' });
    if (quotaGone()) return send(res, 200, { errcode: 90020, errmsg: 'ApiCountLimitForOrg' });
    fake.quota.used++;
    if (req.method === 'POST' && path === '/media/upload') {
      const parts = await multipart(req, raw).catch(() => []);
      const media = parts.find((p) => p.field === 'media');
      if (url.searchParams.get('type') !== 'image' || !media) return send(res, 200, { errcode: 40035, errmsg: 'media and type=image required' });
      const id = `@lAfake${++seq}`;
      fake.uploads.push({ id, bytes: media.bytes });
      return send(res, 200, { errcode: 0, errmsg: 'ok', media_id: id, type: 'image', created_at: now() });
    }
    return send(res, 200, oapi(path, body));
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const server = { origin };
  const stream = attachStream(http);
  const noToken = new Set(['/v1.0/gateway/connections/open', '/v1.0/oauth2/accessToken', '/gettoken', '/robot/sendBySession']);

  return Object.assign(fake, {
    origin,
    apiUrl: origin,
    oapiUrl: origin,
    stream,
    sendCounts: () => new Map(counts),
    apiCalls: () => fake.calls.filter((c) => !noToken.has(c.path) && !c.path.startsWith('/files/')),
    inject: (i: Injection) => void injections.push(i),
    sessionWebhook(chatId: string, expiresAt = now() + 90 * 60_000) {
      const session = randomBytes(8).toString('hex');
      sessions.set(session, { chatId, expiresAt });
      return { url: `${origin}/robot/sendBySession?session=${session}`, expiresAt };
    },
    hostFile(code: string, bytes: Buffer, o: { chunked?: boolean } = {}) {
      files.set(code, bytes);
      if (o.chunked) chunked.add(code);
    },
    async close() {
      stream.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  });
}
