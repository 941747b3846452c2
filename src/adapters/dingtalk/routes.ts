/**
 * The DingTalk binding's HTTP side (an encapsulated Fastify plugin):
 * - `POST /dingtalk/events`: outgoing-robot mode (HTTP callbacks instead of Stream). Checked with
 *   the `timestamp` + `sign` headers (signature.ts), each sign good for one message id; the body
 *   is the same robot message Stream delivers. Answers 200 at once; replies go through the
 *   message's session webhook.
 * - `GET /links/:token`: the signed action links of actionCards (links.ts). Forged or malformed →
 *   400, expired → 410, used before → 409 "already used" (one row per nonce in the database),
 *   valid → one `action` event for the bot and a small bilingual page. Never a stack trace.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { InboundEvent } from '../../bot/events.ts';
import type { Dispatcher } from './dispatch.ts';
import { verifyLink } from './links.ts';
import { normalizeRobotMessage, USER_TARGET_PREFIX } from './normalize.ts';
import type { RawRobotMessage } from './raw-types.ts';
import { verifyDingTalkSign } from './signature.ts';

export interface DingTalkRouteOptions {
  appSecret: string;
  linkKey: Buffer;
  database: Database;
  dispatcher: Dispatcher;
  /** Whether outgoing-robot mode is mounted (Stream mode needs no route). */
  outgoingRobot: boolean;
  now?: () => number;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

const PAGE = (title: string, en: string, zh: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}p{margin:.4rem 0}</style></head>
<body><h1>${title}</h1><p>${zh}</p><p>${en}</p></body></html>`;

function page(reply: FastifyReply, status: number, title: string, en: string, zh: string) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(PAGE(title, en, zh));
}

/**
 * DingTalk's outgoing-robot sign covers the timestamp only, not the body: whoever saw one request
 * could send any message as anyone for the rest of the window. So a sign serves one message: the
 * first message id that uses it claims it (two rows in inbound_dedup, pruned with it); the same
 * message again is a redelivery (the bot's dedup drops it), another message is refused.
 */
async function signFirstUsedBy(database: Database, timestamp: string, sign: string, messageId: string): Promise<boolean> {
  const claim = `sign:${timestamp}:${sign}`;
  const mine = `${claim}:${messageId}`;
  const first = await database.query(sql`insert into inbound_dedup (platform, event_id) values ('dingtalk', ${claim}) on conflict do nothing returning event_id`);
  if (first.length === 1) {
    await database.query(sql`insert into inbound_dedup (platform, event_id) values ('dingtalk', ${mine}) on conflict do nothing`);
    return true;
  }
  const same = await database.query(sql`select 1 from inbound_dedup where platform = 'dingtalk' and event_id = ${mine}`);
  return same.length === 1;
}

export async function dingtalkRoutes(app: FastifyInstance, opts: DingTalkRouteOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  app.addHook('onClose', async () => opts.dispatcher.drain());

  if (opts.outgoingRobot) {
    app.post('/dingtalk/events', async (req, reply) => {
      const check = verifyDingTalkSign({ secret: opts.appSecret, timestamp: header(req.headers.timestamp), sign: header(req.headers.sign), nowMs: now() });
      if (!check.ok) {
        req.log.info({ reason: check.reason }, 'dingtalk: outgoing-robot signature rejected');
        throw new AppError('unauthorized', 'missing, stale or invalid DingTalk sign');
      }
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw new AppError('invalid_request', 'body must be a JSON object');
      const event = normalizeRobotMessage(req.body as RawRobotMessage, new Date(now()));
      if (event) {
        if (!(await signFirstUsedBy(opts.database, header(req.headers.timestamp)!, header(req.headers.sign)!, event.eventId))) {
          req.log.info('dingtalk: outgoing-robot sign reused for another message');
          throw new AppError('unauthorized', 'this DingTalk sign was already used for another message');
        }
        opts.dispatcher.dispatch(event);
      }
      return reply.code(200).send({});
    });
  }

  // A wildcard, not `:token`: Fastify refuses path parameters over 100 characters (maxParamLength)
  // with 414, and a token carrying the chat and message ref is longer.
  app.get<{ Params: { '*': string } }>('/links/*', async (req, reply) => {
    let token = '';
    try {
      token = decodeURIComponent(req.params['*'] ?? '');
    } catch {
      // A broken %-escape is just another invalid link.
    }
    const check = verifyLink(opts.linkKey, token, now());
    if (!check.ok) {
      req.log.info({ reason: check.reason }, 'dingtalk: action link refused');
      return check.reason === 'expired'
        ? page(reply, 410, '链接已过期 · Link expired', 'This link has expired. Ask the bot again in the chat.', '此链接已过期，请在群里重新询问机器人。')
        : page(reply, 400, '链接无效 · Invalid link', 'This link is not valid.', '此链接无效。');
    }
    const c = check.claims;
    const used = await opts.database.query(sql`insert into action_link_uses (nonce, action_id) values (${c.nonce}, ${c.actionId})
      on conflict do nothing returning nonce`);
    if (used.length === 0) return page(reply, 409, '已处理 · Already used', 'This button was already used.', '此按钮已被使用过。');
    const direct = c.chatId.startsWith(USER_TARGET_PREFIX);
    const event: InboundEvent = {
      kind: 'action',
      platform: 'dingtalk',
      eventId: `link:${c.nonce}`,
      // A link carries no login: in a DM it is the recipient's; in a group whoever opened it acts as a member.
      user: direct ? { platform: 'dingtalk', id: c.chatId.slice(USER_TARGET_PREFIX.length) } : { platform: 'dingtalk', id: c.userId ?? 'link', displayName: 'DingTalk link' },
      conversation: { platform: 'dingtalk', tenantKey: c.tenantKey, chatId: c.chatId, kind: direct ? 'direct' : 'group' },
      receivedAt: new Date(now()),
      actionId: c.actionId,
      ...(c.value !== undefined ? { value: c.value } : {}),
      message: { platform: 'dingtalk', chatId: c.chatId, messageId: c.messageId },
    };
    opts.dispatcher.dispatch(event);
    return page(reply, 200, '已完成 · Done', 'Done — you can close this page and go back to DingTalk.', '已完成，可以关闭此页面并返回钉钉。');
  });
}
