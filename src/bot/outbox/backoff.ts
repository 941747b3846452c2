/**
 * Retry delays for the outbox: exponential with full jitter (spreads retries of many rows that
 * failed together), capped; a platform's Retry-After always wins when it is longer.
 */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/** Transient failures before a row is dead-lettered. */
export const MAX_ATTEMPTS = 8;
/** Rate-limit answers are not failures of the message; allow more of them before giving up. */
export const MAX_RATE_LIMITED_ATTEMPTS = 30;

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
