/**
 * Inputs for bench/render: the test fixtures with every number nudged by a per-iteration factor,
 * so each render is new to the PNG cache (and to Chromium) while the chart's shape stays the same.
 */
import type { ChartInput } from '../src/render/types.ts';

export function perturb<T extends ChartInput>(input: T, i: number): T {
  const f = 1 + ((i * 7919) % 997) / 10_000;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Math.round(v * f * 1000) / 1000;
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(input) as T;
}
