/**
 * The only file that talks to Slack's Web API: post, update, respond (response_url), upload an
 * image (files upload v2), auth.test, users.info, and fetch a file a user shared (files.info + the
 * private download URL). `@slack/web-api` runs with `retries: 0` and
 * `rejectRateLimitedCalls: true`: by default it retries for ~30 min and a 429 pauses its whole
 * queue (every channel), so retrying is left to the outbox, per chat (pitfalls.md). Every failure
 * leaves as an AdapterError (errors.ts).
 */
import {
  WebClient,
  type FilesCompleteUploadExternalArguments,
  type FilesGetUploadURLExternalArguments,
  type KnownBlock,
} from '@slack/web-api';
import type { Logger } from 'pino';
import { AdapterError } from '../../bot/errors.ts';
import { classifySlackError, codeForStatus } from './errors.ts';
import { slackLogger } from './logger.ts';

/** A call that takes longer is abandoned as `timeout` (the outbox then marks it `unknown`). */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface SlackClientOptions {
  botToken: string;
  logger: Logger;
  /** Web API base, `https://slack.com/api/` unless pointed at a fake (SLACK_API_URL). */
  apiUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface PostArgs {
  channel: string;
  text: string;
  blocks?: KnownBlock[];
  threadTs?: string;
}

/** What `response_url` accepts (https://api.slack.com/interactivity/handling#message_responses). */
export interface ResponseBody {
  text: string;
  blocks?: KnownBlock[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export interface SlackUser {
  /** Multi- or single-channel guest. */
  guest: boolean;
  /** Home workspace; another one than ours means a Slack Connect user. */
  teamId?: string;
  /** Slack's own flag for someone outside the org seen through Connect. */
  stranger: boolean;
}

export interface SlackClient {
  postMessage(args: PostArgs): Promise<{ channel: string; ts: string }>;
  update(args: { channel: string; ts: string; text: string; blocks?: KnownBlock[] }): Promise<void>;
  respond(responseUrl: string, body: ResponseBody): Promise<void>;
  uploadImage(args: { bytes: Uint8Array; filename: string; title: string; alt: string; channel?: string; threadTs?: string }): Promise<string>;
  authTest(): Promise<{ userId?: string; botId?: string; teamId?: string }>;
  userInfo(userId: string): Promise<SlackUser>;
  /** files.info: the download URL and size of a file (Slack Connect files come without them). */
  fileInfo(fileId: string): Promise<{ url?: string; size?: number; name?: string }>;
  /** GET a file URL with the bot token, cut off past `maxBytes` while streaming. */
  downloadFile(url: string, maxBytes: number): Promise<Uint8Array>;
}

/** Redirects followed on a download, each to a Slack host again. */
const MAX_REDIRECTS = 3;

export function createSlackClient(opts: SlackClientOptions): SlackClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const web = new WebClient(opts.botToken, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: slackLogger(opts.logger),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifySlackError(err, what);
    }
  }

  const apiOrigin = new URL(opts.apiUrl).origin;
  /** Only Slack's own hosts (or the configured API origin, i.e. a test fake) get our requests. */
  function trusted(url: string): boolean {
    if (!URL.canParse(url)) return false;
    const u = new URL(url);
    return u.origin === apiOrigin || (u.protocol === 'https:' && (u.hostname === 'slack.com' || u.hostname.endsWith('.slack.com')));
  }

  /** Plain HTTP to an absolute URL Slack handed us (response_url, upload_url). */
  async function post(what: string, url: string, init: RequestInit): Promise<void> {
    if (!trusted(url)) throw new AdapterError('slack', 'invalid_payload', `${what}: not a Slack URL`);
    let res: Response;
    try {
      res = await fetchFn(url, { ...init, method: 'POST', redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw classifySlackError(err, what);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 200) return;
    const retry = Number(res.headers.get('retry-after'));
    throw new AdapterError('slack', codeForStatus(res.status), `${what}: HTTP ${res.status}`, {
      ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}),
    });
  }

  return {
    async postMessage(a) {
      const res = await call('chat.postMessage', () =>
        web.chat.postMessage({ channel: a.channel, text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}), ...(a.threadTs ? { thread_ts: a.threadTs } : {}) }),
      );
      if (!res.ts || !res.channel) throw new AdapterError('slack', 'unknown', 'chat.postMessage: no ts in the answer');
      return { channel: res.channel, ts: res.ts };
    },

    async update(a) {
      await call('chat.update', () => web.chat.update({ channel: a.channel, ts: a.ts, text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) }));
    },

    async respond(url, body) {
      await post('response_url', url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    },

    async uploadImage(a) {
      // Files upload v2: get a URL, POST the bytes to it, then complete (sharing into the channel).
      // Slack's reference names the alt text `alt_txt` (the SDK's type says alt_text): send Slack's.
      const args = { filename: a.filename, length: a.bytes.byteLength, alt_txt: a.alt.slice(0, 1000) };
      const got = await call('files.getUploadURLExternal', () => web.files.getUploadURLExternal(args as FilesGetUploadURLExternalArguments));
      if (!got.upload_url || !got.file_id) throw new AdapterError('slack', 'unknown', 'files.getUploadURLExternal: no upload_url');
      await post('upload_url', got.upload_url, {
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${opts.botToken}` },
        body: a.bytes,
      });
      const files: FilesCompleteUploadExternalArguments['files'] = [{ id: got.file_id, title: a.title }];
      const complete: FilesCompleteUploadExternalArguments = !a.channel
        ? { files }
        : a.threadTs
          ? { files, channel_id: a.channel, thread_ts: a.threadTs }
          : { files, channel_id: a.channel };
      await call('files.completeUploadExternal', () => web.files.completeUploadExternal(complete));
      return got.file_id;
    },

    async authTest() {
      const res = await call('auth.test', () => web.auth.test());
      return { userId: res.user_id, botId: res.bot_id, teamId: res.team_id };
    },

    async fileInfo(fileId) {
      const res = await call('files.info', () => web.files.info({ file: fileId }));
      const f = res.file as { url_private_download?: string; url_private?: string; size?: number; name?: string } | undefined;
      return { url: f?.url_private_download ?? f?.url_private, size: f?.size, name: f?.name };
    },

    async downloadFile(url, maxBytes) {
      // Private file URLs need the bot token (files:read); without that scope Slack answers 200 with
      // its HTML sign-in page instead of the file, so an HTML answer is a permission problem.
      let target = url;
      let res: Response | undefined;
      for (let hop = 0; ; hop++) {
        if (!trusted(target)) throw new AdapterError('slack', 'invalid_payload', 'file download: not a Slack URL');
        try {
          res = await fetchFn(target, { headers: { authorization: `Bearer ${opts.botToken}` }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs * 3) });
        } catch (err) {
          throw classifySlackError(err, 'file download');
        }
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || !location || hop >= MAX_REDIRECTS) break;
        await res.arrayBuffer().catch(() => undefined);
        target = new URL(location, target).toString();
      }
      if (res.status !== 200) {
        await res.arrayBuffer().catch(() => undefined);
        throw new AdapterError('slack', codeForStatus(res.status), `file download: HTTP ${res.status}`);
      }
      if (/text\/html/i.test(res.headers.get('content-type') ?? '')) {
        await res.body?.cancel().catch(() => undefined);
        throw new AdapterError('slack', 'permission', 'file download: Slack answered with a sign-in page (is the files:read scope granted?)');
      }
      const declared = Number(res.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw new AdapterError('slack', 'invalid_payload', `file download: larger than ${maxBytes} bytes`);
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      const reader = res.body?.getReader();
      if (!reader) return new Uint8Array();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > maxBytes) throw new AdapterError('slack', 'invalid_payload', `file download: larger than ${maxBytes} bytes`);
          chunks.push(value);
        }
      } catch (err) {
        await reader.cancel().catch(() => undefined);
        throw err instanceof AdapterError ? err : classifySlackError(err, 'file download');
      }
      return Buffer.concat(chunks, total);
    },

    async userInfo(userId) {
      const res = await call('users.info', () => web.users.info({ user: userId }));
      const u = res.user as { is_restricted?: boolean; is_ultra_restricted?: boolean; is_stranger?: boolean; team_id?: string } | undefined;
      return { guest: Boolean(u?.is_restricted || u?.is_ultra_restricted), stranger: Boolean(u?.is_stranger), teamId: u?.team_id };
    },
  };
}
