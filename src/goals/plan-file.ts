/**
 * Reading an annual-plan file (CSV or XLSX) into plan rows: team × store × month targets, one
 * row each (`team, store, month, target`), or wide with one column per month (`2026-01`,
 * `2026年1月`). Chinese and English headers; amounts as people write them (120万, 1,200,000,
 * 25%). Bytes go through the import pipeline's spool and format detection (src/ingest/source),
 * so a plan is read exactly like any other upload. Nothing is checked against the workspace here.
 */
import { normalizeNumberText, parseAmount } from '../bot/parse/index.ts';
import { isFormula, type Cell } from '../ingest/values/cells.ts';
import { openTabularFile } from '../ingest/source/open.ts';
import { spoolToFile } from '../ingest/source/spool.ts';
import { isValidDate } from '../kpi/dates.ts';

/** One target of the plan, with where it came from for error messages. */
export interface PlanRow {
  row: number;
  team: string | null;
  store: string | null;
  month: string;
  metric: string;
  target: number;
  percent: boolean;
  owner: string | null;
  currency: string | null;
}

export interface PlanIssue {
  row: number;
  field: string;
  message: string;
}

/** Plans are small: 1 MiB is thousands of rows (the default body limit, kept on purpose). */
export const MAX_PLAN_BYTES = 1024 * 1024;
const MAX_ISSUES = 50;

const HEADERS: Record<string, string[]> = {
  team: ['team', 'team_id', '团队', '部门'],
  store: ['store', 'store_id', 'shop', '店铺', '店铺id'],
  month: ['month', 'period', '月份', '月'],
  metric: ['metric', 'kpi', '指标'],
  target: ['target', 'value', '目标', '目标值'],
  owner: ['owner', '负责人'],
  currency: ['currency', '币种', '货币'],
};

function cellText(c: Cell | undefined): string | null {
  if (c === null || c === undefined || isFormula(c)) return null;
  const t = c.trim();
  return t === '' ? null : t;
}

/** `2026-01`, `2026/1`, `2026-01-01` (an Excel date cell), `2026年1月` → `2026-01`. */
export function monthOf(text: string): string | null {
  const t = normalizeNumberText(text);
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月|[-/.]\s*\d{1,2}\s*(?:日)?)?$/.exec(t);
  if (!m) return null;
  const month = `${m[1]}-${m[2]!.padStart(2, '0')}`;
  return isValidDate(`${month}-01`) ? month : null;
}

function headerKey(h: string): string | undefined {
  const t = h.normalize('NFKC').trim().toLowerCase();
  return Object.entries(HEADERS).find(([, words]) => words.includes(t))?.[0];
}

export interface ParsedPlan {
  rows: PlanRow[];
  issues: PlanIssue[];
}

/** Rows of a plan from its cells (header first). */
export function parsePlanCells(records: { row: number; cells: Cell[] }[]): ParsedPlan {
  const issues: PlanIssue[] = [];
  const rows: PlanRow[] = [];
  const header = records.find((r) => r.cells.some((c) => cellText(c) !== null));
  if (!header) return { rows, issues: [{ row: 1, field: 'file', message: 'the file has no header row' }] };
  const cols = new Map<string, number>();
  const monthCols: { col: number; month: string }[] = [];
  header.cells.forEach((c, i) => {
    const t = cellText(c);
    if (t === null) return;
    const key = headerKey(t);
    if (key && !cols.has(key)) cols.set(key, i);
    else if (monthOf(t)) monthCols.push({ col: i, month: monthOf(t)! });
  });
  const wide = monthCols.length > 0;
  if (!cols.has('team') && !cols.has('store')) issues.push({ row: header.row, field: 'team', message: 'the plan needs a team or a store column' });
  if (!wide && (!cols.has('month') || !cols.has('target'))) issues.push({ row: header.row, field: cols.has('month') ? 'target' : 'month', message: 'the plan needs month and target columns, or one column per month (2026-01 …)' });
  if (issues.length) return { rows, issues };
  const get = (cells: Cell[], key: string) => (cols.has(key) ? cellText(cells[cols.get(key)!]) : null);
  for (const r of records) {
    if (r === header || r.cells.every((c) => cellText(c) === null)) continue;
    const formula = r.cells.findIndex((c) => isFormula(c));
    if (formula >= 0) {
      issues.push({ row: r.row, field: String(header.cells[formula] ?? `column ${formula + 1}`), message: 'formulas are not read: paste values' });
      continue;
    }
    const base = { team: get(r.cells, 'team'), store: get(r.cells, 'store'), owner: get(r.cells, 'owner'), currency: get(r.cells, 'currency'), metric: (get(r.cells, 'metric') ?? 'gmv').toLowerCase() };
    const targets = wide ? monthCols.map((m) => ({ month: m.month, text: cellText(r.cells[m.col]), field: m.month })) : [{ month: monthOf(get(r.cells, 'month') ?? '') ?? '', text: get(r.cells, 'target'), field: 'target' }];
    if (!wide && !targets[0]!.month) {
      issues.push({ row: r.row, field: 'month', message: `month "${(get(r.cells, 'month') ?? '').slice(0, 20)}" is not a month such as 2026-01` });
      continue;
    }
    for (const t of targets) {
      if (t.text === null) {
        if (!wide) issues.push({ row: r.row, field: 'target', message: 'target is empty' });
        continue;
      }
      const amount = parseAmount(t.text);
      if (!amount) {
        issues.push({ row: r.row, field: t.field, message: `"${t.text.slice(0, 30)}" is not a number` });
        continue;
      }
      rows.push({ row: r.row, ...base, month: t.month, target: amount.value, percent: amount.percent, currency: base.currency ?? amount.currency ?? null });
    }
    if (issues.length >= MAX_ISSUES) break;
  }
  return { rows, issues };
}

/** Reads the bytes of a CSV or XLSX plan. */
export async function readPlanFile(bytes: Buffer): Promise<ParsedPlan> {
  const spooled = await spoolToFile((async function* () {
    yield bytes;
  })(), MAX_PLAN_BYTES);
  try {
    const source = await openTabularFile(spooled.path);
    const records: { row: number; cells: Cell[] }[] = [];
    for await (const r of source.rows) {
      records.push(r);
      if (records.length > 20_000) break;
    }
    return parsePlanCells(records);
  } finally {
    await spooled.cleanup();
  }
}
