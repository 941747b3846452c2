/**
 * One entry for every file format: looks at the first bytes of a file and returns its rows —
 * .xlsx (a zip) through the guarded workbook reader, anything else as delimited text in a
 * detected encoding. Legacy .xls and other binaries are refused with a hint.
 */
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { csvRows, type Delimiter, type SourceRow } from './csv.ts';
import { decodeStream, type Encoding } from './encoding.ts';
import { xlsxRows } from './xlsx-read.ts';
import type { ZipLimits } from './zip.ts';

export type FileFormat = 'csv' | 'xlsx';

export interface OpenedSource {
  format: FileFormat;
  rows: AsyncIterable<SourceRow>;
  /** Filled once the first rows were read (CSV only). */
  detected: { encoding?: Encoding; delimiter?: Delimiter };
}

export interface OpenOptions {
  encoding?: Encoding;
  delimiter?: Delimiter;
  zipLimits?: ZipLimits;
}

async function magic(path: string): Promise<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function openTabularFile(path: string, opts: OpenOptions = {}): Promise<OpenedSource> {
  const head = await magic(path);
  if (head.length === 0) throw new AppError('invalid_argument', 'the file is empty', { field: 'file' });
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return { format: 'xlsx', rows: xlsxRows(path, opts.zipLimits), detected: {} };
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new AppError('unsupported_media_type', 'old .xls workbooks are not supported: save as .xlsx or CSV', { field: 'file' });
  }
  if (head[0] === 0x50 && head[1] === 0x4b) {
    throw new AppError('invalid_argument', 'the file is a zip archive but not a workbook', { field: 'file' });
  }
  const detected: OpenedSource['detected'] = {};
  const text = decodeStream(createReadStream(path, { highWaterMark: 65_536 }) as AsyncIterable<Buffer>, {
    encoding: opts.encoding,
    onDetected: (e) => (detected.encoding = e),
  });
  return { format: 'csv', rows: csvRows(text, { delimiter: opts.delimiter, onDelimiter: (d) => (detected.delimiter = d) }), detected };
}
