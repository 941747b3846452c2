/**
 * `@x` in chat: a user id (`@carol`), a display name (`@李强`), or platform mention markup.
 * Slack sends `<@U123>` / `<@U123|name>`; Feishu's `@_user_1` placeholders are swapped for real
 * ids by its adapter, so here the text after `@` is all that is kept.
 */

const TRAILING_PUNCT = /[,，.。:：;；!！?？、)）]+$/;

/** The mentioned id or name, or undefined when the token is not a mention. */
export function parseMention(token: string): string | undefined {
  if (typeof token !== 'string') return undefined;
  const t = token.normalize('NFKC').trim();
  const slack = /^<@([A-Za-z0-9._-]{1,64})(?:\|[^>]{0,80})?>$/.exec(t);
  if (slack) return slack[1];
  if (!t.startsWith('@')) return undefined;
  const name = t.slice(1).replace(TRAILING_PUNCT, '').trim();
  // eslint-disable-next-line no-control-regex
  if (name === '' || name.length > 64 || /[\s@<>\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name)) return undefined;
  return name;
}
