/**
 * The log scan of the secrets attack: every line is searched for every secret, whole or as any
 * `window`-character piece of it (a secret cut in half, or wrapped in other text, still counts),
 * plus patterns for tokens too short to window (DingTalk's fake issues `at-1`).
 */
export interface Finding {
  secret: string;
  line: string;
}

export function findSecrets(lines: string[], secrets: Record<string, string[]>, window: number, patterns: RegExp[] = []): Finding[] {
  const pieces = new Map<string, string>();
  const short: [string, string][] = [];
  for (const [label, values] of Object.entries(secrets)) {
    for (const v of values) {
      if (v.length < window) {
        if (v.length >= 6) short.push([v, label]);
        continue;
      }
      for (let i = 0; i + window <= v.length; i++) pieces.set(v.slice(i, i + window), label);
    }
  }
  const found: Finding[] = [];
  for (const line of lines) {
    let hit: string | undefined;
    for (let i = 0; i + window <= line.length && !hit; i++) hit = pieces.get(line.slice(i, i + window));
    hit ??= short.find(([v]) => line.includes(v))?.[1];
    hit ??= patterns.find((p) => p.test(line)) ? `token pattern` : undefined;
    if (hit) found.push({ secret: hit, line });
  }
  return found;
}
