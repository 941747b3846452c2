/**
 * Text encodings of seller files: UTF-8 with or without BOM, UTF-16 (BOM), and the legacy
 * Windows code pages Chinese and Japanese Excel still save CSV in: GBK/GB18030 (GB18030 is a
 * superset of GBK, so one decoder serves both) and Shift-JIS. Detection looks at the first bytes;
 * undecodable text is rejected as a whole file (`bad_encoding`) instead of being stored as mojibake.
 */
import iconv from 'iconv-lite';
import { AppError } from '../../errors.ts';

export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030' | 'shift_jis';

export const ENCODINGS: readonly Encoding[] = ['utf8', 'utf16le', 'utf16be', 'gb18030', 'shift_jis'];

const ALIASES: Record<string, Encoding> = {
  'utf-8': 'utf8', utf8: 'utf8', 'utf-8-bom': 'utf8', gbk: 'gb18030', gb2312: 'gb18030', gb18030: 'gb18030', cp936: 'gb18030',
  'shift-jis': 'shift_jis', shift_jis: 'shift_jis', sjis: 'shift_jis', cp932: 'shift_jis', 'windows-31j': 'shift_jis',
  'utf-16le': 'utf16le', utf16le: 'utf16le', 'utf-16be': 'utf16be', utf16be: 'utf16be',
};

export function encodingName(name: string): Encoding {
  const e = ALIASES[name.trim().toLowerCase()];
  if (!e) throw new AppError('invalid_argument', `unknown encoding "${name.slice(0, 20)}"; use utf8, gbk, gb18030 or shift_jis`, { field: 'encoding' });
  return e;
}

function validUtf8(sample: Buffer): boolean {
  // A multi-byte character may be cut at the end of the sample: ignore up to 3 trailing bytes.
  for (let cut = 0; cut <= 3 && cut < sample.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
      return true;
    } catch {
      // Try a shorter prefix.
    }
  }
  return false;
}

function kanaShare(text: string): number {
  const nonAscii = [...text].filter((c) => c.charCodeAt(0) > 0x7f);
  if (nonAscii.length === 0) return 0;
  return nonAscii.filter((c) => /[\u3040-\u30ff]/.test(c)).length / nonAscii.length;
}

function replacementShare(text: string): number {
  if (text.length === 0) return 0;
  return (text.match(/\ufffd/g)?.length ?? 0) / text.length;
}

/** Picks the encoding of a file from its first bytes. */
export function detectEncoding(sample: Buffer): { encoding: Encoding; bom: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  if (validUtf8(sample)) return { encoding: 'utf8', bom: 0 };
  // Shift-JIS text is mostly kana; read as GBK it decodes to rare hanzi instead, so kana decide.
  const sjis = iconv.decode(sample, 'shift_jis');
  if (replacementShare(sjis) < 0.001 && kanaShare(sjis) > 0.15) return { encoding: 'shift_jis', bom: 0 };
  return { encoding: 'gb18030', bom: 0 };
}

/** Undecodable bytes in a decoded sample: one in a thousand characters is already a wrong guess. */
export function checkDecoded(text: string, encoding: Encoding): void {
  // eslint-disable-next-line no-control-regex -- control characters in text mean binary or a wrong code page
  if (replacementShare(text) > 0.001 || /[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) {
    throw new AppError(
      'invalid_argument',
      `the file is not readable text in ${encoding}: save it as CSV UTF-8 (or GBK / Shift-JIS), or as .xlsx`,
      { field: 'file' },
    );
  }
}

/**
 * Decodes a byte stream into text chunks. The first 64 KiB pick the encoding (unless given) and
 * are checked for undecodable bytes before anything is returned.
 */
export async function* decodeStream(
  bytes: AsyncIterable<Buffer>,
  opts: { encoding?: Encoding; onDetected?: (e: Encoding) => void } = {},
): AsyncGenerator<string> {
  const it = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < 65_536) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const first = Buffer.concat(head);
  const detected = detectEncoding(first);
  const encoding = opts.encoding ?? detected.encoding;
  opts.onDetected?.(encoding);
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  const text = decoder.write(first);
  checkDecoded(text, encoding);
  if (text) yield text;
  while (!done) {
    const next = await it.next();
    if (next.done) break;
    const chunk = decoder.write(next.value);
    if (chunk.includes('\ufffd')) checkDecoded(chunk, encoding);
    if (chunk) yield chunk;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}
