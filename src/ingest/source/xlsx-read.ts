/**
 * First worksheet of an .xlsx as rows of cells, streamed: shared strings and date styles are read
 * first, then the sheet XML is parsed chunk by chunk (saxes), so a 1 M-row sheet never sits in
 * memory. Formulas are never evaluated: a cell with `<f>` comes out as a formula marker whatever
 * its cached value. Numbers keep the text Excel wrote; date-formatted numbers become ISO dates.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppError } from '../../errors.ts';
import { excelSerialDate, excelSerialInstant } from '../values/dates.ts';
import type { Cell } from '../values/cells.ts';
import type { SourceRow } from './csv.ts';
import { openZip, type ZipArchive, type ZipLimits } from './zip.ts';

/** Shared strings are held in memory (the sheet refers to them by index): bounded separately. */
const MAX_SHARED_STRING_CHARS = 128 * 1024 * 1024;

type Handlers = {
  open?(tag: SaxesTagPlain): void;
  close?(name: string): void;
  text?(t: string): void;
};

/** Runs saxes over inflated chunks; `drain` is called after each chunk so callers can yield. */
async function* parseXml<T>(chunks: AsyncIterable<Buffer>, h: Handlers, drain: () => T[]): AsyncGenerator<T> {
  const parser = new SaxesParser({ xmlns: false });
  if (h.open) parser.on('opentag', h.open);
  if (h.close) parser.on('closetag', (t) => h.close!(t.name));
  if (h.text) {
    parser.on('text', h.text);
    parser.on('cdata', h.text);
  }
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of chunks) {
      parser.write(decoder.decode(chunk, { stream: true }));
      yield* drain();
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid_argument', `the workbook XML is damaged: ${(err as Error).message.slice(0, 120)}`, { field: 'file' });
  }
  yield* drain();
}

async function consume(chunks: AsyncIterable<Buffer>, h: Handlers): Promise<void> {
  for await (const _ of parseXml(chunks, h, () => [])) void _;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

async function firstSheetPath(zip: ZipArchive): Promise<string> {
  let rid: string | undefined;
  if (zip.has('xl/workbook.xml')) {
    await consume(zip.stream('xl/workbook.xml'), {
      open(t) {
        if (!rid && local(t.name) === 'sheet') rid = Object.entries(t.attributes).find(([k]) => local(k) === 'id')?.[1];
      },
    });
  }
  let target: string | undefined;
  if (rid && zip.has('xl/_rels/workbook.xml.rels')) {
    await consume(zip.stream('xl/_rels/workbook.xml.rels'), {
      open(t) {
        if (local(t.name) === 'Relationship' && t.attributes.Id === rid) target = t.attributes.Target;
      },
    });
  }
  if (target) {
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    if (zip.has(path)) return path;
  }
  const fallback = zip.names().filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n)).sort()[0];
  if (!fallback) throw new AppError('invalid_argument', 'the workbook has no worksheet', { field: 'file' });
  return fallback;
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** Style index → whether numbers in it are dates (true) or date-times ('time'). */
async function dateStyles(zip: ZipArchive): Promise<Map<number, 'date' | 'time'>> {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  if (!zip.has('xl/styles.xml')) return new Map();
  let inCellXfs = false;
  await consume(zip.stream('xl/styles.xml'), {
    open(t) {
      const n = local(t.name);
      if (n === 'numFmt') custom.set(Number(t.attributes.numFmtId), t.attributes.formatCode ?? '');
      else if (n === 'cellXfs') inCellXfs = true;
      else if (n === 'xf' && inCellXfs) xfs.push(Number(t.attributes.numFmtId ?? 0));
    },
    close(name) {
      if (local(name) === 'cellXfs') inCellXfs = false;
    },
  });
  const out = new Map<number, 'date' | 'time'>();
  xfs.forEach((fmt, i) => {
    const code = custom.get(fmt);
    // Quoted literals and [colour] sections are not date tokens.
    const bare = code?.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '') ?? '';
    const isDate = BUILTIN_DATE_FORMATS.has(fmt) || (code !== undefined && /[dmy]/i.test(bare) && !/^general$/i.test(bare));
    if (isDate) out.set(i, /[hs]/i.test(bare) || (fmt >= 18 && fmt <= 22) || fmt === 45 || fmt === 46 || fmt === 47 ? 'time' : 'date');
  });
  return out;
}

