/**
 * The pipeline: neutral input → vega-lite spec (specs/) → vega View with `renderer: 'none'` →
 * SVG → sharp (librsvg + fontconfig) → PNG at 2×. No browser and no node-canvas. Text widths come
 * from text-width.ts, because vega's canvas-less guess (0.8 em) is wrong for both CJK and Latin.
 *
 * `createChartRenderer` adds what a service needs around it: a PNG cache by spec hash (memory LRU
 * + files), a bound on concurrent renders, a timeout, and failures as values. `render` never
 * throws: bad data or a broken render comes back as a `ChartFailure`, and the caller shows
 * `chartFallbackTable(input)` instead of an image.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { LruCache, PngCache } from './cache.ts';
import { createLimiter, QueueFullError } from './limit.ts';
import { buildChartSpec } from './specs/index.ts';
import { failure, type BuiltSpec, type ChartFailure, type Json } from './specs/common.ts';
import { vegaTextWidth } from './text-width.ts';
import { SIZE } from './theme.ts';
import type { ChartInput } from './types.ts';

/** Bump when the theme or pipeline changes what a spec looks like: old cache files stop matching. */
export const RENDER_VERSION = 1;

// vega-typings do not declare textMetrics; it is a plain mutable object in vega-scenegraph.
(vega as unknown as { textMetrics: { width: typeof vegaTextWidth } }).textMetrics.width = vegaTextWidth;
// libvips' operation cache only helps repeated file inputs; ours are fresh SVG buffers each time.
sharp.cache(false);

export interface ChartImage {
  ok: true;
  png: Buffer;
  /** CSS px; the PNG has `scale`× as many pixels. */
  width: number;
  height: number;
  scale: number;
  alt: string;
  /** Spec hash: equal inputs give equal hashes (and bytes). */
  hash: string;
  cached: 'memory' | 'disk' | false;
}

export type ChartResult = ChartImage | ChartFailure;

/**
 * Splits a spec into its shape (inline `data.values` replaced by named data sets) and the data.
 * Compiling vega-lite is the costliest part of vega's work (5–11 ms of 10–20 warm) and depends only
 * on the shape, so equal shapes with new numbers (the same chart tomorrow, for another store) reuse it.
 */
export function splitData(spec: Json): { shape: Json; data: Record<string, unknown[]> } {
  const data: Record<string, unknown[]> = {};
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      const values = k === 'data' && v && typeof v === 'object' ? (v as { values?: unknown }).values : undefined;
      if (Array.isArray(values)) {
        const name = `kpi_data_${Object.keys(data).length}`;
        data[name] = values;
        out[k] = { name };
      } else out[k] = walk(v);
    }
    return out;
  };
  return { shape: walk(spec) as Json, data };
}

const compiled = new LruCache<object>(256);

/** Lays a vega-lite spec out headless and returns the running View (the caller finalizes it). */
export async function layoutSpec(spec: Json): Promise<vega.View> {
  const { shape, data } = splitData(spec);
  const key = JSON.stringify(shape);
  let vg = compiled.get(key);
  if (!vg) {
    vg = compile(shape as unknown as TopLevelSpec).spec;
    compiled.set(key, vg);
  }
  // A fresh runtime per view: vega shares parameter objects between a runtime and its views.
  const view = new vega.View(vega.parse(vg as vega.Spec), { renderer: 'none' });
  for (const [name, values] of Object.entries(data)) view.data(name, values.map((d) => (d && typeof d === 'object' ? { ...d } : d)));
  await view.runAsync();
  return view;
}

/** Spec → SVG (CSS px, fonts by family name). */
export async function specToSvg(spec: Json): Promise<string> {
  const view = await layoutSpec(spec);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG at `scale`× (density 72 dpi = 1 px per SVG unit). Fast zlib level: charts are flat colour. */
export async function svgToPng(svg: string, scale: number = SIZE.scale): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 72 * scale })
    .png({ compressionLevel: 4, adaptiveFiltering: false })
    .toBuffer();
}

