/**
 * The one KPI grammar (ARCHITECTURE.md "Chat command language", glossary §5): the words after
 * `/kpi`, after an @mention or in a DM, English and Chinese mixed, with or without spaces.
 * `gmv 7d by store`, `本周GMV按店铺`, `上月 净利润 同比`, `chart gmv 30d`. Never throws: text
 * that is not a question becomes a ParseHint the bot turns into a short usage hint.
 */
import { closestN, editDistance } from '../../shared/edit-distance.ts';
import { INDEXES, type Piece, scanKpiText } from './kpi-scan.ts';
import { WordIndex } from './vocab-match.ts';
import { makeClock } from './period-clock.ts';
import { normalizeChatText } from './period-words.ts';
import type { HintReason, KpiAsk, ParsedKpiText, ParseHint, ScopeRef } from './types.ts';
import { METRIC_IDS } from './vocab-metrics.ts';
import { FIXED_PERIOD_WORDS, SEASON_WORDS } from './vocab-periods.ts';

export interface ParseKpiOptions {
  /** The instant "today" is taken from (default: now). */
  now?: Date;
  /** IANA zone of the asker or chat for today/yesterday and "latest past" dates (default UTC). */
  timezone?: string;
  /** Period when none is typed (default `last_7d`). */
  defaultPeriod?: string;
  /** The bot's command words (help, whoami …), offered in "did you mean" lists too. */
  commandWords?: string[];
  /** The workspace's custom metrics as [word, id] (ids and names), recognised like catalogue words. */
  customMetrics?: [string, string][];
}

/** Longest text the grammar reads; a KPI question is a line, not a document. */
export const MAX_KPI_TEXT = 500;
/** Longest word echoed back in a hint. */
export const MAX_ECHO = 40;

let vocabulary: string[] | undefined;

/** Every word worth suggesting: metric ids first (so `gvm` → `gmv`), then all other vocabulary. */
function allWords(): string[] {
  vocabulary ??= [...new Set([
    ...METRIC_IDS,
    ...INDEXES.metric.words(),
    ...FIXED_PERIOD_WORDS.map(([w]) => w),
    ...SEASON_WORDS.map(([w]) => w),
    ...INDEXES.compare.words(),
    ...INDEXES.group.words(),
    ...INDEXES.filter.words(),
    ...INDEXES.currency.words(),
    ...INDEXES.rank.words(),
    ...INDEXES.chart.words(),
  ])];
  return vocabulary;
}

/** At most MAX_ECHO characters (code points, so no half surrogate pair) of an already-cleaned word. */
function echo(word: string): string {
  const chars = Array.from(word.trim());
  return chars.length > MAX_ECHO ? chars.slice(0, MAX_ECHO).join('') : chars.join('');
}

function hint(reason: HintReason, word?: string, suggestions: string[] = []): ParseHint {
  return word === undefined ? { kind: 'hint', reason, suggestions } : { kind: 'hint', reason, word: echo(word), suggestions: suggestions.slice(0, 3).map(echo) };
}

function suggest(word: string, commandWords: string[]): string[] {
  const w = word.toLowerCase();
  // Keep only suggestions sharing something with the word: one CJK character is "distance 1" from any other.
  return closestN(w, [...commandWords, ...allWords()], 8)
    .filter((s) => editDistance(w, s.toLowerCase()) < Array.from(w).length)
    .slice(0, 3);
}

/** The first value that differs from an earlier one, for `conflict` hints. */
function conflictOf<T extends Piece>(pieces: T[], key: (p: T) => string): [T, T] | undefined {
  const first = pieces[0];
  if (!first) return undefined;
  const other = pieces.find((p) => key(p) !== key(first));
  return other ? [first, other] : undefined;
}

function ofKind<K extends Piece['kind']>(pieces: Piece[], kind: K): Extract<Piece, { kind: K }>[] {
  return pieces.filter((p): p is Extract<Piece, { kind: K }> => p.kind === kind);
}

function parse(text: string, opts: ParseKpiOptions): ParsedKpiText {
  if (typeof text !== 'string') return hint('empty');
  // Cheap guard before normalizing: huge input is refused without scanning it.
  if (text.length > MAX_KPI_TEXT * 4) return hint('too_long');
  const clean = normalizeChatText(text).trim();
  if (clean === '') return hint('empty');
  if (clean.length > MAX_KPI_TEXT) return hint('too_long');

  const custom = opts.customMetrics?.length ? new WordIndex(opts.customMetrics) : undefined;
  const pieces = scanKpiText(clean, makeClock(opts.now, opts.timezone), custom);
  const unknown = ofKind(pieces, 'unknown')[0];
  if (unknown) return hint('unknown_word', unknown.word, suggest(unknown.word, [...(opts.commandWords ?? []), ...(opts.customMetrics ?? []).map(([, id]) => id)]));
  const badPeriod = ofKind(pieces, 'bad_period')[0];
  if (badPeriod) return hint('bad_period', badPeriod.word);
  const badNumber = ofKind(pieces, 'bad_number')[0];
  if (badNumber) return hint('bad_number', badNumber.word);

  const periods = ofKind(pieces, 'period');
  const groups = ofKind(pieces, 'group');
  const compares = ofKind(pieces, 'compare');
  const ranks = ofKind(pieces, 'rank');
  const currencies = ofKind(pieces, 'currency');
  const conflict =
    conflictOf(periods, (p) => p.period) ??
    conflictOf(groups, (p) => p.dim) ??
    conflictOf(compares, (p) => p.id) ??
    conflictOf(ranks, (p) => `${p.n}/${p.bottom}`) ??
    conflictOf(currencies, (p) => p.code);
  if (conflict) return hint('conflict', conflict[1].word, [conflict[0].word, conflict[1].word]);

  const metrics = [...new Set(ofKind(pieces, 'metric').map((p) => p.id))];
  if (metrics.length === 0) {
    return pieces.some((p) => p.kind !== 'filler') ? hint('no_metric') : hint('empty');
  }
  const scopes: ScopeRef[] = [];
  for (const { scope } of ofKind(pieces, 'scope')) {
    if (!scopes.some((s) => s.dim === scope.dim && s.text === scope.text)) scopes.push(scope);
  }
  const ask: KpiAsk = {
    kind: 'kpi',
    chartOnly: pieces.some((p) => p.kind === 'chart'),
    metrics,
    period: periods[0]?.period ?? opts.defaultPeriod ?? 'last_7d',
    periodExplicit: periods.length > 0,
    scopes,
  };
  if (compares[0]) ask.compare = compares[0].id;
  if (groups[0]) ask.groupBy = groups[0].dim;
  if (ranks[0]) ask.rank = { n: ranks[0].n, bottom: ranks[0].bottom };
  if (currencies[0]) ask.currency = currencies[0].code;
  return ask;
}

/**
 * The grammar without the safety net below: a defect throws instead of becoming a `no_metric`
 * hint. Only the fuzz tests call it, so a defect the net would hide in chat is still found.
 */
export function parseKpiTextStrict(text: string, opts: ParseKpiOptions = {}): ParsedKpiText {
  return parse(text, opts ?? {});
}

/** Parses a KPI question; any input (even not a string) gives a KpiAsk or a ParseHint. */
export function parseKpiText(text: string, opts: ParseKpiOptions = {}): ParsedKpiText {
  try {
    return parseKpiTextStrict(text, opts);
  } catch {
    // A defect in a vocabulary regex must not become a stack trace in chat.
    return hint('no_metric');
  }
}
