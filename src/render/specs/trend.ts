/**
 * Daily trend: the series as a line, the comparison period as a dashed ghost line under it, an
 * optional pace band and a dashed target line. Everything is labelled directly (last value,
 * 上期/Prev, 目标/Target), never with a legend. Very long series are averaged into buckets so a
 * phone-width line stays legible and the spec stays small.
 */
import { dayExpr, formatDay, formatValue, valueExpr } from '../format.ts';
import { COLORS, TEXT } from '../theme.ts';
import type { DayValue, TrendChart } from '../types.ts';
import { DAY_MS, DEFAULT_SIZE, NO_DATA, dayMs, failure, frame, label, num, withHalo, type Json, type SpecResult } from './common.ts';

/** More points than this are bucket-averaged (a phone line has ~500 px to draw on). */
const MAX_POINTS = 400;

const WORDS = {
  zh: { previous: '上期', target: '目标', pace: '进度' },
  en: { previous: 'Prev', target: 'Target', pace: 'Pace' },
} as const;

interface Point {
  t: number;
  v: number | null;
}

function clean(series: DayValue[] | undefined): Point[] {
  const out: Point[] = [];
  for (const p of series ?? []) {
    const t = dayMs(p?.date);
    if (t !== null) out.push({ t, v: num(p.value) });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Mean of each bucket of `size` points, dated by its last day (nulls skipped; an all-null bucket stays null). */
function bucket(points: Point[], size: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += size) {
    const chunk = points.slice(i, i + size);
    const vals = chunk.map((p) => p.v).filter((v): v is number => v !== null);
    out.push({ t: chunk[chunk.length - 1]!.t, v: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null });
  }
  return out;
}

export function trendSpec(input: TrendChart): SpecResult {
  const { lang } = input;
  const fmt = { unit: input.unit, currency: input.currency };
  let series = clean(input.series);
  if (!series.some((p) => p.v !== null)) return failure('no_data', NO_DATA[lang]);
  const step = Math.ceil(series.length / MAX_POINTS);
  if (step > 1) series = bucket(series, step);

  let previous = clean(input.previous);
  if (step > 1) previous = bucket(previous, step);
  // Position-aligned: the i-th comparison day is drawn under the i-th current day.
  const ghost = previous.slice(0, series.length).map((p, i) => ({ t: series[i]!.t, v: p.v }));
  const pace = (input.pace ?? [])
    .map((b) => ({ t: dayMs(b?.date), lo: num(b?.lo), hi: num(b?.hi) }))
    .filter((b) => b.t !== null && b.lo !== null && b.hi !== null);
  const target = num(input.target);
  const words = { ...WORDS[lang], ...input.labels };

  const first = series[0]!.t;
  const last = series[series.length - 1]!.t;
  const single = first === last;
  const lastPoint = [...series].reverse().find((p) => p.v !== null)!;
  const nonNull = series.filter((p) => p.v !== null).length;

  // Ticks counted back from the latest day, so the newest date is always labelled.
  const spanDays = Math.round((last - first) / DAY_MS);
  const every = Math.max(1, Math.ceil(spanDays / 4));
  const ticks: number[] = [];
  for (let t = last; t >= first; t -= every * DAY_MS) ticks.unshift(t);
  const x: Json = {
    field: 't',
    type: 'temporal',
    scale: { type: 'utc', ...(single ? { domain: [first - DAY_MS, last + DAY_MS] } : {}) },
    axis: { labelExpr: dayExpr(lang, 'datum.value', spanDays > 200), values: ticks, grid: false },
  };
  const y: Json = { field: 'v', type: 'quantitative', scale: { zero: true, nice: true }, axis: { labelExpr: valueExpr(fmt, lang), grid: true } };
  const layers: Json[] = [];

  if (pace.length > 1) {
    layers.push({
      data: { values: pace },
      mark: { type: 'area', color: COLORS.band, opacity: 0.22 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
    });
  }
  if (ghost.some((p) => p.v !== null)) {
    layers.push({
      data: { values: ghost },
      mark: { type: 'line', color: COLORS.ghost, strokeWidth: 2, strokeDash: [6, 4] },
      encoding: { x, y },
    });
  }
  layers.push({ data: { values: series }, mark: { type: 'line', color: COLORS.primary }, encoding: { x, y } });
  // A lone point (single day, or values with gaps around it) would be invisible as a line.
  layers.push({
    data: { values: nonNull <= 2 || single ? series.filter((p) => p.v !== null) : [lastPoint] },
    mark: { type: 'point', filled: true, opacity: 1, color: COLORS.primary, size: 70 },
    encoding: { x, y },
  });
  if (target !== null) {
    layers.push({
      data: { values: [{ v: target }] },
      mark: { type: 'rule', color: COLORS.target, strokeWidth: 2, strokeDash: [8, 5] },
      encoding: { y },
    });
    layers.push(...withHalo({
      data: { values: [{ t: first, v: target, text: `${words.target} ${formatValue(target, fmt, lang)}` }] },
      mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -6, fontSize: TEXT.label, color: COLORS.target },
      encoding: { x, y, text: { field: 'text' } },
    }));
  }
  // Direct labels on opposite sides: the latest value away from the ghost line's end.
  const lastGhost = [...ghost].reverse().find((p) => p.v !== null);
  const mainAbove = !lastGhost || lastGhost.v! <= lastPoint.v!;
  if (lastGhost) {
    layers.push(...withHalo({
      data: { values: [{ ...lastGhost, text: label(words.previous, 120) }] },
      mark: {
        type: 'text',
        align: 'right',
        baseline: mainAbove ? 'top' : 'bottom',
        dy: mainAbove ? 8 : -8,
        fontSize: TEXT.label,
        color: COLORS.muted,
      },
      encoding: { x, y, text: { field: 'text' } },
    }));
  }
  const lastText = formatValue(lastPoint.v, fmt, lang);
  layers.push(...withHalo({
    data: { values: [{ ...lastPoint, text: lastText }] },
    mark: {
      type: 'text',
      align: single ? 'center' : 'right',
      baseline: mainAbove ? 'bottom' : 'top',
      dy: mainAbove ? -10 : 10,
      fontSize: TEXT.value,
      fontWeight: 'bold',
      color: COLORS.primary,
    },
    encoding: { x, y, text: { field: 'text' } },
  }));

  const { width, height } = DEFAULT_SIZE;
  const lastDay = new Date(lastPoint.t).toISOString().slice(0, 10);
  return {
    ok: true,
    spec: frame(input, width, height, { layer: layers }),
    width,
    height,
    alt: `${label(input.title, 400)}: ${lastText} (${formatDay(lastDay, lang, { weekday: true })})`,
  };
}
