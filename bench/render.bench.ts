/**
 * `npm run bench -- render [--iterations=30] [--soak=10000]`: the same chart specs through our
 * path (vega-lite → vega → SVG → sharp) and through headless Chromium (Debian chromium via
 * playwright-core, vega-embed in one warm page, canvas at 2×, PNG bytes back in Node), side by
 * side in one run. Every iteration nudges the numbers, so no render is a PNG-cache hit on either
 * side; our compiled vega-lite is reused (the spec shape does not change), and `oursNoReuse`
 * shows the cost without that. Also: cold start of both, Chromium's memory (PSS of its process
 * tree), and a soak of our path in a child process reporting RSS at start, middle and end.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { applyRuntimeEnv, loadConfig } from '../src/config.ts';
import { createChartRenderer, svgToPng } from '../src/render/chart.ts';
import { buildChartSpec, type BuiltSpec } from '../src/render/specs/index.ts';
import type { ChartInput } from '../src/render/types.ts';
import { fixtureCharts } from '../tests/fixtures/charts/inputs.ts';
import { CHROMIUM_ARGS } from '../tests/helpers/browser.ts';
import { testEnv } from '../tests/helpers/env.ts';
import { perturb } from './render-data.ts';
import type { BenchModule } from './run.ts';

const run = promisify(execFile);
const flag = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1));
};
const median = (xs: number[]) => pct(xs, 50);

function built(input: ChartInput): BuiltSpec {
  const b = buildChartSpec(input);
  if (!b.ok) throw new Error(`fixture did not build: ${b.reason}`);
  return b;
}

/** Our pipeline with nothing reused: compile, parse, lay out, SVG, PNG. */
async function oursNoReuse(spec: BuiltSpec['spec']): Promise<Buffer> {
  const view = new vega.View(vega.parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
  await view.runAsync();
  const svg = await view.toSVG();
  view.finalize();
  return svgToPng(svg);
}

async function openChromium(fontconfigFile: string) {
  const browser = await chromium.launch({
    executablePath: testEnv.CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    // The same npm CJK font as ours, through the same fonts.conf.
    env: { FONTCONFIG_FILE: fontconfigFile, HOME: tmpdir() },
  });
  const page = await browser.newPage();
  await page.setContent('<!doctype html><meta charset="utf-8"><div id="c"></div>');
  for (const m of ['vega/build/vega.min.js', 'vega-lite/build/vega-lite.min.js', 'vega-embed/build/vega-embed.min.js']) {
    // The network is closed: the page gets the bundles straight from node_modules.
    await page.addScriptTag({ path: join(import.meta.dirname, '..', 'node_modules', m) });
  }
  return { browser, page };
}

async function chromiumPng(page: Page, spec: BuiltSpec['spec']): Promise<Buffer> {
  const url = await page.evaluate(async (s) => {
    const embed = (globalThis as unknown as { vegaEmbed: (el: string, spec: unknown, opts: unknown) => Promise<{ view: { toImageURL(t: string, scale: number): Promise<string> }; finalize(): void }> }).vegaEmbed;
    const r = await embed('#c', s, { renderer: 'canvas', actions: false });
    const png = await r.view.toImageURL('png', 2);
    r.finalize();
    return png;
  }, spec);
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

/** Proportional set size of every chromium process (children of this one), in MB. */
function chromiumPssMb(): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith(testEnv.CHROMIUM_PATH) && !cmd.includes('/chromium/chromium')) continue;
      kb += Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended while we looked.
    }
  }
  return Math.round(kb / 1024);
}

