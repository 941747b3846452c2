/**
 * Random requests for one route: its path params filled with hostile or random text, random
 * query strings, wrong or missing content types, random, invalid-UTF-8, truncated and deeply
 * nested bodies, missing or garbage auth, and (for the signed routes) random bodies signed
 * correctly, so the parsing behind the signature check is fuzzed too.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { feishuRequest } from '../fakes/feishu/requests.ts';
import { sign as slackSign } from '../fakes/slack/requests.ts';
import { HOSTILE, VALID_COMMANDS, anyText } from './fuzz-inputs.ts';
import type { RawRequest } from './fuzz-http.ts';
import { SECRETS } from './fuzz-service.ts';

/** Ids and words the demo knows, so some requests get past validation into the handlers. */
const KNOWN = ['demo', 'gmv', 'orders', 'acos', 'us-main', 'amazon-us', 'carol', 'bob', 'general', '@bob', 'last_7d', 'month:2026-10', '2026-10', '1', '0', '-1', 'csv', 'xlsx', 'facts', 'sales', 'ads', 'inventory', 'amazon', 'lingxing', 'manager', 'true',
  // Numbers Ajv coerces from text: they pass `type: integer` unless bounded.
  'Infinity', '1e400', '99999999999999999999', '9223372036854775808', '0x10', '1.5', '-0'];

/** Numbers at the edges: past bigint, past safe integers, fractions, negative zero. */
const EDGE_NUMBERS = [1e20, 2 ** 53, 2 ** 63, -1, 0, -0, 1.5, 1e-320, Number.MAX_VALUE];

/** Keys the REST and console routes read, each with plausible and hostile values. */
const QUERY_KEYS = ['metrics', 'metric', 'period', 'groupBy', 'compare', 'currency', 'store', 'team', 'owner', 'sku', 'chatId', 'userId', 'after', 'format', 'from', 'to', 'status', 'rag', 'workspace', 'dryRun', 'lang', 'user', 'month', 'actor', 'entity', 'name', 'text', 'limit', '__proto__', 'a[b]', ''];

/** Percent-encodes the UTF-8 bytes of any string (a lone surrogate becomes U+FFFD, as on the wire). */
export function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Latin-1 text sent byte for byte: bytes 0x80-0xff alone are invalid UTF-8 in a URL. */
const latin1 = fc.string({ unit: fc.integer({ min: 0x21, max: 0xff }).filter((c) => c < 0x7f || c > 0x9f).map((c) => String.fromCharCode(c)), maxLength: 40 });

const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 3, arbitrary: anyText(60).map(pct) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE).map(pct) },
  { weight: 2, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', '%ff%fe', '%', '%zz', '%c0%af', ';', '%3B', 'a%2Fb', '~', '%E2%80%AE') },
  { weight: 1, arbitrary: latin1.filter((s) => !/[/?#]/.test(s) && s.length > 0) },
  { weight: 1, arbitrary: fc.nat(4000).map((n) => 'x'.repeat(n + 100)) },
);

const queryValue = fc.oneof(fc.constantFrom(...KNOWN), anyText(40).map(pct), fc.constantFrom(...HOSTILE).map(pct), fc.constantFrom('', '%', '%zz', '%ff', '-1', '1e999', 'NaN', '99999999999999999999'));
const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 5, arbitrary: fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue), { maxLength: 6 }).map((kv) => `?${kv.map(([k, v]) => `${pct(k)}=${v}`).join('&')}`) },
  { weight: 2, arbitrary: latin1.map((s) => `?${s.replace(/#/g, '')}`) },
  { weight: 1, arbitrary: fc.constantFrom('?', '??', '?&&&', '?=', '?a=1&a=2&a=3', '?a[]=1&a[b]=2', '?%', `?chatId=${'x'.repeat(9000)}`, '?__proto__[x]=1', '?constructor[prototype][x]=1') },
);

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz', 'multipart/form-data', 'application/octet-stream', 'application/xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '*/*', 'application/json, text/plain', 'garbage', '',
];

