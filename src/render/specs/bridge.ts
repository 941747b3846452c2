/**
 * Change bridge: the previous value, each driver's effect floating up (gain) or down (loss), then
 * the current value. Bars are anchored at the axis only for the two totals; drivers hang from the
 * running total. Labels carry the sign (+¥1.2万 / −¥3,400), so colour is never the only cue.
 * More than six drivers fold the smallest into 其他/Other (≤ 8 bars, phone-first like the rest).
 */
import { formatValue } from '../format.ts';
import { COLORS } from '../theme.ts';
import type { BridgeChart } from '../types.ts';
import { DEFAULT_SIZE, NO_DATA, OTHER, extentLayer, failure, frame, label, num, type Json, type SpecResult } from './common.ts';
import { stepChannels } from './steps.ts';

const MAX_STEPS = 6;

export function bridgeSpec(input: BridgeChart): SpecResult {
  const { lang } = input;
  const start = num(input.start?.value);
  const end = num(input.end?.value);
  if (start === null || end === null) return failure('no_data', NO_DATA[lang]);
  const fmt = { unit: input.unit, currency: input.currency };
  let steps = (input.steps ?? [])
    .map((s) => ({ name: String(s?.label ?? '?'), value: num(s?.value) }))
    .filter((s): s is { name: string; value: number } => s.value !== null);
  if (steps.length > MAX_STEPS) {
    // Keep the biggest movers in their given order; the rest become one step.
    const keep = new Set([...steps].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, MAX_STEPS - 1));
    const rest = steps.filter((s) => !keep.has(s));
    steps = [...steps.filter((s) => keep.has(s)), { name: OTHER[lang], value: rest.reduce((t, s) => t + s.value, 0) }];
  }
  const bars: { name: string; lo: number; hi: number; amount: number; kind: 'total' | 'gain' | 'loss' }[] = [
    { name: input.start.label, lo: Math.min(0, start), hi: Math.max(0, start), amount: start, kind: 'total' },
  ];
  let running = start;
  for (const s of steps) {
    bars.push({ name: s.name, lo: Math.min(running, running + s.value), hi: Math.max(running, running + s.value), amount: s.value, kind: s.value >= 0 ? 'gain' : 'loss' });
    running += s.value;
  }
  bars.push({ name: input.end.label, lo: Math.min(0, end), hi: Math.max(0, end), amount: end, kind: 'total' });

  const slot = (DEFAULT_SIZE.width - 80) / bars.length;
  const color = { total: COLORS.primary, gain: COLORS.gain, loss: COLORS.loss };
  const values = bars.map((b, i) => ({
    order: i,
    name: label(b.name, slot - 4),
    lo: b.lo,
    hi: b.hi,
    down: b.kind === 'loss' || (b.kind === 'total' && b.amount < 0),
    text: (b.kind === 'gain' ? '+' : '') + formatValue(b.amount, fmt, lang),
    color: color[b.kind],
  }));

  // Totals far from zero would squash the drivers: start the axis near the smallest bar edge.
  const edges = values.flatMap((v) => (v.order === 0 || v.order === values.length - 1 ? [start, end] : [v.lo, v.hi]));
  const minEdge = Math.min(...edges);
  const maxEdge = Math.max(...edges);
  const span = maxEdge - minEdge || Math.abs(end) || 1;
  const base = minEdge > 0 ? Math.max(0, minEdge - span * 1.5) : minEdge;
  // Room for the value labels above the highest bar and under the lowest (as in waterfall.ts).
  const pad = (maxEdge - base || 1) * 0.12;
  const lo = minEdge > 0 ? base : base - pad;
  const hi = maxEdge + pad;
  const clipped = values.map((v) => ({ ...v, lo: Math.max(v.lo, lo) }));
  const { x, y, text } = stepChannels({ names: clipped.map((v) => v.name), slot, fmt, lang, zero: false });
  const { width, height } = DEFAULT_SIZE;
  const body: Json = {
    data: { values: clipped },
    layer: [
      { mark: { type: 'bar', cornerRadius: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color: { field: 'color', type: 'nominal', scale: null } } },
      text(false),
      text(true),
      extentLayer('y', y('lo'), lo, hi),
    ],
  };
  const last = values[values.length - 1]!;
  return { ok: true, spec: frame(input, width, height, body), width, height, alt: `${label(input.title, 400)}: ${values[0]!.name} ${values[0]!.text} → ${last.name} ${last.text}` };
}
