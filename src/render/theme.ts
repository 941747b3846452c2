/**
 * One vega config for every chart. Phone first: cards are read on ~360 pt screens, so charts are
 * designed at about 600×340 CSS px and rendered at 2×, no text under 14 px, direct labels instead
 * of legends, at most 8 bars. Colours are Okabe–Ito (colour-blind safe); RAG status always has a
 * second cue (a marker shape and a word), never colour alone.
 */
import type { Rag } from './types.ts';

/**
 * The fontconfig family of the npm CJK font. `@embedpdf/fonts-sc` ships files named
 * NotoSansHans-*.otf, but their family name is "Noto Sans S Chinese" (checked with fc-query):
 * asking for "Noto Sans Hans" silently falls back to whatever font fontconfig scores best.
 */
export const FONT_FAMILY = 'Noto Sans S Chinese';

/** CSS px; PNGs are `SCALE`× that. */
export const SIZE = { width: 600, height: 340, scale: 2 } as const;
export const SPARK_SIZE = { width: 300, height: 72 } as const;

export const TEXT = {
  /** The floor: tests fail when any chart draws text smaller than this. */
  min: 14,
  label: 14,
  value: 15,
  title: 18,
} as const;

export const COLORS = {
  ink: '#1f2328',
  muted: '#57606a',
  grid: '#e6e8eb',
  domain: '#c9ced4',
  primary: '#0072B2',
  ghost: '#8c959f',
  target: '#3d444d',
  band: '#56B4E9',
  cost: '#E69F00',
  gain: '#009E73',
  loss: '#D55E00',
  other: '#a9b1ba',
} as const;

/** RAG: Okabe–Ito bluish green / orange / vermillion, plus a marker shape and a word. */
export const RAG_STYLE: Record<Rag, { color: string; shape: string; word: { zh: string; en: string } }> = {
  green: { color: '#009E73', shape: 'circle', word: { zh: '达标', en: 'On track' } },
  amber: { color: '#E69F00', shape: 'triangle-up', word: { zh: '预警', en: 'At risk' } },
  red: { color: '#D55E00', shape: 'cross', word: { zh: '落后', en: 'Behind' } },
  grey: { color: '#8c959f', shape: 'diamond', word: { zh: '数据不足', en: 'No data' } },
};

/** The vega-lite `config` shared by every spec. */
export function vegaConfig(): Record<string, unknown> {
  const font = FONT_FAMILY;
  return {
    font,
    background: '#ffffff',
    padding: { left: 12, right: 16, top: 12, bottom: 10 },
    view: { stroke: null },
    title: {
      font,
      fontSize: TEXT.title,
      fontWeight: 'bold',
      color: COLORS.ink,
      anchor: 'start',
      offset: 10,
      subtitleFont: font,
      subtitleFontSize: TEXT.label,
      subtitleColor: COLORS.muted,
      limit: SIZE.width - 28,
    },
    axis: {
      labelFont: font,
      titleFont: font,
      labelFontSize: TEXT.label,
      titleFontSize: TEXT.label,
      labelColor: COLORS.muted,
      titleColor: COLORS.muted,
      gridColor: COLORS.grid,
      domainColor: COLORS.domain,
      tickColor: COLORS.domain,
      labelOverlap: true,
      labelPadding: 6,
      title: null,
    },
    axisX: { grid: false, labelFlush: true, labelBound: true },
    axisY: { domain: false, ticks: false, tickCount: 5, labelLimit: 120 },
    legend: { disable: true },
    text: { font, fontSize: TEXT.label, color: COLORS.ink },
    line: { strokeWidth: 3, strokeCap: 'round', strokeJoin: 'round' },
    bar: { cornerRadiusEnd: 3 },
    range: { category: ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'] },
  };
}