/** A JSON object with the field names routes read and random values. */
const plausibleObject = fc.dictionary(
  fc.constantFrom('chatId', 'userId', 'text', 'messageId', 'actionId', 'value', 'type', 'metric', 'target', 'period', 'scope', 'owner', 'currency', 'id', 'name', 'formula', 'unit', 'direction', 'rows', 'dryRun', 'cause', 'note', 'store', 'from', 'to', 'reason', 'amount', 'month', 'weights', 'challenge', 'token', 'encrypt', 'payload', 'event', 'header', '__proto__', 'constructor'),
  fc.oneof(fc.constantFrom(...KNOWN, ...VALID_COMMANDS), fc.constantFrom(...EDGE_NUMBERS), fc.jsonValue({ maxDepth: 3 }), anyText(40)),
  { maxKeys: 8 },
);

export type BodyKind = 'none' | 'json' | 'object' | 'text' | 'bytes' | 'truncated' | 'nested' | 'form' | 'multipart';
type Body = { kind: BodyKind; bytes?: Buffer; contentType?: string };
const NO_BODY: Body = { kind: 'none' };

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant(NO_BODY),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'json' as const, bytes: Buffer.from(JSON.stringify(v) ?? 'null'), contentType: 'application/json' })),
  { weight: 3, arbitrary: plausibleObject.map((v) => ({ kind: 'object' as const, bytes: Buffer.from(JSON.stringify(v)), contentType: 'application/json' })) },
  anyText(300).map((t) => ({ kind: 'text' as const, bytes: Buffer.from(t, 'utf8') })),
  fc.uint8Array({ maxLength: 400 }).map((b) => ({ kind: 'bytes' as const, bytes: Buffer.from(b) })),
  plausibleObject.chain((v) => {
    const s = JSON.stringify(v);
    return fc.nat(Math.max(0, s.length - 1)).map((n) => ({ kind: 'truncated' as const, bytes: Buffer.from(s.slice(0, n)), contentType: 'application/json' }));
  }),
  fc.constantFrom(2000, 20_000).map((n) => ({ kind: 'nested' as const, bytes: Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`), contentType: 'application/json' })),
  plausibleObject.map((v) => ({ kind: 'form' as const, bytes: Buffer.from(new URLSearchParams(Object.entries(v).map(([k, x]): [string, string] => [k, typeof x === 'string' ? x : String(JSON.stringify(x))])).toString()), contentType: 'application/x-www-form-urlencoded' })),
  anyText(200).map((t) => ({ kind: 'multipart' as const, bytes: Buffer.from(`--xyz\r\nContent-Disposition: form-data; name="file"; filename="${t.slice(0, 20)}"\r\nContent-Type: text/csv\r\n\r\n${t}\r\n--xyz--\r\n`), contentType: 'multipart/form-data; boundary=xyz' })),
);

const auth = fc.oneof(
  fc.constant(undefined),
  { weight: 3, arbitrary: fc.constant(`Bearer ${SECRETS.API_TOKEN}`) },
  fc.constantFrom('Bearer', 'Bearer ', 'Bearer garbage', `Bearer ${SECRETS.API_TOKEN}x`, `bearer ${SECRETS.API_TOKEN.slice(0, -1)}`, 'Basic YWRtaW46YWRtaW4=', 'Bearer \u00ff\u00fe', `Bearer ${'a'.repeat(5000)}`, 'Bearer null', 'Bearer undefined'),
  latin1.map((s) => `Bearer ${s}`),
);

/** Fills `:param` and `*` in a route url. */
function fillPath(url: string, segs: string[]): string {
  let i = 0;
  return url.replace(/:[A-Za-z_]+|\*/g, (m) => (m === '*' ? `${segs[i++ % segs.length]}/${segs[(i + 1) % segs.length]}` : segs[i++ % segs.length]!));
}

/** Signs a body the way its platform would, for routes behind a signature check. */
function signedHeaders(url: string, bytes: Buffer): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  if (url === '/slack/events') return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSign(SECRETS.SLACK_SIGNING_SECRET, ts, bytes.toString('utf8')) };
  if (url.startsWith('/api/v1/push/')) return { 'x-kpibot-timestamp': String(ts), 'x-kpibot-signature': `sha256=${createHmac('sha256', SECRETS.PUSH_SECRET).update(`${ts}.`).update(bytes).digest('hex')}` };
  if (url === '/feishu/events') {
    const r = feishuRequest({ raw: bytes.toString('utf8'), contentType: 'application/json' }, { encryptKey: SECRETS.FEISHU_ENCRYPT_KEY });
    return Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.startsWith('x-lark')));
  }
  return {};
}

const garbageSignature = fc.record({
  'x-slack-request-timestamp': fc.oneof(fc.constant(String(Math.floor(Date.now() / 1000))), latin1),
  'x-slack-signature': fc.oneof(fc.constant('v0=deadbeef'), latin1),
  'x-kpibot-timestamp': fc.oneof(fc.constant('0'), fc.constant('99999999999999999999'), latin1),
  'x-kpibot-signature': fc.oneof(fc.constant('sha256=00'), latin1),
  'x-lark-signature': latin1,
  timestamp: fc.oneof(fc.constant(String(Date.now())), latin1),
  sign: fc.oneof(fc.constant('a'.repeat(44)), latin1),
}, { requiredKeys: [] });

/** Random requests for one route and method. */
export function requestsFor(route: { method: string; url: string }): fc.Arbitrary<RawRequest> {
  const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
  return fc
    .record({
      segs: fc.array(segment, { minLength: 3, maxLength: 3 }),
      query,
      body: hasBody ? body : fc.oneof({ weight: 4, arbitrary: fc.constant(NO_BODY) }, body),
      contentType: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constantFrom(...CONTENT_TYPES)),
      auth,
      signature: fc.oneof({ weight: 2, arbitrary: fc.constant('signed' as const) }, fc.constant('none' as const), garbageSignature),
      accept: fc.constantFrom(undefined, 'application/json', 'text/html', '*/*', 'image/png', 'garbage'),
    })
    .map((g) => {
      const headers: Record<string, string> = {};
      const contentType = g.contentType ?? g.body.contentType;
      if (contentType) headers['content-type'] = contentType;
      if (g.auth !== undefined) headers.authorization = g.auth;
      if (g.accept) headers.accept = g.accept;
      const bytes = g.body.bytes;
      if (g.signature === 'signed') Object.assign(headers, signedHeaders(route.url, bytes ?? Buffer.alloc(0)));
      else if (g.signature !== 'none') Object.assign(headers, g.signature);
      const kind = [`${g.body.kind} body`, contentType ? `as ${contentType}` : 'no content-type', g.auth === undefined ? 'no auth' : g.auth.startsWith(`Bearer ${SECRETS.API_TOKEN}`) && g.auth.length === SECRETS.API_TOKEN.length + 7 ? 'valid auth' : 'garbage auth', typeof g.signature === 'string' ? g.signature : 'garbage signature'].join(', ');
      return { method: route.method, path: fillPath(route.url, g.segs) + g.query, headers, ...(bytes ? { body: bytes } : {}), kind };
    });
}

/** One request per body route past its body limit (Fastify's default, or the route's own). */
export function oversized(route: { method: string; url: string; bodyLimit?: number }, defaultLimit: number): RawRequest {
  const size = (route.bodyLimit ?? defaultLimit) + 1024;
  const bytes = Buffer.alloc(size, 0x61);
  bytes.write('{"text":"', 0);
  return {
    method: route.method,
    path: fillPath(route.url, ['demo', 'orders', 'x']),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRETS.API_TOKEN}`, ...signedHeaders(route.url, bytes) },
    body: bytes,
    kind: `oversized body (${size} bytes)`,
  };
}
