/**
 * Splits a KPI question into meaningful pieces, with or without spaces (`本周GMV按店铺`): at each
 * position the longest vocabulary match wins (metric, period, compare, group-by, scope, filter,
 * ranking, currency, chart or filler word); text no vocabulary starts with is an unknown word.
 */
import type { CompareId } from '../../kpi/periods.ts';
import type { Clock } from './period-clock.ts';
import { periodAt } from './period-words.ts';
import { parseScopeToken } from './scope.ts';
import type { KpiAsk, ScopeRef } from './types.ts';
import { CASE_SENSITIVE_CODES, FILTER_WORDS, GROUP_WORDS } from './vocab-dimensions.ts';
import { WordIndex } from './vocab-match.ts';
import { METRIC_WORDS } from './vocab-metrics.ts';
import { cnNumber, NUM_RE } from './vocab-periods.ts';
import { SCOPE_PREFIXES } from './vocab-scopes.ts';
import { CHART_WORDS, COMPARE_WORDS, CURRENCY_WORDS, DEFAULT_RANK_N, FILLER_WORDS, MAX_RANK_N, RANK_WORDS } from './vocab-words.ts';

export type Piece =
  | { kind: 'metric'; id: string; word: string }
  | { kind: 'period'; period: string; word: string }
  | { kind: 'bad_period'; word: string }
  | { kind: 'compare'; id: CompareId; word: string }
  | { kind: 'group'; dim: NonNullable<KpiAsk['groupBy']>; word: string }
  | { kind: 'scope'; scope: ScopeRef; word: string }
  | { kind: 'rank'; n: number; bottom: boolean; word: string }
  | { kind: 'bad_number'; word: string }
  | { kind: 'currency'; code: string; word: string }
  | { kind: 'chart'; word: string }
  | { kind: 'filler'; word: string }
  | { kind: 'unknown'; word: string };

export const INDEXES = {
  metric: new WordIndex(METRIC_WORDS),
  compare: new WordIndex(COMPARE_WORDS),
  group: new WordIndex(GROUP_WORDS),
  filter: new WordIndex(FILTER_WORDS),
  currency: new WordIndex(CURRENCY_WORDS),
  rank: new WordIndex(RANK_WORDS),
  chart: new WordIndex(CHART_WORDS.map((w): [string, true] => [w, true])),
  filler: new WordIndex(FILLER_WORDS.map((w): [string, true] => [w, true])),
};

