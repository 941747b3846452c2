/**
 * The row-level report of an import: one entry per rejected row and column (row, column, value,
 * reason, stable code), kept up to a cap so a 1 M-row broken file does not fill memory; the
 * counts stay exact. Also rendered as CSV for download.
 */
import { csvChunks } from '../export/csv-write.ts';

export interface RowIssue {
  /** 1-based row number in the file (the header is usually row 1), or the item index of a push. */
  row: number;
  column?: string;
  value?: string;
  code: string;
  reason: string;
}

export const MAX_REPORTED_ISSUES = 1000;

export class IssueCollector {
  readonly issues: RowIssue[] = [];
  truncated = false;
  rejectedRows = 0;
  readonly byCode: Record<string, number> = {};

  /** Records a rejected row with one or more problems. */
  reject(problems: RowIssue[]): void {
    this.rejectedRows++;
    for (const p of problems) {
      this.byCode[p.code] = (this.byCode[p.code] ?? 0) + 1;
      if (this.issues.length < MAX_REPORTED_ISSUES) this.issues.push(p);
      else this.truncated = true;
    }
  }
}

export function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

async function* issueRows(issues: readonly RowIssue[]): AsyncGenerator<(string | number | null)[]> {
  for (const i of issues) yield [i.row, i.column ?? null, i.value ?? null, i.code, i.reason];
}

/** The report as CSV text (formula-escaped like every export). */
export async function reportCsv(issues: readonly RowIssue[]): Promise<string> {
  let out = '';
  for await (const chunk of csvChunks(['row', 'column', 'value', 'code', 'reason'], issueRows(issues))) out += chunk;
  return out;
}
