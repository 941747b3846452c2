/**
 * Charts as PNG without a browser: vega-lite → vega SVG → sharp, phone-first sizes, CJK fonts from
 * npm through the fontconfig file that src/config.ts prepares. Imports neither Fastify nor a
 * platform SDK. Filled by the charts issue.
 */
export {};
