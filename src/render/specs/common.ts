/**
 * Shared pieces of the pure spec builders: the result type, input hygiene (finite numbers, real
 * days, clean labels) and the top-level vega-lite frame every chart uses (fit to an exact CSS size
 * so the PNG is always width×height at 2×, with the title clipped to one line).
 */
import { parseDay } from '../format.ts';
import { clipText, cleanText } from '../text-width.ts';
import { SIZE, TEXT, vegaConfig } from '../theme.ts';
import type { ChartBase } from '../types.ts';

/** A vega-lite spec as plain JSON (built here, compiled in chart.ts). */
export type Json = Record<string, unknown>;

/** Why a chart could not be drawn; the caller shows `chartFallbackTable(input)` instead. */
export type ChartFailureReason = 'no_data' | 'invalid_input' | 'render_failed' | 'timeout' | 'overloaded';

export interface ChartFailure {
  ok: false;
  reason: ChartFailureReason;
  message: string;
}

export interface BuiltSpec {
  ok: true;
  spec: Json;
  /** Size in CSS px; the PNG is `SIZE.scale`× this. */
  width: number;
  height: number;
  /** One-line description for the card's alt text. */
  alt: string;
}

export type SpecResult = BuiltSpec | ChartFailure;

export const failure = (reason: ChartFailureReason, message: string): ChartFailure => ({ ok: false, reason, message });

/** Finite number or null: NaN, ±Infinity, strings and undefined are "no data". */
export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** `YYYY-MM-DD` → epoch ms at UTC midnight (what vega's utc scale expects), or null. */
export function dayMs(iso: unknown): number | null {
  if (typeof iso !== 'string') return null;
  const d = parseDay(iso);
  return d ? d.getTime() : null;
}

export const DAY_MS = 86_400_000;

/** Clean label clipped to `maxWidth` px at `fontSize`. */
export function label(text: unknown, maxWidth: number, fontSize: number = TEXT.label, bold = false): string {
  return clipText(cleanText(text), maxWidth, fontSize, bold);
}

/** Title and optional subtitle, cleaned and clipped to the chart width. */
export function titleOf(input: ChartBase, width: number): Json {
  const text = label(input.title, width - 28, TEXT.title, true);
  const sub = input.subtitle ? label(input.subtitle, width - 28, TEXT.label) : undefined;
  return sub ? { text, subtitle: sub } : { text };
}

/** The top-level frame: exact size, theme config, title, then the caller's layers or mark. */
export function frame(input: ChartBase, width: number, height: number, body: Json, opts: { title?: boolean } = {}): Json {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    config: vegaConfig(),
    ...(opts.title === false ? {} : { title: titleOf(input, width) }),
    ...body,
  };
}

export const DEFAULT_SIZE = { width: SIZE.width, height: SIZE.height };

/** At most `n` items; `fold` turns the rest into one (e.g. 其他 (993)). */
export function topN<T>(items: T[], n: number, fold: (rest: T[]) => T): T[] {
  if (items.length <= n + 1) return items;
  return [...items.slice(0, n), fold(items.slice(n))];
}

/**
 * A text layer twice: first with a thick white outline, then plain on top, so a direct label stays
 * readable where it crosses a line.
 */
export function withHalo(layer: Json): Json[] {
  const mark = layer.mark as Json;
  return [{ ...layer, mark: { ...mark, stroke: '#ffffff', strokeWidth: 5, strokeJoin: 'round', strokeOpacity: 0.9 } }, layer];
}

/**
 * An invisible layer whose two data points stretch a scale to [lo, hi] (room for direct labels).
 * Unlike `scale.domain`, this keeps numbers out of the spec's shape, so the compiled vega-lite is
 * reused when only the data changes (chart.ts).
 */
export function extentLayer(channel: 'x' | 'y', def: Json, lo: number, hi: number): Json {
  const field = def.field as string;
  return { data: { values: [{ [field]: lo }, { [field]: hi }] }, mark: { type: 'rule', opacity: 0 }, encoding: { [channel]: def } };
}

export const OTHER: Record<'zh' | 'en', string> = { zh: '其他', en: 'Other' };
export const NO_DATA: Record<'zh' | 'en', string> = { zh: '暂无数据', en: 'No data' };
