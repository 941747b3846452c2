/**
 * Score errors: a GoalError (stable AppError code + Chinese wording) so chat answers in the
 * asker's language through the goals' `guarded` helper, and REST keeps the English message.
 * `rule` names the broken rule (weight_sum, self_approval, locked…) for clients.
 */
import type { AppErrorCode } from '../errors.ts';
import { GoalError } from '../goals/errors.ts';

export class ScoreError extends GoalError {
  readonly rule: string | undefined;
  constructor(code: AppErrorCode, message: string, opts: { field?: string; zh?: string; rule?: string } = {}) {
    super(code, message, opts);
    this.name = 'ScoreError';
    this.rule = opts.rule;
  }
}
