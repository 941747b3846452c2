/**
 * Matching vocabulary inside chat text that may have no spaces (`本周GMV按店铺`): a vocabulary
 * word matches at a position case-insensitively, a space in the word matches any run of spaces
 * (or none: `vs上期`, `bystore`), and a match may not end inside an English word or a number.
 */

const isLetter = (ch: string | undefined) => ch !== undefined && /[a-z]/i.test(ch);
const isDigit = (ch: string | undefined) => ch !== undefined && /\d/.test(ch);

/** False when `end` splits a word or a number (`mar` in `margin`, `7d` in `7dx`, `2026-1` in `2026-12`). */
export function endsAtBoundary(text: string, end: number): boolean {
  const a = text[end - 1];
  const b = text[end];
  return !((isLetter(a) && isLetter(b)) || (isDigit(a) && isDigit(b)));
}

/** End of `word` (lower case, NFKC) matched at `pos` of `text`, or -1. */
export function matchWord(text: string, pos: number, word: string): number {
  let i = pos;
  for (let j = 0; j < word.length; j++) {
    const w = word[j]!;
    if (w === ' ') {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      continue;
    }
    const t = text[i];
    if (t === undefined || (t !== w && t.toLowerCase() !== w)) return -1;
    i++;
  }
  return endsAtBoundary(text, i) ? i : -1;
}

/** A word table indexed by first character, for matching at every position of a message. */
export class WordIndex<V> {
  private readonly byFirst = new Map<string, { word: string; value: V }[]>();

  constructor(entries: Iterable<[string, V]>) {
    for (const [raw, value] of entries) {
      // `vs目标` and `vs 目标` are the same word: a Latin–CJK seam may or may not have a space.
      const word = raw
        .normalize('NFKC')
        .toLowerCase()
        .trim()
        .replace(/([a-z0-9])(?=[\u3400-\u9fff])|([\u3400-\u9fff])(?=[a-z0-9])/g, '$1$2 ');
      if (word === '') continue;
      const list = this.byFirst.get(word[0]!) ?? [];
      list.push({ word, value });
      this.byFirst.set(word[0]!, list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.word.length - a.word.length);
  }

  /** The longest entry matching at `pos`, with the end of the match. */
  longestAt(text: string, pos: number): { end: number; value: V; word: string } | undefined {
    const ch = text[pos];
    if (ch === undefined) return undefined;
    let best: { end: number; value: V; word: string } | undefined;
    for (const e of this.byFirst.get(ch.toLowerCase()) ?? []) {
      const end = matchWord(text, pos, e.word);
      if (end > pos && (!best || end > best.end)) best = { end, value: e.value, word: e.word };
    }
    return best;
  }

  /** The words as listed (seams without spaces), for "did you mean" lists. */
  words(): string[] {
    return [...this.byFirst.values()].flatMap((l) => l.map((e) => e.word.replace(/(?<=[a-z0-9]) (?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff]) (?=[a-z0-9])/g, '')));
  }
}