export function specHash(spec: Json, scale: number = SIZE.scale): string {
  return createHash('sha256').update(`${RENDER_VERSION}:${scale}:${JSON.stringify(spec)}`).digest('base64url').slice(0, 32);
}

export interface ChartRendererOptions {
  /** PNG files by spec hash, e.g. `DATA_DIR/charts`; omitted = memory cache only. */
  cacheDir?: string;
  /** In-memory LRU entries (default 64; 0 = off). */
  memoryEntries?: number;
  /** Renders at once (default 2: one per core on the build machines). */
  concurrency?: number;
  /** Renders allowed to wait before new ones fail fast as `overloaded` (default 50). */
  maxQueue?: number;
  /** How long a caller waits for a render, queueing included (default 15 s); then it gets `timeout`. */
  timeoutMs?: number;
  /** Pixel scale (default 2). */
  scale?: number;
  /** Called with every unexpected render error (for logging); never with bad-data failures. */
  onError?: (err: unknown, input: ChartInput) => void;
}

export interface ChartRenderer {
  /** Never throws. */
  render(input: ChartInput): Promise<ChartResult>;
  /** Renders an already built spec (bench, tests); never throws. */
  renderBuilt(built: BuiltSpec, input?: ChartInput): Promise<ChartResult>;
  stats(): { rendered: number; memoryHits: number; diskHits: number; failures: number; active: number; waiting: number };
}

export function createChartRenderer(opts: ChartRendererOptions = {}): ChartRenderer {
  const scale = opts.scale ?? SIZE.scale;
  const cache = new PngCache({ dir: opts.cacheDir, memoryEntries: opts.memoryEntries });
  const limiter = createLimiter(opts.concurrency ?? 2, opts.maxQueue ?? 50);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const counts = { rendered: 0, memoryHits: 0, diskHits: 0, failures: 0 };
  // Same spec asked twice at once (a digest fanned out to many chats) renders once.
  const inflight = new Map<string, Promise<Buffer>>();

  function fail(f: ChartFailure): ChartFailure {
    counts.failures++;
    return f;
  }

  /** Holds a limiter slot until the work really ends, even when the caller stopped waiting. */
  function draw(spec: Json): Promise<Buffer> {
    return limiter.run(async () => svgToPng(await specToSvg(spec), scale));
  }

  async function withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RenderTimeout(timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function renderBuilt(built: BuiltSpec, input?: ChartInput): Promise<ChartResult> {
    const hash = specHash(built.spec, scale);
    const base = { ok: true as const, width: built.width, height: built.height, scale, alt: built.alt, hash };
    try {
      const hit = await cache.get(hash);
      if (hit) {
        counts[hit.from === 'memory' ? 'memoryHits' : 'diskHits']++;
        return { ...base, png: hit.png, cached: hit.from };
      }
      let job = inflight.get(hash);
      if (!job) {
        job = draw(built.spec)
          .then(async (png) => {
            counts.rendered++;
            await cache.set(hash, png);
            return png;
          })
          .finally(() => inflight.delete(hash));
        inflight.set(hash, job);
      }
      return { ...base, png: await withTimeout(job), cached: false };
    } catch (err) {
      if (err instanceof QueueFullError) return fail(failure('overloaded', err.message));
      if (err instanceof RenderTimeout) return fail(failure('timeout', err.message));
      if (input) opts.onError?.(err, input);
      return fail(failure('render_failed', err instanceof Error ? err.message : String(err)));
    }
  }

  return {
    async render(input) {
      let built;
      try {
        built = buildChartSpec(input);
      } catch (err) {
        opts.onError?.(err, input);
        return fail(failure('invalid_input', err instanceof Error ? err.message : String(err)));
      }
      return built.ok ? renderBuilt(built, input) : fail(built);
    },
    renderBuilt,
    stats: () => ({ ...counts, active: limiter.active, waiting: limiter.waiting }),
  };
}

class RenderTimeout extends Error {
  readonly code = 'timeout';
  constructor(ms: number) {
    super(`chart render took longer than ${ms} ms`);
    this.name = 'RenderTimeout';
  }
}
