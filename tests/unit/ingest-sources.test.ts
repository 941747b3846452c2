/**
 * File sources of the importer: encodings (UTF-8 ± BOM, GBK, Shift-JIS), delimiter sniffing,
 * XLSX reading (shared strings, dates, formulas never evaluated) and the zip-bomb guard.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { csvChunks } from '../../src/ingest/export/csv-write.ts';
import { xlsxChunks } from '../../src/ingest/export/xlsx-write.ts';
import { openTabularFile } from '../../src/ingest/source/open.ts';
import { sniffDelimiter } from '../../src/ingest/source/csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'ingest-src-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function read(path: string) {
  const src = await openTabularFile(path);
  const rows = [];
  for await (const r of src.rows) rows.push(r);
  return { format: src.format, detected: src.detected, rows };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* list<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

describe('CSV sources', () => {
  it('reads GBK with semicolons and a quoted thousands separator', async () => {
    const p = file('gbk.csv', iconv.encode('日期;店铺;SKU;销售额\n2026-11-01;us-main;A-1;"1,234.50"\n', 'gbk'));
    const r = await read(p);
    expect(r.detected).toEqual({ encoding: 'gb18030', delimiter: ';' });
    expect(r.rows).toEqual([
      { row: 1, cells: ['日期', '店铺', 'SKU', '销售额'] },
      { row: 2, cells: ['2026-11-01', 'us-main', 'A-1', '1,234.50'] },
    ]);
  });

  it('reads Shift-JIS with tabs', async () => {
    const p = file('sjis.csv', iconv.encode('日付\tストア\tSKU\t売上\nきょう\tjp-main\tA\t100\n', 'shift_jis'));
    const r = await read(p);
    expect(r.detected).toEqual({ encoding: 'shift_jis', delimiter: '\t' });
    expect(r.rows[0]!.cells).toEqual(['日付', 'ストア', 'SKU', '売上']);
    expect(r.rows[1]!.cells[0]).toBe('きょう');
  });

  it('strips a UTF-8 BOM, keeps CRLF records and empty cells as null', async () => {
    const r = await read(file('bom.csv', '\ufeffdate,store_id,x\r\n2026-11-01,us,\r\n'));
    expect(r.detected.encoding).toBe('utf8');
    expect(r.rows).toEqual([
      { row: 1, cells: ['date', 'store_id', 'x'] },
      { row: 2, cells: ['2026-11-01', 'us', null] },
    ]);
  });

  it('refuses binary junk as a wrong encoding', async () => {
    const junk = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 37) % 32));
    await expect(read(file('junk.csv', junk))).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses legacy .xls with a hint', async () => {
    await expect(read(file('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });

  it('sniffs the delimiter that splits every line alike', () => {
    expect(sniffDelimiter('a,b;c\n1,2;3\n')).toBe(',');
    expect(sniffDelimiter('a;b;c\n"1,5";2;3\n4;5;6\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n1\t2\n')).toBe('\t');
  });

  it('writes formula-like text with an apostrophe and numbers as they are', async () => {
    const text = (await collect(csvChunks(['a', 'b'], list([['=HYPERLINK("http://x","y")', -5], ['+1 call', '@SUM'], ['\tx', 'a,"b"']])))).join('');
    expect(text).toBe('\ufeffa,b\r\n"\'=HYPERLINK(""http://x"",""y"")",-5\r\n\'+1 call,\'@SUM\r\n\'\tx,"a,""b"""\r\n');
  });
});

describe('XLSX sources', () => {
  it('reads back what the exporter writes; formula-looking text stays text', async () => {
    const bytes = Buffer.concat(await collect(xlsxChunks(['date', 'store', 'n', 'note'], list([['2026-11-01', '美国', 12.5, '=HYPERLINK("x")'], ['a&b<c>', null, -3, true]]))));
    const r = await read(file('a.xlsx', bytes));
    expect(r.format).toBe('xlsx');
    expect(r.rows).toEqual([
      { row: 1, cells: ['date', 'store', 'n', 'note'] },
      { row: 2, cells: ['2026-11-01', '美国', '12.5', '=HYPERLINK("x")'] },
      { row: 3, cells: ['a&b<c>', null, '-3', 'TRUE'] },
    ]);
  });

  it('reads shared strings, date styles, and marks formula cells without evaluating them', async () => {
    const p = file('excel.xlsx', zip({
      '[Content_Types].xml': '<Types/>',
      'xl/workbook.xml': '<workbook xmlns:r="r"><sheets><sheet name="订单" sheetId="1" r:id="rId7"/></sheets></workbook>',
      'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId7" Target="worksheets/data.xml"/></Relationships>',
      'xl/styles.xml': '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellStyleXfs><xf numFmtId="0"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="22"/></cellXfs></styleSheet>',
      'xl/sharedStrings.xml': '<sst><si><t>日期</t></si><si><r><t>销</t></r><r><t>售额</t></r><rPh><t>ヨミ</t></rPh></si><si><t>us-main</t></si></sst>',
      'xl/worksheets/data.xml': '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>' +
        '<row r="3"><c r="A3" s="1"><v>46327</v></c><c r="B3" t="s"><v>2</v></c><c r="C3"><f>SUM(1,2)</f><v>3</v></c><c r="D3" s="2"><v>46327.5</v></c></row></sheetData></worksheet>',
    }));
    const r = await read(p);
    // Serial 46327: 45658 is 2025-01-01, + 365 = 2026-01-01, + 304 days = 2026-11-01.
    expect(r.rows).toEqual([
      { row: 1, cells: ['日期', null, '销售额'] },
      { row: 3, cells: ['2026-11-01', 'us-main', { formula: 'SUM(1,2)' }, '2026-11-01T12:00:00'] },
    ]);
  });

  it('refuses a zip bomb disguised as .xlsx before inflating it', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 0x41); // 8 MiB of "A" deflates ~1000:1
    const p = file('bomb.xlsx', zip({ '[Content_Types].xml': '<Types/>', 'xl/worksheets/sheet1.xml': big }));
    await expect(read(p)).rejects.toThrow(/compressed \d+:1/);
  });

  it('stops an entry that inflates past the size it declared', async () => {
    const real = Buffer.alloc(2 * 1024 * 1024, 0x42);
    const p = file('liar.xlsx', zip({ 'xl/workbook.xml': '<workbook/>', 'xl/worksheets/sheet1.xml': real }, { lie: 'xl/worksheets/sheet1.xml' }));
    await expect(read(p)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

/** A minimal zip writer (deflate, no data descriptors) so tests can shape archives freely. */
function zip(files: Record<string, string | Buffer>, o: { lie?: string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const comp = deflateRawSync(data);
    const crc = crc32(data);
    const size = o.lie === name ? 1000 : data.length;
    const nameBuf = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(comp.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(comp.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(nameBuf.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, comp);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
