/**
 * Any failure of a Slack call → AdapterError with a code the outbox understands (style.md
 * "Errors"). The Web API answers HTTP 200 `{ok:false, error}` for most failures; 429 carries
 * Retry-After (with `rejectRateLimitedCalls` the client throws instead of pausing its queue).
 * Error names: https://docs.slack.dev/reference/methods/chat.postMessage#errors and siblings.
 */
import { ErrorCode, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError, type WebAPIRequestError } from '@slack/web-api';
import { AdapterError, type AdapterErrorCode } from '../../bot/errors.ts';

const PLATFORM_CODES: Record<string, AdapterErrorCode> = {
  not_authed: 'auth',
  invalid_auth: 'auth',
  account_inactive: 'auth',
  token_revoked: 'auth',
  token_expired: 'auth',
  no_permission: 'permission',
  missing_scope: 'permission',
  not_in_channel: 'permission',
  is_archived: 'permission',
  restricted_action: 'permission',
  restricted_action_read_only_channel: 'permission',
  restricted_action_thread_only_channel: 'permission',
  ekm_access_denied: 'permission',
  cant_update_message: 'permission',
  edit_window_closed: 'permission',
  channel_not_found: 'not_found',
  message_not_found: 'not_found',
  user_not_found: 'not_found',
  file_not_found: 'not_found',
  expired_url: 'not_found',
  invalid_blocks: 'invalid_payload',
  invalid_blocks_format: 'invalid_payload',
  msg_too_long: 'invalid_payload',
  msg_blocks_too_long: 'invalid_payload',
  no_text: 'invalid_payload',
  invalid_arguments: 'invalid_payload',
  invalid_arg_name: 'invalid_payload',
  too_many_attachments: 'invalid_payload',
  ratelimited: 'rate_limited',
  rate_limited: 'rate_limited',
  internal_error: 'unavailable',
  fatal_error: 'unavailable',
  service_unavailable: 'unavailable',
  request_timeout: 'unavailable',
};

/** HTTP statuses seen from response_url and the upload URL (plain HTTP, not the Web API). */
export function codeForStatus(status: number): AdapterErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 400 || status === 413 || status === 422) return 'invalid_payload';
  if (status >= 500) return 'unavailable';
  return 'unknown';
}

function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string } } | undefined;
  return e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError';
}

/** Maps anything a Slack call threw; `what` names the call for the log (never a token). */
export function classifySlackError(err: unknown, what: string): AdapterError {
  if (err instanceof AdapterError) return err;
  const coded = err as { code?: string } | undefined;
  switch (coded?.code) {
    case ErrorCode.RateLimitedError: {
      const retryAfter = (err as WebAPIRateLimitedError).retryAfter;
      return new AdapterError('slack', 'rate_limited', `${what}: rate limited for ${retryAfter}s`, { retryAfterSeconds: retryAfter, cause: err });
    }
    case ErrorCode.PlatformError: {
      const name = (err as WebAPIPlatformError).data?.error ?? 'unknown_error';
      return new AdapterError('slack', PLATFORM_CODES[name] ?? 'unknown', `${what}: ${name}`, { cause: err });
    }
    case ErrorCode.HTTPError: {
      const status = (err as WebAPIHTTPError).statusCode;
      return new AdapterError('slack', codeForStatus(status), `${what}: HTTP ${status}`, { cause: err });
    }
    case ErrorCode.RequestError: {
      const original = (err as WebAPIRequestError).original;
      // A timed-out call may have landed: `timeout`, which the outbox never blindly retries.
      if (isTimeout(original)) return new AdapterError('slack', 'timeout', `${what}: timed out`, { cause: err });
      return new AdapterError('slack', 'unavailable', `${what}: ${original?.message ?? 'request failed'}`, { cause: err });
    }
  }
  if (isTimeout(err)) return new AdapterError('slack', 'timeout', `${what}: timed out`, { cause: err });
  if (err instanceof TypeError) return new AdapterError('slack', 'unavailable', `${what}: ${err.message}`, { cause: err });
  return new AdapterError('slack', 'unknown', `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