async function sharedStrings(zip: ZipArchive): Promise<string[]> {
  const out: string[] = [];
  if (!zip.has('xl/sharedStrings.xml')) return out;
  let current = '';
  let inT = false;
  let inPhonetic = false;
  let chars = 0;
  await consume(zip.stream('xl/sharedStrings.xml'), {
    open(t) {
      const n = local(t.name);
      if (n === 'si') current = '';
      else if (n === 't' && !inPhonetic) inT = true;
      else if (n === 'rPh') inPhonetic = true;
    },
    close(name) {
      const n = local(name);
      if (n === 't') inT = false;
      else if (n === 'rPh') inPhonetic = false;
      else if (n === 'si') {
        chars += current.length;
        if (chars > MAX_SHARED_STRING_CHARS) throw new AppError('invalid_argument', 'the workbook holds more than 128 M characters of text', { field: 'file' });
        out.push(current);
      }
    },
    text(t) {
      if (inT) current += t;
    },
  });
  return out;
}

function columnIndex(ref: string | undefined, fallback: number): number {
  const m = ref ? /^([A-Z]+)/.exec(ref) : null;
  if (!m) return fallback;
  let n = 0;
  for (const ch of m[1]!) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function numberText(v: string, style: 'date' | 'time' | undefined): string {
  if (!style) return v;
  const n = Number(v);
  if (style === 'date' || Number.isInteger(n)) return excelSerialDate(n) ?? v;
  return excelSerialInstant(n)?.toISOString().slice(0, 19) ?? v;
}

/** Rows of the first worksheet. The archive stays open until the iteration ends. */
export async function* xlsxRows(path: string, limits?: ZipLimits): AsyncGenerator<SourceRow> {
  const zip = await openZip(path, limits);
  try {
    const sheet = await firstSheetPath(zip);
    const styles = await dateStyles(zip);
    const strings = await sharedStrings(zip);
    const ready: SourceRow[] = [];
    let row: Cell[] = [];
    let rowNo = 0;
    let cell: { col: number; type?: string; style?: number; value: string; formula?: string; inValue: boolean; inFormula: boolean; inInline: boolean } | null = null;
    const handlers: Handlers = {
      open(t) {
        const n = local(t.name);
        if (n === 'row') {
          rowNo = t.attributes.r ? Number(t.attributes.r) : rowNo + 1;
          row = [];
        } else if (n === 'c') {
          cell = { col: columnIndex(t.attributes.r, row.length), type: t.attributes.t, style: t.attributes.s ? Number(t.attributes.s) : undefined, value: '', inValue: false, inFormula: false, inInline: false };
        } else if (cell && n === 'v') cell.inValue = true;
        else if (cell && n === 'f') {
          cell.inFormula = true;
          cell.formula ??= '';
        } else if (cell && n === 't' && cell.type === 'inlineStr') cell.inInline = true;
      },
      text(t) {
        if (!cell) return;
        if (cell.inValue || cell.inInline) cell.value += t;
        else if (cell.inFormula) cell.formula += t;
      },
      close(name) {
        const n = local(name);
        if (!cell) {
          if (n === 'row') ready.push({ row: rowNo, cells: row });
          return;
        }
        if (n === 'v') cell.inValue = false;
        else if (n === 'f') cell.inFormula = false;
        else if (n === 't') cell.inInline = false;
        else if (n === 'c') {
          const c = cell;
          cell = null;
          if (c.col > 16_384) return; // past Excel's last column: ignore rather than allocate
          while (row.length < c.col) row.push(null);
          let value: Cell;
          if (c.formula !== undefined) value = { formula: c.formula };
          else if (c.type === 's') value = strings[Number(c.value)] ?? null;
          else if (c.type === 'b') value = c.value === '1' ? 'TRUE' : 'FALSE';
          else if (c.type === 'e') value = c.value || '#ERROR';
          else if (c.type === 'str' || c.type === 'inlineStr' || c.type === 'd') value = c.value;
          else value = c.value === '' ? null : numberText(c.value, c.style === undefined ? undefined : styles.get(c.style));
          row[c.col] = typeof value === 'string' && value.trim() === '' ? null : value;
        }
      },
    };
    yield* parseXml(zip.stream(sheet), handlers, () => ready.splice(0));
  } finally {
    zip.close();
  }
}