async function child(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'render-child.ts'), ...args], { maxBuffer: 1 << 20, timeout: 3 * 3600_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const bench: BenchModule = {
  name: 'render',
  async run() {
    const iterations = flag('iterations', 30);
    const soakSize = flag('soak', 10_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'kpibot-bench-render-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    applyRuntimeEnv(config);

    const charts = (['zh', 'en'] as const).flatMap((lang) => Object.values(fixtureCharts(lang)).map((input) => ({ name: `${lang}-${input.kind}`, input: input as ChartInput })));
    const renderer = createChartRenderer({ memoryEntries: 0, concurrency: 1 });
    const { browser, page } = await openChromium(config.fontconfigFile);
    const times: Record<string, { ours: number[]; noReuse: number[]; chromium: number[] }> = {};
    let chromiumPeakPss = chromiumPssMb();
    try {
      for (let it = 0; it <= iterations; it++) {
        for (const { name, input } of charts) {
          const spec = built(perturb(input, it));
          const t = (times[name] ??= { ours: [], noReuse: [], chromium: [] });
          const timeOurs = async () => {
            const t0 = performance.now();
            const r = await renderer.renderBuilt(spec);
            if (!r.ok || r.cached) throw new Error(`ours: ${r.ok ? 'unexpected cache hit' : r.message}`);
            const ours = performance.now() - t0;
            const t1 = performance.now();
            await oursNoReuse(spec.spec);
            return [ours, performance.now() - t1] as const;
          };
          const timeChromium = async () => {
            const t0 = performance.now();
            const png = await chromiumPng(page, spec.spec);
            return [performance.now() - t0, png] as const;
          };
          // Alternate who goes first: Chromium's processes keep working (GC, compositor) after a
          // render and would otherwise always slow down our next one on a 2-core machine.
          let ours: number, noReuse: number, chrome: number, png: Buffer;
          if (it % 2) {
            [ours, noReuse] = await timeOurs();
            [chrome, png] = await timeChromium();
          } else {
            [chrome, png] = await timeChromium();
            [ours, noReuse] = await timeOurs();
          }
          if (png.length < 1000) throw new Error('chromium returned no image');
          // Iteration 0 warms both sides up (JIT, fonts, first compile) and is not counted.
          if (it > 0) {
            t.ours.push(ours);
            t.noReuse.push(noReuse);
            t.chromium.push(chrome);
          }
        }
        chromiumPeakPss = Math.max(chromiumPeakPss, chromiumPssMb());
      }
    } finally {
      await browser.close();
    }

    const perChart = Object.fromEntries(
      Object.entries(times).map(([name, t]) => [
        name,
        {
          oursP50: median(t.ours),
          oursP95: pct(t.ours, 95),
          oursNoReuseP50: median(t.noReuse),
          chromiumP50: median(t.chromium),
          chromiumP95: pct(t.chromium, 95),
          ratioP50: Number((median(t.chromium) / median(t.ours)).toFixed(1)),
        },
      ]),
    );
    const all = (k: 'ours' | 'noReuse' | 'chromium') => Object.values(times).flatMap((t) => t[k]);

    // Cold start: a fresh process (and fontconfig cache) to the first PNG, vs launching Chromium.
    const coldOurs: Record<string, unknown>[] = [];
    const coldChromium: number[] = [];
    for (let i = 0; i < 3; i++) {
      coldOurs.push(await child(['cold', mkdtempSync(join(tmpdir(), 'kpibot-cold-'))]));
      const t0 = performance.now();
      const c = await openChromium(config.fontconfigFile);
      await chromiumPng(c.page, built(charts[0]!.input).spec);
      coldChromium.push(performance.now() - t0);
      await c.browser.close();
    }
    // `--soak=0` skips the soak (a quick latency-only run).
    const soak = soakSize > 0 ? await child(['soak', String(soakSize)]) : { renders: 0 };

    return {
      iterations,
      charts: charts.length,
      perChart,
      overall: {
        oursP50: median(all('ours')),
        oursP95: pct(all('ours'), 95),
        oursNoReuseP50: median(all('noReuse')),
        chromiumP50: median(all('chromium')),
        chromiumP95: pct(all('chromium'), 95),
        ratioP50: Number((median(all('chromium')) / median(all('ours'))).toFixed(1)),
        ratioP50NoReuse: Number((median(all('chromium')) / median(all('noReuse'))).toFixed(1)),
      },
      coldStart: {
        oursProcessToFirstPngMs: median(coldOurs.map((c) => c.sinceProcessStartMs as number)),
        oursImportMs: median(coldOurs.map((c) => c.importMs as number)),
        oursFirstRenderMs: median(coldOurs.map((c) => c.firstRenderMs as number)),
        chromiumLaunchToFirstPngMs: median(coldChromium),
      },
      memory: { oursPeakRssMb: soak.peakRssMb, chromiumPeakPssMb: chromiumPeakPss },
      soak,
      note: 'ms per chart, 600×340 CSS px at 2×, warm, one at a time; PNG cache off; ours reuses compiled vega-lite (oursNoReuse does not)',
    };
  },
};
export default bench;
