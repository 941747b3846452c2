/**
 * Goal errors: an `AppError` (stable code, HTTP status, field) that also carries the Chinese
 * wording, so chat answers in the asker's language and REST keeps the English message.
 */
import { AppError, type AppErrorCode } from '../errors.ts';

export class GoalError extends AppError {
  readonly zh: string;
  constructor(code: AppErrorCode, message: string, opts: { field?: string; zh?: string; cause?: unknown } = {}) {
    super(code, message, { field: opts.field, cause: opts.cause });
    this.name = 'GoalError';
    this.zh = opts.zh ?? message;
  }
}

/** The message in the asker's language (any AppError; others are not shown to people). */
export function goalErrorText(err: unknown, locale: 'zh-CN' | 'en'): string | undefined {
  if (err instanceof GoalError) return locale === 'zh-CN' ? err.zh : err.message;
  if (err instanceof AppError) return err.message;
  return undefined;
}
