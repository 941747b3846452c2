/**
 * CSV output for exports: RFC 4180 quoting, a UTF-8 BOM so Excel opens Chinese text correctly,
 * and text cells escaped against formula injection (OWASP "CSV injection"): a text value starting
 * with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe, which spreadsheets show as text.
 * Numbers are written as numbers and never prefixed. Our importer removes that apostrophe again,
 * so an export imports back unchanged.
 */

export type OutCell = string | number | boolean | null | undefined;

const DANGEROUS = /^[=+\-@\t\r]/;

/** The apostrophe-escaped form of a text value (exported for the importer's inverse). */
export function neutralise(text: string): string {
  return DANGEROUS.test(text) ? `'${text}` : text;
}

/** Inverse of `neutralise` for cells read back from a file. */
export function unneutralise(text: string): string {
  return text.length > 1 && text.startsWith("'") && DANGEROUS.test(text.slice(1)) ? text.slice(1) : text;
}

function field(v: OutCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = neutralise(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(cells: readonly OutCell[]): string {
  return `${cells.map(field).join(',')}\r\n`;
}

/** Header + rows as CSV text chunks (one chunk per ~64 KiB). */
export async function* csvChunks(header: readonly string[], rows: AsyncIterable<readonly OutCell[]>, opts: { bom?: boolean } = {}): AsyncGenerator<string> {
  let buf = (opts.bom === false ? '' : '\ufeff') + csvLine(header);
  for await (const r of rows) {
    buf += csvLine(r);
    if (buf.length >= 65_536) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
