/**
 * `POST /slack/events`: the one Request URL for the Events API, the `/kpi` slash command and
 * interactivity. An encapsulated Fastify plugin (so its raw-body parser applies to this route
 * only) that verifies the signature on the raw bytes, answers `url_verification` and
 * `ssl_check`, and hands the body to Bolt through a custom receiver calling `app.processEvent()`
 * — not `reply.hijack()`, so Fastify's hooks, error handler and metrics still apply (pitfalls.md).
 * The HTTP answer is the listener's ack; work happens after it, tracked and drained on close.
 */
import type { App, Receiver as BoltReceiver } from '@slack/bolt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { SlackDispatch } from './bolt-app.ts';
import { verifySlackSignature } from './signature.ts';

/** Slack gives up after 3 s and retries; answer before that even if a listener never acks. */
export const ACK_BUDGET_MS = 2500;
/** How long close() waits for events still being handled. */
export const DRAIN_MS = 10_000;

type Outcome = { kind: 'acked'; response?: unknown } | { kind: 'unhandled' } | { kind: 'timeout' } | { kind: 'failed'; err: unknown };

/** The Bolt side of the route: Bolt calls init(); start/stop belong to the server, not to Bolt. */
export class FastifyBoltReceiver implements BoltReceiver {
  private app?: App;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Runs the body through Bolt and resolves with the first of: ack, no ack at all, the budget. */
  async deliver(body: Record<string, unknown>, retryNum?: number, retryReason?: string): Promise<Outcome> {
    const app = this.app;
    if (!app) return { kind: 'failed', err: new Error('the Slack app is not initialised') };
    let settle!: (o: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
    let acked = false;
    const timer = setTimeout(() => settle({ kind: 'timeout' }), ACK_BUDGET_MS);
    app
      .processEvent({
        body,
        ...(retryNum !== undefined ? { retryNum } : {}),
        ...(retryReason ? { retryReason } : {}),
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          settle({ kind: 'acked', response });
        },
      })
      .then(() => settle(acked ? { kind: 'acked' } : { kind: 'unhandled' }))
      .catch((err: unknown) => settle({ kind: 'failed', err }));
    const result = await outcome;
    clearTimeout(timer);
    return result;
  }
}

const bad = (message: string) => new AppError('invalid_request', message);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Form bodies (slash commands; interactivity as `payload=<json>`) or JSON (events). Bolt's own
 * parser needs the content type without `; charset` (platforms.md §1 summary 2); ours does not.
 */
export function parseSlackBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  let body: unknown;
  if (type === 'application/x-www-form-urlencoded') {
    const form = Object.fromEntries(new URLSearchParams(text));
    if (typeof form.payload === 'string') {
      try {
        body = JSON.parse(form.payload);
      } catch {
        throw bad('the payload field is not valid JSON');
      }
    } else body = form;
  } else if (type === 'application/json') {
    try {
      body = JSON.parse(text);
    } catch {
      throw bad('body is not valid JSON');
    }
  } else {
    throw new AppError('unsupported_media_type', 'Slack sends JSON or form bodies');
  }
  if (!isRecord(body)) throw bad('body must be an object');
  // Shapes Bolt would trip over (it reads `event.channel`, destructures `actions`).
  if ('event' in body && !isRecord(body.event)) throw bad('event must be an object');
  if ('actions' in body && !Array.isArray(body.actions)) throw bad('actions must be a list');
  return body;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface SlackRouteOptions {
  receiver: FastifyBoltReceiver;
  signingSecret: string;
  dispatch: SlackDispatch;
  now?: () => number;
  drainMs?: number;
}

export async function slackRoutes(app: FastifyInstance, opts: SlackRouteOptions): Promise<void> {
  // Raw bytes for the signature check, for this plugin's routes only (pitfalls.md "Fastify 5").
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onClose', async () => opts.dispatch.drain(opts.drainMs ?? DRAIN_MS));

  app.post('/slack/events', async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // Slack's certificate check may come unsigned; it only wants a 200 (Bolt answers it first too).
    if (raw.length < 512 && /^ssl_check=1(&token=[^&]*)?$/.test(raw.toString('latin1'))) return reply.code(200).send('');
    const check = verifySlackSignature({
      secret: opts.signingSecret,
      timestamp: header(req, 'x-slack-request-timestamp'),
      signature: header(req, 'x-slack-signature'),
      rawBody: raw,
      nowMs: opts.now?.(),
    });
    if (!check.ok) {
      req.log.info({ reason: check.reason }, 'slack: request signature rejected');
      throw new AppError('unauthorized', 'missing, stale or invalid Slack signature');
    }
    const body = parseSlackBody(raw, header(req, 'content-type'));
    if (body.type === 'url_verification') {
      if (typeof body.challenge !== 'string') throw bad('url_verification needs a challenge');
      return { challenge: body.challenge };
    }

    const retryNum = Number(header(req, 'x-slack-retry-num'));
    const out = await opts.receiver.deliver(body, Number.isInteger(retryNum) && retryNum > 0 ? retryNum : undefined, header(req, 'x-slack-retry-reason'));
    switch (out.kind) {
      case 'acked':
        if (out.response === undefined || out.response === '') return reply.code(200).send('');
        return typeof out.response === 'string' ? reply.code(200).type('text/plain; charset=utf-8').send(out.response) : reply.code(200).send(out.response);
      case 'timeout':
        req.log.warn('slack: no ack within the budget; answered 200 so Slack does not retry');
        return reply.code(200).send('');
      case 'unhandled':
        throw bad('not a Slack request this app handles');
      case 'failed':
        req.log.warn({ err: out.err }, 'slack: could not process the request');
        throw bad('malformed Slack request');
    }
  });
}
