/**
 * Picks the one workspace object a typed name means (`us-main`, `US-MAIN`, `Amazon US 主店`,
 * `美国主店`, `李强`, `Bob`), or says it cannot and offers the nearest names. Pure: the
 * candidates come from src/bot/resolve.ts. Order: exact id, id ignoring case, exact name,
 * name ignoring case, space and marketplace/platform spelling (美国 = US), unique prefix of an id
 * or name, unique part of a name. Ambiguity is a failure with the tied names as suggestions.
 */
import { closestN } from '../../shared/edit-distance.ts';
import { FILTER_WORDS } from './vocab-dimensions.ts';

export interface NameCandidate {
  id: string;
  /** Display label (the first name, or the id). */
  label: string;
  /** Names and other spellings: display name, English name, chat handle … */
  names: string[];
}

export type NameMatch = { ok: true; id: string; label: string } | { ok: false; suggestions: string[] };

/** Chinese marketplace and platform words spelled as the codes store names use (美国 → us). */
const SPELLINGS: [string, string][] = FILTER_WORDS.filter(([w]) => /[\u3400-\u9fff]/.test(w))
  .map(([w, scope]): [string, string] => [w, scope.dim === 'platform' ? scope.text.replace(/_shop$/, '') : scope.text.toLowerCase()])
  .sort((a, b) => b[0].length - a[0].length);

/** Lower case, NFKC, no spaces or separators, Chinese site/platform words as codes. */
export function foldName(s: string): string {
  let t = s.normalize('NFKC').toLowerCase();
  for (const [w, code] of SPELLINGS) t = t.split(w).join(code);
  return t.replace(/[\s_\-·.,，、:：'"“”()（）]/g, '');
}

const MAX_SUGGESTIONS = 3;

function unique(hits: NameCandidate[]): NameMatch | undefined {
  const ids = [...new Map(hits.map((c) => [c.id, c])).values()];
  if (ids.length === 1) return { ok: true, id: ids[0]!.id, label: ids[0]!.label };
  if (ids.length > 1) return { ok: false, suggestions: ids.slice(0, MAX_SUGGESTIONS).map((c) => c.id) };
  return undefined;
}

/** The candidate `text` names; suggestions (ids) when none or several fit. */
export function matchName(text: string, candidates: readonly NameCandidate[]): NameMatch {
  const t = text.normalize('NFKC').trim();
  if (t === '' || candidates.length === 0) return { ok: false, suggestions: [] };
  const lower = t.toLowerCase();
  const folded = foldName(t);
  const steps: ((c: NameCandidate) => boolean)[] = [
    (c) => c.id === t,
    (c) => c.id.toLowerCase() === lower,
    (c) => c.names.some((n) => n === t),
    (c) => c.names.some((n) => n.toLowerCase() === lower),
    (c) => folded !== '' && [c.id, ...c.names].some((n) => foldName(n) === folded),
    (c) => folded !== '' && [c.id, ...c.names].some((n) => foldName(n).startsWith(folded)),
    (c) => folded.length >= 2 && c.names.some((n) => foldName(n).includes(folded)),
  ];
  for (const step of steps) {
    const found = unique(candidates.filter(step));
    if (found) return found;
  }
  return { ok: false, suggestions: suggestNames(t, candidates) };
}

/** Ids of the candidates whose id or a name is closest to `text`. */
export function suggestNames(text: string, candidates: readonly NameCandidate[]): string[] {
  const byWord = new Map<string, string>();
  for (const c of candidates) {
    for (const n of [c.id, ...c.names]) if (!byWord.has(n.toLowerCase())) byWord.set(n.toLowerCase(), c.id);
  }
  const ids: string[] = [];
  for (const w of closestN(text.toLowerCase(), byWord.keys(), 20)) {
    const id = byWord.get(w)!;
    if (!ids.includes(id)) ids.push(id);
    if (ids.length === MAX_SUGGESTIONS) break;
  }
  return ids;
}
