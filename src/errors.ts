/**
 * Errors with stable codes. Anything a client caused is an `AppError` with a 4xx status and a
 * message safe to show; anything else is a 500 whose details go only to the log.
 */

export type AppErrorCode =
  | 'invalid_argument'
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'database_in_use'
  | 'unavailable';

const STATUS: Record<AppErrorCode, number> = {
  invalid_argument: 400,
  invalid_request: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  database_in_use: 409,
  unavailable: 503,
};

export class AppError extends Error {
  readonly status: number;
  readonly field?: string;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    opts: { field?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.status = STATUS[code];
    this.field = opts.field;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