// An unquoted value stops before sentence punctuation that ends it (`store:us-main?`), so the
// question mark people type is not read as part of the store's name.
const SCOPE_RE = /([a-z_-]{1,20}|[\u3400-\u9fff]{1,4})\s*:\s*("[^"]{1,100}"|“[^”]{1,100}”|「[^」]{1,100}」|[^\s,，、;；]{1,100}?(?=[?!。.]*(?:[\s,，、;；]|$)))/iy;
const SLACK_MENTION_RE = /<@[A-Za-z0-9._-]{1,64}(?:\|[^>]{0,80})?>/y;
const MENTION_RE = /@[^\s@,，、;；:]{1,64}/y;
const RANK_BEST_RE = new RegExp(`(?:前|top|头部|最好的?|best)\\s*(${NUM_RE})\\s*(?:名|个|位|家)?`, 'iy');
const RANK_BOTTOM_RE = new RegExp(`(?:倒数|后|bottom|worst|最差的?|垫底)\\s*(?:前)?\\s*(${NUM_RE})\\s*(?:名|个|位|家)?`, 'iy');
/** Characters that separate words without meaning anything. */
const SEPARATOR = /[\s,，、;；.。!！?？:()（）[\]【】{}"“”'‘’「」《》<>~～|/\\*#&+=_-]/;
const CJK = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

function sticky(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

function scopeAt(text: string, pos: number): { end: number; piece: Piece } | undefined {
  const m = sticky(SCOPE_RE, text, pos);
  if (!m || !SCOPE_PREFIXES.has(m[1]!.toLowerCase())) return undefined;
  const value = m[2]!.replace(/^["“「]|["”」]$/g, '');
  const scope = parseScopeToken(`${m[1]}:${value}`);
  return scope ? { end: SCOPE_RE.lastIndex, piece: { kind: 'scope', scope, word: m[0] } } : undefined;
}

function mentionAt(text: string, pos: number): { end: number; piece: Piece } | undefined {
  let m = sticky(SLACK_MENTION_RE, text, pos);
  let end = SLACK_MENTION_RE.lastIndex;
  if (!m) {
    m = sticky(MENTION_RE, text, pos);
    if (!m) return undefined;
    // `@李强的GMV`: a Chinese name ends before 的.
    const cut = m[0].indexOf('的');
    end = cut > 1 ? pos + cut : MENTION_RE.lastIndex;
  }
  const scope = parseScopeToken(text.slice(pos, end));
  return scope ? { end, piece: { kind: 'scope', scope, word: text.slice(pos, end) } } : undefined;
}

function rankAt(text: string, pos: number): { end: number; piece: Piece } | undefined {
  for (const [re, bottom] of [[RANK_BEST_RE, false], [RANK_BOTTOM_RE, true]] as const) {
    const m = sticky(re, text, pos);
    if (!m) continue;
    const n = cnNumber(m[1]!);
    const word = m[0];
    const piece: Piece = n === undefined || n < 1 || n > MAX_RANK_N ? { kind: 'bad_number', word } : { kind: 'rank', n, bottom, word };
    return { end: re.lastIndex, piece };
  }
  return undefined;
}

/** All matches at `pos`, in tie-break order (an earlier one wins at equal length). */
function candidates(text: string, pos: number, clock: Clock, custom?: WordIndex<string>): { end: number; piece: Piece }[] {
  const out: { end: number; piece: Piece }[] = [];
  const push = (c: { end: number; piece: Piece } | undefined) => {
    if (c && c.end > pos) out.push(c);
  };
  push(scopeAt(text, pos));
  push(mentionAt(text, pos));
  const p = periodAt(text, pos, clock);
  if (p) {
    const word = text.slice(pos, p.end);
    push({ end: p.end, piece: typeof p.result === 'string' ? { kind: 'period', period: p.result, word } : { kind: 'bad_period', word } });
  }
  const word = (end: number) => text.slice(pos, end);
  const metric = INDEXES.metric.longestAt(text, pos);
  if (metric) push({ end: metric.end, piece: { kind: 'metric', id: metric.value, word: word(metric.end) } });
  // The workspace's custom metrics (ids and names); a catalogue word of equal length wins.
  const own = custom?.longestAt(text, pos);
  if (own) push({ end: own.end, piece: { kind: 'metric', id: own.value, word: word(own.end) } });
  const compare = INDEXES.compare.longestAt(text, pos);
  if (compare) push({ end: compare.end, piece: { kind: 'compare', id: compare.value, word: word(compare.end) } });
  const group = INDEXES.group.longestAt(text, pos);
  if (group) push({ end: group.end, piece: { kind: 'group', dim: group.value, word: word(group.end) } });
  const filter = INDEXES.filter.longestAt(text, pos);
  if (filter && !(CASE_SENSITIVE_CODES.has(filter.word.toUpperCase()) && word(filter.end) !== filter.word.toUpperCase())) {
    push({ end: filter.end, piece: { kind: 'scope', scope: filter.value, word: word(filter.end) } });
  }
  const currency = INDEXES.currency.longestAt(text, pos);
  if (currency) push({ end: currency.end, piece: { kind: 'currency', code: currency.value, word: word(currency.end) } });
  push(rankAt(text, pos));
  const rank = INDEXES.rank.longestAt(text, pos);
  if (rank) push({ end: rank.end, piece: { kind: 'rank', n: DEFAULT_RANK_N, bottom: rank.value, word: word(rank.end) } });
  const chart = INDEXES.chart.longestAt(text, pos);
  if (chart) push({ end: chart.end, piece: { kind: 'chart', word: word(chart.end) } });
  const filler = INDEXES.filler.longestAt(text, pos);
  if (filler) push({ end: filler.end, piece: { kind: 'filler', word: word(filler.end) } });
  return out;
}

function bestAt(text: string, pos: number, clock: Clock, custom?: WordIndex<string>): { end: number; piece: Piece } | undefined {
  let best: { end: number; piece: Piece } | undefined;
  for (const c of candidates(text, pos, clock, custom)) if (!best || c.end > best.end) best = c;
  return best;
}

/** The unknown word starting at `pos`: an ASCII run up to a space or CJK, or CJK up to the next known word. */
function unknownEnd(text: string, pos: number, clock: Clock, custom?: WordIndex<string>): number {
  let i = pos + 1;
  if (!CJK.test(text[pos]!)) {
    while (i < text.length && !/[\s,，;；?？!！]/.test(text[i]!) && !CJK.test(text[i]!)) i++;
    return i;
  }
  while (i < text.length && CJK.test(text[i]!) && !bestAt(text, i, clock, custom)) i++;
  return i;
}

/** The pieces of normalized text, left to right; `custom` adds a workspace's own metric words. */
export function scanKpiText(text: string, clock: Clock, custom?: WordIndex<string>): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  while (pos < text.length) {
    const ch = text[pos]!;
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    const best = bestAt(text, pos, clock, custom);
    if (best) {
      pieces.push(best.piece);
      pos = best.end;
    } else if (SEPARATOR.test(ch)) {
      pos++;
    } else {
      const end = unknownEnd(text, pos, clock, custom);
      pieces.push({ kind: 'unknown', word: text.slice(pos, end) });
      pos = end;
    }
  }
  return pieces;
}
