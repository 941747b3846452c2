/**
 * Streaming CSV rows from decoded text: the delimiter (`,` `;` tab `|`) is sniffed from the first
 * lines, quotes follow RFC 4180, and a record longer than 1 MiB is refused (a file without line
 * breaks must not be buffered whole).
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../../errors.ts';
import type { Cell } from '../values/cells.ts';

export type Delimiter = ',' | ';' | '\t' | '|';
const CANDIDATES: Delimiter[] = [',', ';', '\t', '|'];

export interface SourceRow {
  /** 1-based line (CSV) or sheet row (XLSX) of the record, as a spreadsheet shows it. */
  row: number;
  cells: Cell[];
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/** The delimiter that splits the first lines into the same, largest number of fields. */
export function sniffDelimiter(sample: string): Delimiter {
  const lines = sample.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length > 1) lines.pop(); // the last line of a sample may be cut
  let best: { d: Delimiter; score: number } = { d: ',', score: -1 };
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.filter((c) => c === header).length / counts.length;
    const score = consistent * 1000 + header;
    if (score > best.score) best = { d, score };
  }
  return best.d;
}

export async function* csvRows(text: AsyncIterable<string>, opts: { delimiter?: Delimiter; onDelimiter?: (d: Delimiter) => void } = {}): AsyncGenerator<SourceRow> {
  const it = text[Symbol.asyncIterator]();
  let head = '';
  let done = false;
  while (head.length < 16_384) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head += next.value;
  }
  const delimiter = opts.delimiter ?? sniffDelimiter(head.slice(0, 16_384));
  opts.onDelimiter?.(delimiter);
  async function* rest(): AsyncGenerator<string> {
    if (head) yield head;
    while (!done) {
      const next = await it.next();
      if (next.done) break;
      yield next.value;
    }
  }
  const parser = Readable.from(rest(), { objectMode: false, encoding: 'utf8' }).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 1_048_576,
      info: true,
    }),
  );
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { row: rec.info.lines, cells: rec.record.map((c) => (c.trim() === '' ? null : c)) };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'CSV_MAX_RECORD_SIZE') throw new AppError('invalid_argument', 'a CSV record is longer than 1 MiB: is this really a CSV file?', { field: 'file' });
    if (code?.startsWith('CSV_')) throw new AppError('invalid_argument', `the CSV cannot be read: ${(err as Error).message.slice(0, 200)}`, { field: 'file' });
    throw err;
  }
}
