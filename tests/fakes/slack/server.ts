/**
 * A fake Slack on loopback HTTP: the Web API methods the adapter calls (auth.test,
 * chat.postMessage, chat.update, files.getUploadURLExternal, files.completeUploadExternal,
 * users.info, files.info), the upload URL and response_urls it hands out, and files users
 * shared (`hostFile`), served at their `url_private_download` to the bot token only. It records every call, checks
 * messages against Slack's documented limits (limits.ts) and can be told to fail the next
 * matching call with a 429 + Retry-After, a 5xx, a platform error (`invalid_auth`, …) or a hang.
 * Request shapes: platforms.md §1 e (form bodies with JSON-encoded arrays, Bearer token).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage } from './limits.ts';
import { attachSocketMode, type FakeSocketMode } from './socket.ts';

type Json = Record<string, unknown>;

export interface FakeCall {
  method: string;
  args: Json;
  at: number;
}

/** One message as the fake holds it; `edits` counts chat.update calls on it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: Json[];
  threadTs?: string;
  /** Set for a file share (files.completeUploadExternal with a channel). */
  files?: string[];
  edits: number;
}

export interface Injection {
  /** Web API method (`chat.postMessage`), `upload` or `response`; any when omitted. */
  method?: string;
  /** Only calls for this channel (or, for users.info, this user). */
  channel?: string;
  status?: number;
  retryAfter?: number;
  /** Slack error name for an HTTP 200 `{ok:false}` answer. */
  error?: string;
  /** Hold the answer this long (longer than the client's timeout → a timeout). */
  hangMs?: number;
}

export interface HostedFile {
  id: string;
  name: string;
  mimetype: string;
  bytes: Buffer;
  user: string;
  /** GETs of its download URL, with whether the bot token came along. */
  downloads: { authorized: boolean }[];
}

export interface FakeUser {
  team_id: string;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
}

