/**
 * Errors at the adapter boundary. Adapters throw only `AdapterError`, with a closed code set the
 * outbox understands: it retries `rate_limited` and `unavailable`, retries `timeout` only where
 * the platform takes an idempotency key, and dead-letters everything else (style.md "Errors").
 */
import type { Platform } from './events.ts';

export type AdapterErrorCode =
  | 'auth'
  | 'permission'
  | 'rate_limited'
  | 'not_found'
  | 'invalid_payload'
  | 'timeout'
  | 'unavailable'
  | 'unknown';

export class AdapterError extends Error {
  /** Whether a later identical attempt may succeed. */
  readonly retryable: boolean;
  /** Seconds to wait, from the platform's Retry-After (or equivalent), when it said so. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly platform: Platform,
    readonly code: AdapterErrorCode,
    message: string,
    opts: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AdapterError';
    this.retryable = code === 'rate_limited' || code === 'unavailable';
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

export function isAdapterError(e: unknown): e is AdapterError {
  return e instanceof AdapterError;
}

/** A mistake inside the bot's own handling (not the user's, not the platform's). */
export class BotError extends Error {
  constructor(
    readonly code: 'handler_failed' | 'no_adapter' | 'invalid_card',
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'BotError';
  }
}
