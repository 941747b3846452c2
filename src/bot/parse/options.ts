/**
 * `key:value` options in command arguments (`reason:stockout`, `原因：断货`, `cause: stockout`,
 * `note "…"`), with Chinese aliases per key. Quotes were already removed by `tokenize`
 * (src/bot/router.ts), so a quoted value arrives as one argument.
 */

/**
 * Pulls the declared options out of `args`. `keys` maps each canonical key to its aliases, e.g.
 * `{ owner: ['负责人'], reason: ['原因'] }`. Accepted shapes: `key:value`, `key：value`,
 * `key: value` and `key value` (the next argument is the value). Later repeats win; everything
 * else is returned in `rest`, in order.
 */
export function parseOptions(args: string[], keys: Record<string, string[]>): { options: Record<string, string>; rest: string[] } {
  const byWord = new Map<string, string>();
  for (const [key, aliases] of Object.entries(keys)) {
    for (const w of [key, ...aliases]) byWord.set(w.normalize('NFKC').toLowerCase(), key);
  }
  const options: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const norm = arg.normalize('NFKC');
    const colon = norm.indexOf(':');
    const word = (colon > 0 ? norm.slice(0, colon) : norm).trim().toLowerCase();
    const key = byWord.get(word);
    if (!key) {
      rest.push(arg);
      continue;
    }
    const inline = colon > 0 ? norm.slice(colon + 1).trim() : '';
    if (inline !== '') options[key] = inline;
    else if (i + 1 < args.length) options[key] = args[++i]!;
    else rest.push(arg);
  }
  return { options, rest };
}
