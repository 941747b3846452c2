/**
 * A streamed single-sheet .xlsx: the minimum SpreadsheetML parts (content types, relationships,
 * workbook, one worksheet with inline strings), deflated by fflate as rows arrive, so exports of
 * millions of rows use constant memory. Values are written as values: no cell ever gets a formula,
 * so formula injection cannot happen inside the workbook.
 */
import { Zip, ZipDeflate } from 'fflate';
import type { OutCell } from './csv-write.ts';

const enc = new TextEncoder();

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

function workbook(sheetName: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheetName.slice(0, 31).replace(/[[\]:*?/\\]/g, '_'))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

/** XML-escaped text without the characters XML 1.0 forbids. */
export function xmlText(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex -- XML 1.0 forbids exactly these characters
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function columnName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function rowXml(r: number, cells: readonly OutCell[]): string {
  let out = `<row r="${r}">`;
  cells.forEach((v, i) => {
    if (v === null || v === undefined || v === '') return;
    const ref = `${columnName(i)}${r}`;
    if (typeof v === 'number' && Number.isFinite(v)) out += `<c r="${ref}"><v>${v}</v></c>`;
    else if (typeof v === 'boolean') out += `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
    else out += `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(String(v))}</t></is></c>`;
  });
  return `${out}</row>`;
}

/** Header + rows as the bytes of an .xlsx file. */
export async function* xlsxChunks(header: readonly string[], rows: AsyncIterable<readonly OutCell[]>, opts: { sheetName?: string } = {}): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else out.push(data);
  });
  const add = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(enc.encode(text), true);
  };
  add('[Content_Types].xml', CONTENT_TYPES);
  add('_rels/.rels', ROOT_RELS);
  add('xl/workbook.xml', workbook(opts.sheetName ?? 'data'));
  add('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
  zip.add(sheet);
  let buf = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rowXml(1, header)}`;
  let r = 1;
  for await (const row of rows) {
    buf += rowXml(++r, row);
    if (buf.length >= 65_536) {
      sheet.push(enc.encode(buf));
      buf = '';
      if (failure) throw failure;
      yield* out.splice(0);
    }
  }
  sheet.push(enc.encode(`${buf}</sheetData></worksheet>`), true);
  zip.end();
  if (failure) throw failure;
  yield* out.splice(0);
}
