/**
 * LingXing OpenAPI request signing, as documented in 领星 API 接入指南 §4 "签名sign的生成"
 * (https://apidoc.lingxing.com/#/docs/Guidance/newInstructions) and implemented by the official
 * SDKs (Python `SignBase.format_params` / `generate_sign`):
 *  a) every parameter of the request — the business parameters (query for GET, the JSON body's
 *     top-level keys for POST) plus access_token, app_key and timestamp — sorted by key (ASCII);
 *  b) joined as `k1=v1&k2=v2…`; an empty-string value is left out, `null` takes part as "null";
 *     arrays and objects take part as compact JSON (the SDK uses orjson with sorted keys; a space
 *     in the JSON breaks the signature, 常见问题案例 §2.6), booleans as `true`/`false`;
 *  c) MD5 (32 hex digits) of that string, upper-cased;
 *  d) AES/ECB/PKCS5Padding of the MD5 with the AppID's bytes as the key, base64.
 * The sign is URL-encoded in the query and expires 2 minutes after `timestamp` (10-digit seconds).
 */
import { createCipheriv, createHash } from 'node:crypto';
import { ConnectorError } from '../types.ts';

function sortedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedJson((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Step a) and b): the canonical `k=v&…` string. */
export function canonicalParams(params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(params).sort()) {
    const v = params[key];
    if (v === undefined || v === '') continue;
    if (v === null) parts.push(`${key}=null`);
    else if (typeof v === 'object') parts.push(`${key}=${JSON.stringify(sortedJson(v))}`);
    else parts.push(`${key}=${String(v)}`);
  }
  return parts.join('&');
}

/** AES key sizes the cipher accepts; the AppID is used as-is (LingXing AppIDs are 16 characters). */
function aesAlgorithm(key: Buffer): string {
  if (key.length === 16) return 'aes-128-ecb';
  if (key.length === 24) return 'aes-192-ecb';
  if (key.length === 32) return 'aes-256-ecb';
  throw new ConnectorError('invalid_config', `the LingXing AppID must be 16, 24 or 32 characters long to sign requests (it has ${key.length})`);
}

/** Steps c) and d): the `sign` parameter (before URL encoding). */
export function signParams(params: Record<string, unknown>, appId: string): string {
  const md5 = createHash('md5').update(canonicalParams(params), 'utf8').digest('hex').toUpperCase();
  const key = Buffer.from(appId, 'utf8');
  // Node pads with PKCS#7, which is PKCS#5 for AES's 16-byte blocks.
  const cipher = createCipheriv(aesAlgorithm(key), key, null);
  return Buffer.concat([cipher.update(md5, 'utf8'), cipher.final()]).toString('base64');
}
