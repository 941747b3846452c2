/**
 * Renders charts in a separate process, so a test can give it a fontconfig setup of its own
 * (fontconfig is read once per process). Usage: node --import tsx render-child.ts '<json ChartInput[]>'
 * → prints the PNGs as a JSON array of base64 strings. FONTCONFIG_FILE comes from the parent.
 */
import { createChartRenderer } from '../../src/render/chart.ts';
import type { ChartInput } from '../../src/render/types.ts';

const inputs = JSON.parse(process.argv[2] ?? '[]') as ChartInput[];
const renderer = createChartRenderer({ memoryEntries: 0 });
const out: string[] = [];
for (const input of inputs) {
  const r = await renderer.render(input);
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  out.push(r.png.toString('base64'));
}
process.stdout.write(JSON.stringify(out));
