/**
 * A digest's scorecard as one image: a header and one row per metric with a RAG marker (shape +
 * colour), the name, the value and the change. The change carries an arrow (▲/▼) as well as a
 * colour, and the colour follows whether up is good for that metric (ACoS up is bad).
 */
import { formatChange, formatValue } from '../format.ts';
import { COLORS, RAG_STYLE, TEXT } from '../theme.ts';
import type { Rag, ScorecardChart } from '../types.ts';
import { NO_DATA, failure, frame, label, num, type Json, type SpecResult } from './common.ts';

const MAX_ROWS = 14;
const ROW_H = 36;
const WIDTH = 600;
/** Column anchors in plot px (the plot is WIDTH minus the theme's 28 px padding). */
const COL = { marker: 10, label: 28, value: 420, change: 568 } as const;
const HEAD = {
  zh: { metric: '指标', value: '数值', change: '变化', more: (n: number) => `…另有 ${n} 项` },
  en: { metric: 'Metric', value: 'Value', change: 'Change', more: (n: number) => `…${n} more` },
};
const RAGS: Rag[] = ['green', 'amber', 'red', 'grey'];

export function scorecardSpec(input: ScorecardChart): SpecResult {
  const { lang } = input;
  const head = HEAD[lang];
  const all = (input.rows ?? []).filter((r) => r && typeof r === 'object');
  if (all.length === 0) return failure('no_data', NO_DATA[lang]);
  const shown = all.length > MAX_ROWS ? all.slice(0, MAX_ROWS - 1) : all;

  const rows: Json[] = shown.map((r, i) => {
    const change = num(r.change);
    const good = change === null || change === 0 ? null : (change > 0) === ((r.better ?? 'higher') === 'higher');
    const arrow = change === null || change === 0 ? '' : change > 0 ? '▲ ' : '▼ ';
    const rag = r.rag && RAGS.includes(r.rag) ? r.rag : null;
    return {
      row: i + 1,
      name: label(r.label, COL.value - COL.label - 130),
      value: formatValue(num(r.value), { unit: r.unit, currency: r.currency }, lang),
      change: arrow + formatChange(change, r.changeUnit ?? 'relative'),
      changeColor: good === null ? COLORS.muted : good ? COLORS.gain : COLORS.loss,
      rag: rag ?? 'none',
      angle: rag === 'red' ? 45 : 0,
      stripe: i % 2 === 0,
    };
  });
  if (all.length > shown.length) {
    rows.push({ row: rows.length + 1, name: head.more(all.length - shown.length), value: '', change: '', changeColor: COLORS.muted, rag: 'none', angle: 0, stripe: rows.length % 2 === 0 });
  }
  const header = { row: 0, name: head.metric, value: head.value, change: label(input.changeHeader ?? head.change, 140) };

  const y: Json = { field: 'row', type: 'ordinal', axis: null, scale: { paddingInner: 0, paddingOuter: 0 } };
  const at = (px: number): Json => ({ value: px });
  const text = (field: string, px: number, align: string, extra: Json = {}): Json => ({
    mark: { type: 'text', align, baseline: 'middle', fontSize: TEXT.label, color: COLORS.ink, ...extra },
    encoding: { x: at(px), y, text: { field } },
  });
  const headerLayer = (field: string, px: number, align: string): Json => ({
    data: { values: [header] },
    ...text(field, px, align, { color: COLORS.muted }),
  });

  const layers: Json[] = [
    { transform: [{ filter: 'datum.stripe' }], mark: { type: 'rect', color: '#f3f5f7' }, encoding: { x: at(0), x2: { value: 'width' }, y } },
    {
      transform: [{ filter: "datum.rag != 'none'" }],
      mark: { type: 'point', filled: true, opacity: 1, size: 110 },
      encoding: {
        x: at(COL.marker),
        y,
        shape: { field: 'rag', type: 'nominal', scale: { domain: RAGS, range: RAGS.map((r) => RAG_STYLE[r].shape) } },
        color: { field: 'rag', type: 'nominal', scale: { domain: RAGS, range: RAGS.map((r) => RAG_STYLE[r].color) } },
        angle: { field: 'angle', type: 'quantitative', scale: null },
      },
    },
    text('name', COL.label, 'left'),
    text('value', COL.value, 'right', { fontWeight: 'bold', fontSize: TEXT.value }),
    { ...text('change', COL.change, 'right'), encoding: { x: at(COL.change), y, text: { field: 'change' }, color: { field: 'changeColor', type: 'nominal', scale: null } } },
    headerLayer('name', COL.label, 'left'),
    headerLayer('value', COL.value, 'right'),
    headerLayer('change', COL.change, 'right'),
  ];

  const height = 58 + (input.subtitle ? 20 : 0) + (rows.length + 1) * ROW_H;
  const spec = frame(input, WIDTH, height, { data: { values: rows }, layer: layers });
  const first = rows[0]!;
  return { ok: true, spec, width: WIDTH, height, alt: `${label(input.title, 400)}: ${String(first.name)} ${String(first.value)}` };
}
