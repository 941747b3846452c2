/**
 * `POST /feishu/events` (FEISHU_MODE=webhook): events and card callbacks. An encapsulated
 * Fastify plugin, so its raw-body parser applies to this route only; the request is verified
 * here on the raw bytes (signature.ts) because the SDK's own check hashes re-serialised JSON,
 * has no time window and ignores the verification token (platforms.md §2 a, node-sdk#46).
 * Then `url_verification` is answered at once (Feishu wants it within 1 s) and everything else
 * goes to the SDK's EventDispatcher with its check skipped. Bad input → 400/401, nothing
 * dispatched; unknown event types → 200 `{}` and ignored (Feishu would retry anything else).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { HANDLED_EVENTS, type FeishuInbound } from './inbound.ts';
import type { RawEnvelope } from './raw-types.ts';
import { decryptFeishu, sameSecret, verifyFeishuSignature } from './signature.ts';

/** How close() waits for events still being handled. */
export const DRAIN_MS = 10_000;
/** Bigger bodies are not events (Feishu's are a few kB; text is capped at 150 kB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface FeishuRouteOptions {
  inbound: FeishuInbound;
  verificationToken?: string;
  encryptKey?: string;
  now?: () => number;
  drainMs?: number;
}

const bad = (message: string) => new AppError('invalid_request', message);
const refused = (message: string) => new AppError('unauthorized', message);

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad(`${what} is not valid JSON`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(`${what} must be an object`);
  return v as Record<string, unknown>;
}

export async function feishuRoutes(app: FastifyInstance, opts: FeishuRouteOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
  app.addHook('onClose', async () => opts.inbound.drain(opts.drainMs ?? DRAIN_MS));

  app.post('/feishu/events', async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { encryptKey, verificationToken } = opts;

    let signed = false;
    if (encryptKey) {
      const signature = header(req, 'x-lark-signature');
      if (signature !== undefined) {
        const check = verifyFeishuSignature({
          encryptKey,
          timestamp: header(req, 'x-lark-request-timestamp'),
          nonce: header(req, 'x-lark-request-nonce'),
          signature,
          rawBody: raw,
          nowMs: opts.now?.(),
        });
        if (!check.ok) {
          req.log.info({ reason: check.reason }, 'feishu: request signature rejected');
          throw refused('missing, stale or invalid Feishu signature');
        }
        signed = true;
      }
    }

    let body = parseObject(raw.toString('utf8'), 'body');
    if (typeof body.encrypt === 'string') {
      if (!encryptKey) throw bad('encrypted body but no FEISHU_ENCRYPT_KEY is configured');
      const plain = decryptFeishu(body.encrypt, encryptKey);
      if (plain === null) throw bad('body could not be decrypted with the configured Encrypt Key');
      body = parseObject(plain, 'decrypted body');
    }
    const envelope = body as RawEnvelope;
    const token = envelope.header?.token ?? envelope.token;
    // The Verification Token: the only check without an Encrypt Key, and checked as well when present.
    if (verificationToken && (token !== undefined || !signed)) {
      if (typeof token !== 'string' || !sameSecret(token, verificationToken)) {
        req.log.info('feishu: verification token mismatch');
        throw refused('missing or wrong Feishu verification token');
      }
    }

    if (envelope.type === 'url_verification') {
      if (typeof envelope.challenge !== 'string' || envelope.challenge.length > 1000) throw bad('url_verification needs a challenge');
      return { challenge: envelope.challenge };
    }
    // With an Encrypt Key, only the challenge may come unsigned (Feishu's console sends it that way).
    if (encryptKey && !signed) throw refused('missing Feishu signature');

    const type = envelope.header?.event_type;
    if (envelope.schema !== '2.0' || !envelope.header || !envelope.event || typeof envelope.event !== 'object') throw bad('not a v2.0 Feishu event');
    if (typeof envelope.header.event_id !== 'string' || !envelope.header.event_id) throw bad('event without event_id');
    if (!(HANDLED_EVENTS as readonly string[]).includes(String(type))) {
      req.log.debug({ type }, 'feishu: event type not handled');
      return {};
    }
    // headers on the prototype: JSON.stringify(data) must not see them (node-sdk#46).
    const data = Object.assign(Object.create({ headers: req.headers }) as object, envelope);
    let answer: unknown;
    try {
      answer = await opts.inbound.dispatcher.invoke(data, { needCheck: false });
    } catch (err) {
      req.log.warn({ err }, 'feishu: could not process the event');
      throw bad('malformed Feishu event');
    }
    const eventId = envelope.header.event_id;
    void reply.then(
      () => opts.inbound.clicks.acked(eventId),
      () => opts.inbound.clicks.acked(eventId),
    );
    return answer && typeof answer === 'object' ? answer : {};
  });
}
