/**
 * One scope token: `store:us-main`, `店铺：美国主店`, `team:amazon-us`, `负责人:@李强`, `@carol`.
 * The value stays as typed (trimmed; an owner's `@` dropped); `src/bot/resolve.ts` looks it up.
 */
import { parseMention } from './mention.ts';
import type { ScopeRef } from './types.ts';
import { SCOPE_PREFIXES } from './vocab-scopes.ts';

/** Longest value we keep; longer text is not a name anyone has. */
const MAX_VALUE = 100;

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** `prefix:value` → the scope, a bare `@mention` → an owner scope, anything else → undefined. */
export function parseScopeToken(token: string): ScopeRef | undefined {
  if (typeof token !== 'string') return undefined;
  const t = token.normalize('NFKC').replace(UNSAFE, '').trim();
  const mention = parseMention(t);
  if (mention) return { dim: 'owner', text: mention };
  const colon = t.indexOf(':');
  if (colon <= 0) return undefined;
  const dim = SCOPE_PREFIXES.get(t.slice(0, colon).trim().toLowerCase());
  if (!dim) return undefined;
  let text = t.slice(colon + 1).trim();
  if (dim === 'owner') text = parseMention(text) ?? text;
  if (text === '' || text.length > MAX_VALUE) return undefined;
  return { dim, text };
}
