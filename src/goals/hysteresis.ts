/**
 * Hysteresis of RAG announcements (glossary §3.4, §3.5; ARCHITECTURE.md Decisions → Goals): the
 * colour on a card follows the cut-offs, but a transition is announced only into red (from
 * amber, green or nothing yet) and on recovery from red to green, after 2 consecutive
 * evaluations agree, and at most once per goal per day. Green↔amber moves are never announced,
 * so a goal hovering around a line does not flap. Pure.
 */
import type { Rag } from './types.ts';

export const CONSECUTIVE_EVALUATIONS = 2;

export interface HysteresisState {
  pendingRag: Rag | null;
  pendingCount: number;
  lastAnnouncedRag: Rag | null;
  lastAnnouncedAt: Date | null;
}

export interface HysteresisStep {
  state: HysteresisState;
  /** The transition to announce now, if any. */
  announce: { from: Rag | null; to: 'red' | 'green' } | null;
}

/** The colour this evaluation would announce, if it held: into red, or red → green. */
function candidate(rag: Rag, lastAnnounced: Rag | null): 'red' | 'green' | null {
  if (rag === 'red' && lastAnnounced !== 'red') return 'red';
  if (rag === 'green' && lastAnnounced === 'red') return 'green';
  return null;
}

const sameUtcDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);

export function stepHysteresis(prev: HysteresisState, rag: Rag, now: Date): HysteresisStep {
  const c = candidate(rag, prev.lastAnnouncedRag);
  if (c === null) {
    return { state: { ...prev, pendingRag: null, pendingCount: 0 }, announce: null };
  }
  const count = prev.pendingRag === c ? prev.pendingCount + 1 : 1;
  const onceToday = prev.lastAnnouncedAt !== null && sameUtcDay(prev.lastAnnouncedAt, now);
  if (count >= CONSECUTIVE_EVALUATIONS && !onceToday) {
    return {
      state: { pendingRag: null, pendingCount: 0, lastAnnouncedRag: c, lastAnnouncedAt: now },
      announce: { from: prev.lastAnnouncedRag, to: c },
    };
  }
  // Held back (a streak of one, or already announced today): keep counting.
  return { state: { ...prev, pendingRag: c, pendingCount: Math.min(count, 99) }, announce: null };
}