export interface FakeSlack {
  apiUrl: string;
  origin: string;
  teamId: string;
  botUserId: string;
  calls: FakeCall[];
  /** Messages in the order they were created (posts and file shares). */
  messages: FakeMessage[];
  /** Every chat.update, in order, with the message it targeted. */
  edits: { channel: string; ts: string; text: string; blocks?: Json[] }[];
  /** Posts, edits and file shares in the order they happened. */
  log: { op: 'post' | 'edit' | 'file'; channel: string; ts: string; body: Json }[];
  uploads: { id: string; bytes: Buffer }[];
  responses: { id: string; body: Json }[];
  /** Problems found in rejected messages (limits.ts). */
  violations: string[];
  users: Map<string, FakeUser>;
  /** Socket Mode (apps.connections.open with the app token, then a WebSocket). */
  socket: FakeSocketMode;
  /** Channels chat.postMessage answers `not_in_channel` for. */
  notInChannel: Set<string>;
  /** Files users shared, by id (see hostFile). */
  hosted: Map<string, HostedFile>;
  /**
   * Hosts a file as if a user had uploaded it and returns the file object an event carries
   * (Slack's documented shape); `connect: true` gives the Slack Connect stub ("check_file_info").
   */
  hostFile(name: string, bytes: Buffer, o?: { mimetype?: string; connect?: boolean; user?: string }): Json;
  inject(i: Injection): void;
  responseUrl(): string;
  calledAt(method: string): number[];
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

/** Form fields whose values are JSON (the SDK JSON-encodes arrays and objects inside forms). */
function parseArgs(raw: Buffer, type: string | undefined): Json {
  const text = raw.toString('utf8');
  if ((type ?? '').startsWith('application/json')) return text ? (JSON.parse(text) as Json) : {};
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(text)) {
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

export async function startFakeSlack(opts: { botToken: string; appToken?: string; teamId?: string; botUserId?: string; botId?: string }): Promise<FakeSlack> {
  const teamId = opts.teamId ?? 'T0001';
  const botUserId = opts.botUserId ?? 'UBOT0001';
  const botId = opts.botId ?? 'BBOT0001';
  const injections: Injection[] = [];
  let seq = 0;
  let responseSeq = 0;
  const liveResponses = new Set<string>();
  const pendingUploads = new Map<string, { length: number; done: boolean }>();

  const fake = {
    socket: undefined as FakeSocketMode | undefined,
    teamId,
    botUserId,
    calls: [] as FakeCall[],
    messages: [] as FakeMessage[],
    edits: [] as FakeSlack['edits'],
    log: [] as FakeSlack['log'],
    uploads: [] as FakeSlack['uploads'],
    responses: [] as FakeSlack['responses'],
    violations: [] as string[],
    users: new Map<string, FakeUser>(),
    notInChannel: new Set<string>(),
    hosted: new Map<string, HostedFile>(),
  };

  function fileObject(f: HostedFile): Json {
    const path = `/files-pri/${teamId}-${f.id}`;
    return {
      id: f.id, created: 1_700_000_000, timestamp: 1_700_000_000, name: f.name, title: f.name, mimetype: f.mimetype,
      filetype: f.name.split('.').pop() ?? 'binary', pretty_type: f.mimetype, user: f.user, user_team: teamId, editable: false,
      size: f.bytes.length, mode: 'hosted', is_external: false, external_type: '', is_public: false, public_url_shared: false,
      display_as_bot: false, username: '',
      url_private: `${server.origin}${path}/${encodeURIComponent(f.name)}`,
      url_private_download: `${server.origin}${path}/download/${encodeURIComponent(f.name)}`,
      permalink: `https://fake.slack.com/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
      is_starred: false, has_rich_preview: false, file_access: 'visible',
    };
  }

  const nextTs = () => `${1_700_000_000 + ++seq}.${String(seq).padStart(6, '0')}`;

  function takeInjection(method: string, channel: unknown): Injection | undefined {
    const i = injections.findIndex((x) => (!x.method || x.method === method) && (!x.channel || x.channel === channel));
    return i < 0 ? undefined : injections.splice(i, 1)[0];
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  /** Answers an injected failure; true when one applied. */
  async function injected(res: ServerResponse, method: string, channel: unknown): Promise<boolean> {
    const inj = takeInjection(method, channel);
    if (!inj) return false;
    if (inj.hangMs) await new Promise((r) => setTimeout(r, inj.hangMs));
    if (inj.status === 429) send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(inj.retryAfter ?? 1) });
    else if (inj.status) send(res, inj.status, 'upstream trouble');
    else if (inj.error) send(res, 200, { ok: false, error: inj.error });
    else return false;
    return true;
  }

  function api(method: string, a: Json): Json {
    const channelOf = (c: unknown) => (typeof c === 'string' && c.startsWith('U') ? `D${c.slice(1)}` : c);
    switch (method) {
      case 'apps.connections.open':
        return { ok: true, url: `${server.origin.replace('http:', 'ws:')}/link/?ticket=fake-ticket` };
      case 'auth.test':
        return { ok: true, user_id: botUserId, bot_id: botId, team_id: teamId, team: 'Fake Team', user: 'kpibot' };
      case 'users.info': {
        const id = String(a.user ?? '');
        if (!/^[UW]/.test(id)) return { ok: false, error: 'user_not_found' };
        const u = fake.users.get(id) ?? { team_id: teamId };
        return { ok: true, user: { id, name: id.toLowerCase(), ...u } };
      }
      case 'chat.postMessage': {
        const channel = channelOf(a.channel);
        if (typeof channel !== 'string' || !/^[CGD]/.test(channel)) return { ok: false, error: 'channel_not_found' };
        if (fake.notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        const problem = checkMessage(a.text, a.blocks);
        if (problem) {
          fake.violations.push(...problem.problems);
          return { ok: false, error: problem.error, errors: problem.problems };
        }
        const msg: FakeMessage = { channel, ts: nextTs(), text: String(a.text ?? ''), edits: 0 };
        if (a.blocks) msg.blocks = a.blocks as Json[];
        if (typeof a.thread_ts === 'string') msg.threadTs = a.thread_ts;
        fake.messages.push(msg);
        fake.log.push({ op: 'post', channel, ts: msg.ts, body: a });
        return { ok: true, channel, ts: msg.ts, message: { text: msg.text, ts: msg.ts, bot_id: botId } };
      }
      case 'chat.update': {
        const msg = fake.messages.find((m) => m.channel === a.channel && m.ts === a.ts);
        if (!msg) return { ok: false, error: 'message_not_found' };
        const problem = checkMessage(a.text, a.blocks);
        if (problem) {
          fake.violations.push(...problem.problems);
          return { ok: false, error: problem.error, errors: problem.problems };
        }
        msg.text = String(a.text ?? '');
        if (a.blocks) msg.blocks = a.blocks as Json[];
        msg.edits++;
        fake.edits.push({ channel: msg.channel, ts: msg.ts, text: msg.text, ...(a.blocks ? { blocks: a.blocks as Json[] } : {}) });
        fake.log.push({ op: 'edit', channel: msg.channel, ts: msg.ts, body: a });
        return { ok: true, channel: msg.channel, ts: msg.ts, text: msg.text };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(a.length);
        if (!a.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(++seq).padStart(9, '0')}`;
        pendingUploads.set(id, { length, done: false });
        return { ok: true, upload_url: `${server.origin}/upload/v1/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = a.files as { id: string; title?: string }[] | undefined;
        if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
        for (const f of files) if (!pendingUploads.get(f.id)?.done) return { ok: false, error: 'file_not_found' };
        const channel = channelOf(a.channel_id);
        if (typeof channel === 'string') {
          const msg: FakeMessage = { channel, ts: nextTs(), text: '', files: files.map((f) => f.id), edits: 0 };
          if (typeof a.thread_ts === 'string') msg.threadTs = a.thread_ts;
          fake.messages.push(msg);
          fake.log.push({ op: 'file', channel, ts: msg.ts, body: a });
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) };
      }
      case 'files.info': {
        const f = fake.hosted.get(String(a.file ?? ''));
        return f ? { ok: true, file: fileObject(f), comments: [], response_metadata: { next_cursor: '' } } : { ok: false, error: 'file_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const api_ = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (api_ && req.method === 'POST') {
      const method = api_[1]!;
      const args = parseArgs(raw, req.headers['content-type']);
      fake.calls.push({ method, args, at: performance.now() });
      if (await injected(res, method, args.channel ?? args.channel_id ?? args.user)) return;
      const token = method === 'apps.connections.open' ? opts.appToken : opts.botToken;
      if (!token || req.headers.authorization !== `Bearer ${token}`) return send(res, 200, { ok: false, error: 'invalid_auth' });
      return send(res, 200, api(method, args));
    }
    const upload = /^\/upload\/v1\/(F\d+)$/.exec(url.pathname);
    if (upload && req.method === 'POST') {
      fake.calls.push({ method: 'upload', args: { id: upload[1] }, at: performance.now() });
      if (await injected(res, 'upload', undefined)) return;
      const pending = pendingUploads.get(upload[1]!);
      if (!pending) return send(res, 404, 'no such upload');
      fake.uploads.push({ id: upload[1]!, bytes: raw });
      pending.done = true;
      return send(res, 200, `OK - ${raw.length}`);
    }
    const hosted = /^\/files-pri\/[A-Z0-9]+-(F\w+)\/(?:download\/)?[^/]+$/.exec(url.pathname);
    if (hosted && req.method === 'GET') {
      const f = fake.hosted.get(hosted[1]!);
      const authorized = req.headers.authorization === `Bearer ${opts.botToken}`;
      fake.calls.push({ method: 'file', args: { id: hosted[1], authorized }, at: performance.now() });
      if (await injected(res, 'file', undefined)) return;
      if (!f) return send(res, 404, 'file not found');
      f.downloads.push({ authorized });
      // Without the token (or the files:read scope) Slack serves its sign-in page, with status 200.
      if (!authorized) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      }
      res.writeHead(200, { 'content-type': f.mimetype, 'content-length': String(f.bytes.length) });
      return res.end(f.bytes);
    }
    const response = /^\/response\/(\d+)$/.exec(url.pathname);
    if (response && req.method === 'POST') {
      fake.calls.push({ method: 'response', args: { id: response[1] }, at: performance.now() });
      if (await injected(res, 'response', undefined)) return;
      // response_urls expire (30 min / 5 uses on Slack); an unknown one answers 404 like an expired one.
      if (!liveResponses.has(response[1]!)) return send(res, 404, 'expired_url');
      fake.responses.push({ id: response[1]!, body: JSON.parse(raw.toString('utf8') || '{}') as Json });
      return send(res, 200, 'ok');
    }
    send(res, 404, 'not found');
  });

  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as AddressInfo;
  const server = { origin: `http://127.0.0.1:${port}` };

  return Object.assign(fake, {
    socket: attachSocketMode(http),
    apiUrl: `${server.origin}/api/`,
    origin: server.origin,
    inject: (i: Injection) => void injections.push(i),
    hostFile: (name: string, bytes: Buffer, o: { mimetype?: string; connect?: boolean; user?: string } = {}) => {
      const id = `F${String(++seq).padStart(9, '0')}`;
      const f: HostedFile = { id, name, mimetype: o.mimetype ?? (name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv'), bytes, user: o.user ?? 'U0ALICE01', downloads: [] };
      fake.hosted.set(id, f);
      // Slack Connect: events carry a stub; the app must call files.info for the rest.
      if (o.connect) return { id, mode: 'file_access', file_access: 'check_file_info', created: 0, timestamp: 0, user: '' };
      return fileObject(f);
    },
    responseUrl: () => {
      const id = String(++responseSeq);
      liveResponses.add(id);
      return `${server.origin}/response/${id}`;
    },
    calledAt: (method: string) => fake.calls.filter((c) => c.method === method).map((c) => c.at),
    close: () =>
      new Promise<void>((resolve) => {
        fake.socket?.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  });
}
