/**
 * `npm run bench [name…] [--flag=value…]`: runs each `bench/*.bench.ts` (or the named ones) and merges its result
 * under its own key in bench/results/latest.json, never overwriting other benchmarks' keys.
 * Speed is compared side by side in one run (ratios), because the machines are noisy.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = import.meta.dirname;
const RESULTS = join(DIR, 'results', 'latest.json');

export interface BenchModule {
  /** Key in latest.json. */
  name: string;
  run(): Promise<Record<string, unknown>>;
}

// Names select benchmarks; `--key=value` flags are left for the benchmarks themselves.
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = readdirSync(DIR).filter((f) => f.endsWith('.bench.ts')).sort();
/** Re-read just before writing: a long benchmark must not drop keys another run wrote meanwhile. */
function readResults(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    return {}; // First run.
  }
}
for (const file of files) {
  const mod = (await import(join(DIR, file))) as { default: BenchModule };
  if (wanted.length > 0 && !wanted.includes(mod.default.name)) continue;
  console.log(`bench ${mod.default.name} …`);
  const result = { ...(await mod.default.run()), measuredAt: new Date().toISOString(), node: process.version };
  console.log(JSON.stringify(result, null, 2));
  const results = readResults();
  results[mod.default.name] = result;
  mkdirSync(join(DIR, 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
}
