/**
 * Guarded reading of a zip container (XLSX) from a file: the entry count and the declared
 * uncompressed sizes are checked before anything is inflated, and yauzl verifies while inflating
 * that no entry produces more bytes than it declared — so a zip bomb disguised as .xlsx is refused
 * up front or stopped within its declared size, never inflated into memory or disk.
 */
import yauzl from 'yauzl';
import { AppError } from '../../errors.ts';

export interface ZipLimits {
  /** Entries in the archive (a workbook has a few dozen). */
  maxEntries: number;
  /** Sum of declared uncompressed sizes. */
  maxUncompressedBytes: number;
  /** Declared size ÷ compressed size of any one entry over 1 MiB; XML compresses ~10–30×. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5_000, maxUncompressedBytes: 1024 * 1024 * 1024, maxRatio: 400 };

export interface ZipArchive {
  names(): string[];
  has(name: string): boolean;
  /** Inflated bytes of one entry, as a stream of chunks. */
  stream(name: string): AsyncIterable<Buffer>;
  close(): void;
}

function bomb(message: string): AppError {
  return new AppError('invalid_argument', `${message}: this is not a workbook we can read safely`, { field: 'file' });
}

export async function openZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipArchive> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, autoClose: false }, (err, z) =>
      err ? reject(new AppError('invalid_argument', `the file is not a valid .xlsx (zip) file: ${err.message.slice(0, 120)}`, { field: 'file' })) : resolve(z!),
    ),
  );
  try {
    if (zip.entryCount > limits.maxEntries) throw bomb(`the archive has ${zip.entryCount} entries`);
    const entries = new Map<string, yauzl.Entry>();
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        if (total > limits.maxUncompressedBytes) return reject(bomb(`it would inflate to more than ${Math.round(limits.maxUncompressedBytes / 1048576)} MiB`));
        if (e.uncompressedSize > 1048576 && e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio) {
          return reject(bomb(`${e.fileName.slice(0, 60)} is compressed ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}:1`));
        }
        entries.set(e.fileName.replace(/^\/+/, ''), e);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) => reject(new AppError('invalid_argument', `the .xlsx archive is damaged: ${err.message.slice(0, 120)}`, { field: 'file' })));
      zip.readEntry();
    });
    return {
      names: () => [...entries.keys()],
      has: (name) => entries.has(name),
      async *stream(name) {
        const entry = entries.get(name);
        if (!entry) throw new AppError('invalid_argument', `the workbook has no ${name}`, { field: 'file' });
        const rs = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
          zip.openReadStream(entry, (err, s) => (err ? reject(bomb(err.message.slice(0, 120))) : resolve(s!))),
        );
        try {
          for await (const chunk of rs as AsyncIterable<Buffer>) yield chunk;
        } catch (err) {
          throw err instanceof AppError ? err : bomb(`${name}: ${(err as Error).message.slice(0, 120)}`);
        }
      },
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}
