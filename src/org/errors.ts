/**
 * A refusal of an organisation change with a message in both languages: chat shows the asker's,
 * HTTP and the CLI the English one. The codes are the stable AppError codes.
 */
import { AppError, type AppErrorCode } from '../errors.ts';
import type { Bilingual } from '../bot/language.ts';

export class OrgError extends AppError {
  constructor(
    code: AppErrorCode,
    readonly text: Bilingual,
    field?: string,
  ) {
    super(code, text.en, { field });
    this.name = 'OrgError';
  }
}

export function isOrgError(e: unknown): e is OrgError {
  return e instanceof OrgError;
}
