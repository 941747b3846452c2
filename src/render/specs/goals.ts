/**
 * Goal bullets: one row per goal, progress as a share of its own target (so GMV, orders and ACoS
 * goals share one axis), a target tick at 100 %, a thin tick where pacing says the actual should
 * be by now, and the RAG status three ways: colour (Okabe–Ito), a marker shape (● ▲ ✕ ◆) and a
 * word (达标 / 预警 / 落后), so nobody has to tell red from green.
 */
import { formatValue } from '../format.ts';
import { textWidth } from '../text-width.ts';
import { COLORS, RAG_STYLE, TEXT } from '../theme.ts';
import type { GoalsChart, Rag } from '../types.ts';
import { DEFAULT_SIZE, NO_DATA, failure, frame, label, num, type Json, type SpecResult } from './common.ts';

const MAX_ROWS = 8;
const ROW = 46;
const RAGS: Rag[] = ['green', 'amber', 'red', 'grey'];
const MORE = { zh: (n: number) => `另有 ${n} 个目标未显示`, en: (n: number) => `${n} more goals not shown` };

export function goalsSpec(input: GoalsChart): SpecResult {
  const { lang } = input;
  const all = (input.goals ?? []).filter((g) => g && num(g.target) !== null);
  if (all.length === 0) return failure('no_data', NO_DATA[lang]);
  const goals = all.slice(0, MAX_ROWS);

  const rows = goals.map((g, i) => {
    const rag: Rag = RAGS.includes(g.rag) ? g.rag : 'grey';
    const fmt = { unit: g.unit, currency: g.currency };
    const actual = num(g.actual);
    const target = num(g.target)!;
    const progress = num(g.progress) ?? (actual !== null && target !== 0 ? actual / target : null);
    const expected = num(g.expected);
    const pct = progress === null ? '—' : formatValue(progress, { unit: 'percent' }, lang);
    const right = `${formatValue(actual, fmt, lang)} / ${formatValue(target, fmt, lang)} · ${pct} ${RAG_STYLE[rag].word[lang]}`;
    return {
      row: i,
      rag,
      progress: progress ?? 0,
      expected: expected !== null && target !== 0 ? expected / target : null,
      right,
      leftMax: DEFAULT_SIZE.width - 40 - textWidth(right, TEXT.label) - 16,
      name: g.label,
      angle: rag === 'red' ? 45 : 0,
    };
  });

  // A few fixed scales (120 %, 150 %, 200 %) rather than one per data set: the spec's shape, and so
  // its compiled form, stays the same from day to day.
  const need = Math.max(...rows.map((r) => Math.max(r.progress, r.expected ?? 0) * 1.05));
  const xmax = [1.2, 1.5].find((m) => m >= need) ?? 2;
  const values = rows.map((r) => ({
    ...r,
    left: label(r.name, Math.max(80, r.leftMax), TEXT.label, true),
    bar: Math.max(0, Math.min(r.progress, xmax)),
    expected: r.expected === null ? null : Math.min(Math.max(r.expected, 0), xmax),
  }));

  const scale = { domain: [-0.09 * xmax, xmax], nice: false, zero: false };
  const x = (field: string): Json => ({ field, type: 'quantitative', scale, axis: null });
  const at = (datum: number): Json => ({ datum, type: 'quantitative', scale, axis: null });
  const y: Json = { field: 'row', type: 'ordinal', axis: null, scale: { paddingInner: 0, paddingOuter: 0 } };
  const ragScale = (range: unknown[]) => ({ domain: RAGS, range });
  const sub = all.length > MAX_ROWS ? MORE[lang](all.length - MAX_ROWS) : undefined;

  const layers: Json[] = [
    { mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -2, fontWeight: 'bold', color: COLORS.ink }, encoding: { x: at(-0.09 * xmax), y, text: { field: 'left' } } },
    { mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: COLORS.muted }, encoding: { x: at(xmax), y, text: { field: 'right' } } },
    { mark: { type: 'bar', height: 12, yOffset: 12, color: COLORS.grid, cornerRadius: 2 }, encoding: { x: at(0), x2: { datum: 1 }, y } },
    {
      mark: { type: 'bar', height: 12, yOffset: 12, cornerRadius: 2 },
      encoding: { x: x('bar'), x2: { datum: 0 }, y, color: { field: 'rag', type: 'nominal', scale: ragScale(RAGS.map((r) => RAG_STYLE[r].color)) } },
    },
    { mark: { type: 'tick', thickness: 3, size: 22, yOffset: 12, color: COLORS.target }, encoding: { x: at(1), y } },
    {
      transform: [{ filter: 'datum.expected != null' }],
      mark: { type: 'tick', thickness: 2, size: 16, yOffset: 12, color: COLORS.ink, opacity: 0.6 },
      encoding: { x: x('expected'), y },
    },
    {
      mark: { type: 'point', filled: true, opacity: 1, size: 150, yOffset: 12, stroke: '#ffffff', strokeWidth: 1 },
      encoding: {
        x: at(-0.045 * xmax),
        y,
        shape: { field: 'rag', type: 'nominal', scale: ragScale(RAGS.map((r) => RAG_STYLE[r].shape)) },
        color: { field: 'rag', type: 'nominal', scale: ragScale(RAGS.map((r) => RAG_STYLE[r].color)) },
        angle: { field: 'angle', type: 'quantitative', scale: null },
      },
    },
  ];

  const width = DEFAULT_SIZE.width;
  const height = Math.max(170, 62 + (sub ? 20 : 0) + values.length * ROW);
  const worst = rows.find((r) => r.rag === 'red') ?? rows.find((r) => r.rag === 'amber') ?? rows[0]!;
  return {
    ok: true,
    spec: frame({ ...input, subtitle: input.subtitle ?? sub }, width, height, { data: { values }, layer: layers }),
    width,
    height,
    alt: `${label(input.title, 400)}: ${label(worst.name, 200)} ${worst.right}`,
  };
}
