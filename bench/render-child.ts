/**
 * Child processes of bench/render, so their numbers are ours alone (no Playwright in the heap):
 *   node --import tsx bench/render-child.ts cold <dataDir>   first chart in a fresh process
 *   node --import tsx bench/render-child.ts soak <n>         n renders, RSS at start/middle/end
 * Prints one JSON object.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyRuntimeEnv, loadConfig } from '../src/config.ts';
import type { ChartRenderer } from '../src/render/chart.ts';
import type { ChartInput } from '../src/render/types.ts';
import { fixtureCharts } from '../tests/fixtures/charts/inputs.ts';
import { perturb } from './render-data.ts';

const [mode, arg] = process.argv.slice(2);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const inputs: ChartInput[] = [...Object.values(fixtureCharts('zh')), ...Object.values(fixtureCharts('en'))];

async function renderOrThrow(renderer: ChartRenderer, input: ChartInput): Promise<void> {
  const r = await renderer.render(input);
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  if (r.cached) throw new Error('bench renders must not hit the PNG cache');
}

if (mode === 'cold') {
  // Process start → first PNG, with an empty fontconfig cache (a fresh DATA_DIR).
  applyRuntimeEnv(loadConfig({ DATA_DIR: arg ?? mkdtempSync(join(tmpdir(), 'kpibot-cold-')) }));
  const t0 = performance.now();
  const { createChartRenderer } = await import('../src/render/chart.ts');
  const t1 = performance.now();
  await renderOrThrow(createChartRenderer({ memoryEntries: 0 }), inputs[0]!);
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ sinceProcessStartMs: Math.round(t2), importMs: Math.round(t1 - t0), firstRenderMs: Math.round(t2 - t1), rssMb: mb(process.memoryUsage().rss) }));
} else if (mode === 'soak') {
  const n = Number(arg ?? 10_000);
  applyRuntimeEnv(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kpibot-soak-')) }));
  const { createChartRenderer } = await import('../src/render/chart.ts');
  const renderer = createChartRenderer({ memoryEntries: 0 });
  const rss: Record<string, number> = { beforeFirstRender: mb(process.memoryUsage().rss) };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await renderOrThrow(renderer, perturb(inputs[i % inputs.length]!, i));
    if (i === inputs.length - 1) rss.start = mb(process.memoryUsage().rss);
    if (i === Math.floor(n / 2) - 1) rss.middle = mb(process.memoryUsage().rss);
  }
  rss.end = mb(process.memoryUsage().rss);
  process.stdout.write(
    JSON.stringify({
      renders: n,
      msPerRender: Number(((performance.now() - t0) / n).toFixed(1)),
      rssMb: rss,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      endOverMiddle: Number((rss.end! / rss.middle!).toFixed(3)),
      heapUsedMb: mb(process.memoryUsage().heapUsed),
    }),
  );
} else {
  throw new Error(`usage: render-child.ts cold <dataDir> | soak <n>`);
}
