/**
 * Charts as PNG without a browser: vega-lite → vega SVG → sharp, phone-first sizes, CJK fonts from
 * npm through the fontconfig file that src/config.ts prepares (`applyRuntimeEnv` must run before
 * the first render). Imports neither Fastify, a platform SDK nor src/bot: inputs are the neutral
 * types in types.ts, outputs are PNG bytes, PDFs and text fallbacks.
 *
 * Typical use (a card or the charts route):
 *   const charts = createChartRenderer({ cacheDir: join(config.dataDir, 'charts') });
 *   const r = await charts.render({ kind: 'trend', lang: 'zh', title, unit: 'money', currency, series });
 *   r.ok ? image({ png: r.png }, r.alt, r.width, r.height) : text(chartFallbackTable(input));
 */
export { createChartRenderer, layoutSpec, specHash, specToSvg, svgToPng, RENDER_VERSION } from './chart.ts';
export type { ChartImage, ChartRenderer, ChartRendererOptions, ChartResult } from './chart.ts';
export { chartFallbackTable } from './fallback.ts';
export { currencySymbol, formatChange, formatDay, formatNumber, formatValue } from './format.ts';
export { renderLongImage } from './long-image.ts';
export type { LayoutBlock, LayoutCard, LongImage, LongImageOptions } from './long-image.ts';
export { renderLongExport, renderLongPdf } from './long-pdf.ts';
export { buildChartSpec } from './specs/index.ts';
export type { BuiltSpec, ChartFailure, ChartFailureReason } from './specs/index.ts';
export { FONT_FAMILY, SIZE, TEXT } from './theme.ts';
export type * from './types.ts';
