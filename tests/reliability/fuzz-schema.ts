/**
 * Schema-shaped requests for the documented REST routes: the service's own OpenAPI document
 * (GET /api/v1/openapi.json) says which params and body fields each operation reads, and the
 * values are drawn from that shape with hostile and edge values mixed in — so requests get past
 * validation into the handlers, where bugs that random bytes never reach live.
 */
import fc from 'fast-check';
import { HOSTILE, anyText } from './fuzz-inputs.ts';
import type { RawRequest } from './fuzz-http.ts';
import { pct } from './fuzz-requests.ts';
import { SECRETS } from './fuzz-service.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

const WORDS = ['demo', 'gmv', 'orders', 'acos', 'net_profit', 'us-main', 'shopee-sg', 'amazon-us', 'asia-social', 'alice', 'bob', 'carol', 'dave', 'erin', 'general', 'store', 'team', 'yoy', 'prev', 'USD', 'CNY', 'sales', 'ads', 'inventory', 'amazon', 'lingxing'];
const PERIODS = ['last_7d', 'last_30d', 'this_month', 'month:2026-10', 'month:2026-13', 'week:2026-W53', 'quarter:2026-Q5', 'custom:2026-01-01..2025-01-01', 'custom:2026-02-30..2026-03-01', 'season:black_friday', 'last_0d', 'last_99999d', 'year:2026'];
const DATES = ['2026-11', '2026-13', '0000-00', '9999-12', '2026-11-22', '2026-02-30', '1970-01-01', '2100-12-31', '2026-11-22T25:61:00Z', '11-30'];
const EDGE_NUMBERS = [0, -1, 1, 0.5, 1e20, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e-300, 1e300];

function stringFrom(s: Schema): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 200, 400);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
    { weight: 2, arbitrary: fc.constantFrom(...PERIODS, ...DATES) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: anyText(max) },
    fc.constantFrom('', ' ', 'x'.repeat(max), 'x'.repeat(max + 1)),
  );
}

/** Values of the schema's shape (mostly), with edge and hostile values at every leaf. */
export function fromSchema(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 5) return fc.jsonValue({ maxDepth: 1 });
  const off = fc.oneof(fc.constant(null), fc.constantFrom(...HOSTILE), fc.constantFrom(...EDGE_NUMBERS), fc.jsonValue({ maxDepth: 1 }));
  let shaped: fc.Arbitrary<unknown>;
  if (Array.isArray(s.enum)) shaped = fc.constantFrom(...(s.enum as unknown[]));
  else if (Array.isArray(s.anyOf ?? s.oneOf)) shaped = fc.oneof(...((s.anyOf ?? s.oneOf) as Schema[]).map((x) => fromSchema(x, depth + 1)));
  else {
    const type: string | undefined = Array.isArray(s.type) ? s.type[0] : s.type;
    if (type === 'string') shaped = stringFrom(s);
    else if (type === 'integer') shaped = fc.oneof(fc.integer({ min: -2, max: 50 }), fc.constantFrom(...EDGE_NUMBERS.filter(Number.isInteger)));
    else if (type === 'number') shaped = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...EDGE_NUMBERS));
    else if (type === 'boolean') shaped = fc.boolean();
    else if (type === 'array') shaped = fc.array(fromSchema(s.items as Schema | undefined, depth + 1), { maxLength: Math.min(s.maxItems ?? 4, 4) + 1 });
    else if (type === 'object' || s.properties) {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const names = Object.keys(props);
      shaped = names.length === 0
        ? fc.dictionary(fc.constantFrom(...WORDS), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })
        : fc.record(Object.fromEntries(names.map((n) => [n, fromSchema(props[n], depth + 1)])), { requiredKeys: ((s.required ?? []) as string[]).filter((r) => names.includes(r)) });
    } else shaped = fc.jsonValue({ maxDepth: 2 });
  }
  return fc.oneof({ weight: 9, arbitrary: shaped }, off);
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** The documented operations as probe-style routes (`/api/v1/goals/:id`) with a request generator each. */
export function schemaRequests(doc: { paths: Record<string, Record<string, Operation>> }): { method: string; url: string; arbitrary: fc.Arbitrary<RawRequest> }[] {
  const out: { method: string; url: string; arbitrary: fc.Arbitrary<RawRequest> }[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [verb, op] of Object.entries(ops)) {
      const method = verb.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const json = op.requestBody?.content?.['application/json']?.schema;
      const arbitrary = fc
        .record({
          path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fromSchema(p.schema)]))),
          query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fromSchema(p.schema)])), { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) }),
          body: json ? fromSchema(json) : fc.constant(undefined),
          auth: fc.oneof({ weight: 5, arbitrary: fc.constant(`Bearer ${SECRETS.API_TOKEN}`) }, fc.constant('Bearer wrong-token-0123456789')),
        })
        .map((g): RawRequest => {
          const text = (v: unknown) => pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '');
          const filled = path.replace(/\{(\w+)\}/g, (_m, n: string) => text((g.path as Record<string, unknown>)[n]) || 'x');
          const qs = Object.entries(g.query as Record<string, unknown>).map(([k, v]) => `${pct(k)}=${text(v)}`).join('&');
          const headers: Record<string, string> = { authorization: g.auth };
          let body: Buffer | undefined;
          if (g.body !== undefined) {
            headers['content-type'] = 'application/json';
            body = Buffer.from(JSON.stringify(g.body));
          }
          return { method, path: `${filled}${qs ? `?${qs}` : ''}`, headers, ...(body ? { body } : {}), kind: 'schema-shaped request' };
        });
      out.push({ method, url: path.replace(/\{(\w+)\}/g, ':$1'), arbitrary });
    }
  }
  return out;
}
