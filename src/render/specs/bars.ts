/**
 * Values by one dimension: largest first, top 7 and the rest folded into 其他 (N) / Other (N), so
 * a phone never shows more than 8 bars. Bars turn horizontal when the labels would not fit under
 * vertical bars. Each bar carries its value as a direct label; the scale leaves room for it.
 */
import { formatValue, valueExpr } from '../format.ts';
import { cleanText, textWidth } from '../text-width.ts';
import { COLORS, TEXT } from '../theme.ts';
import type { BarsChart } from '../types.ts';
import { DEFAULT_SIZE, NO_DATA, OTHER, extentLayer, failure, frame, label, num, topN, type Json, type SpecResult } from './common.ts';

interface Bar {
  name: string;
  value: number;
  other: boolean;
}

/** Rough plot width: the frame minus padding and the y axis. */
const PLOT_W = DEFAULT_SIZE.width - 60;
const LABEL_COL = 170;

export function barsSpec(input: BarsChart): SpecResult {
  const { lang } = input;
  const fmt = { unit: input.unit, currency: input.currency };
  const clean = (input.bars ?? [])
    .map((b) => ({ name: cleanText(b?.label), value: num(b?.value) }))
    .filter((b): b is { name: string; value: number } => b.value !== null)
    .sort((a, b) => b.value - a.value);
  if (clean.length === 0) return failure('no_data', NO_DATA[lang]);

  const top = Math.min(7, Math.max(1, Math.floor(input.top ?? 7)));
  const bars = topN<Bar>(
    clean.map((b) => ({ ...b, other: false })),
    top,
    (rest) => ({ name: `${OTHER[lang]} (${rest.length})`, value: rest.reduce((s, b) => s + b.value, 0), other: true }),
  );

  const slot = PLOT_W / bars.length;
  const widest = Math.max(...bars.map((b) => textWidth(b.name, TEXT.label)));
  const horizontal = input.orientation === 'horizontal' || (input.orientation !== 'vertical' && (widest > slot - 8 || bars.length > 6));

  const values = bars.map((b, i) => ({
    name: horizontal ? label(b.name, LABEL_COL - 10) : label(b.name, slot - 6),
    order: i,
    value: b.value,
    text: formatValue(b.value, fmt, lang),
    color: b.other ? COLORS.other : COLORS.primary,
  }));

  // Leave room past the longest bar for its value label (in data units).
  const max = Math.max(0, ...bars.map((b) => b.value));
  const min = Math.min(0, ...bars.map((b) => b.value));
  const labelW = Math.max(...values.map((v) => textWidth(v.text, TEXT.value, true))) + 10;
  const span = horizontal ? DEFAULT_SIZE.width - LABEL_COL - 40 : DEFAULT_SIZE.height - 110;
  const room = horizontal ? labelW : 26;
  const grow = (max - min || 1) * (room / Math.max(60, span - 2 * room));
  const domain = [min < 0 ? min - grow : 0, max > 0 ? max + grow : 0];

  // Bands are keyed by position, not name: clipped long names may coincide.
  const names = `${JSON.stringify(values.map((v) => v.name))}[datum.value]`;
  const cat: Json = {
    field: 'order',
    type: 'ordinal',
    axis: horizontal
      ? { labelExpr: names, labelLimit: LABEL_COL, ticks: false, domain: false, labelPadding: 8 }
      : { labelExpr: names, labelAngle: 0, labelLimit: slot, ticks: false, labelPadding: 8 },
    scale: { paddingInner: 0.25 },
  };
  const val: Json = {
    field: 'value',
    type: 'quantitative',
    scale: { nice: false, zero: true },
    axis: { labelExpr: valueExpr(fmt, lang), grid: true, tickCount: 4, labelFlush: true },
  };
  const enc = horizontal ? { y: cat, x: val } : { x: cat, y: val };
  const textLayer = (positive: boolean): Json => ({
    transform: [{ filter: positive ? 'datum.value >= 0' : 'datum.value < 0' }],
    mark: {
      type: 'text',
      fontSize: TEXT.value,
      fontWeight: 'bold',
      color: COLORS.ink,
      ...(horizontal
        ? { align: positive ? 'left' : 'right', baseline: 'middle', dx: positive ? 6 : -6 }
        : { align: 'center', baseline: positive ? 'bottom' : 'top', dy: positive ? -6 : 6 }),
    },
    encoding: { ...enc, text: { field: 'text' } },
  });

  const { width, height } = DEFAULT_SIZE;
  const body: Json = {
    data: { values },
    layer: [
      { mark: { type: 'bar' }, encoding: { ...enc, color: { field: 'color', type: 'nominal', scale: null } } },
      textLayer(true),
      textLayer(false),
      extentLayer(horizontal ? 'x' : 'y', val, domain[0]!, domain[1]!),
    ],
  };
  const lead = values[0]!;
  return {
    ok: true,
    spec: frame(input, width, height, body),
    width,
    height,
    alt: `${label(input.title, 400)}: ${lead.name} ${lead.text}${values.length > 1 ? ` …(${values.length})` : ''}`,
  };
}
