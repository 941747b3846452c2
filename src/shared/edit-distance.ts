/**
 * Optimal string alignment distance (edits plus adjacent swaps: "hlep" → "help" is 1), for
 * "did you mean" hints in chat and in REST errors.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a small distance (a third of its length, at least 1). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d <= Math.max(1, Math.floor(c.length / 3)) && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

/**
 * Up to `n` candidates within the same small distance as `closest`, nearest first (ties keep the
 * candidates' order), without duplicates: "did you mean" lists in chat hints.
 */
export function closestN(word: string, candidates: Iterable<string>, n: number): string[] {
  const w = word.toLowerCase();
  const hits: { c: string; d: number; i: number }[] = [];
  const seen = new Set<string>();
  let i = 0;
  for (const c of candidates) {
    const key = c.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    // Lengths alone bound the distance: skip the O(n·m) table when it cannot be close enough.
    const limit = Math.max(1, Math.floor(c.length / 3));
    if (Math.abs(key.length - w.length) > limit) continue;
    // With no character in common every position is an edit: distance = the longer length.
    if (Math.max(key.length, w.length) > limit && !sharesChar(w, key)) continue;
    const d = boundedDistance(w, key, limit);
    if (d <= limit) hits.push({ c, d, i: i++ });
  }
  return hits.sort((a, b) => a.d - b.d || a.i - b.i).slice(0, Math.max(0, n)).map((h) => h.c);
}

function sharesChar(a: string, b: string): boolean {
  for (let i = 0; i < b.length; i++) if (a.indexOf(b[i]!) >= 0) return true;
  return false;
}

/**
 * editDistance with three rolling rows and an early exit once every cell exceeds `max`: closestN
 * runs it against a whole vocabulary for each unknown chat word. Returns max + 1 when over.
 */
function boundedDistance(a: string, b: string, max: number): number {
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}
