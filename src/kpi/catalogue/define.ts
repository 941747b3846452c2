/** Small helpers for writing the catalogue compactly and the same way everywhere. */
import type { MetricClass } from '../../access/types.ts';
import type { Aggregation, BaseValues, Direction, Grain, MetricDef, MetricSource, Unit } from '../types.ts';

/** a / b, or null when either is missing or b is 0 (glossary: "no data", never 0). */
export function div(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

/** Sum that is null when any part is missing. */
export function add(...xs: (number | null | undefined)[]): number | null {
  let total = 0;
  for (const x of xs) {
    if (x === null || x === undefined) return null;
    total += x;
  }
  return total;
}

export function b(values: BaseValues, id: string): number | null {
  return values[id] ?? null;
}

/** Orders at store grain and above are distinct orders; at SKU grain, orders containing the SKU (trap 12). */
export function orders(v: BaseValues, g: Grain): number | null {
  return g.skuGrain ? b(v, 'S.order_count') : b(v, 'V.orders_distinct');
}
export const ORDER_BASES = ['S.order_count', 'V.orders_distinct'];

interface Spec {
  id: string;
  en: string;
  zh: string;
  synonyms?: string[];
  unit: Unit;
  dir: Direction;
  agg: Aggregation;
  cls: MetricClass;
  source?: MetricSource;
  needs?: string[];
  compute?: (v: BaseValues, g: Grain) => number | null;
  window?: MetricDef['window'];
}

export function m(s: Spec): MetricDef {
  return {
    id: s.id,
    name: { en: s.en, zh: s.zh },
    synonyms: [s.id, s.en, s.zh, ...(s.synonyms ?? [])].map((x) => x.toLowerCase()),
    unit: s.unit,
    direction: s.dir,
    aggregation: s.agg,
    class: s.cls,
    source: s.source ?? 'daily',
    needs: s.needs ?? [],
    ...(s.needs?.includes('V.orders_distinct') && s.needs.includes('S.order_count')
      ? { skuNeeds: s.needs.filter((id) => id !== 'V.orders_distinct') }
      : {}),
    ...(s.compute ? { compute: s.compute } : {}),
    ...(s.window ? { window: s.window } : {}),
  };
}

/** A plain sum of one base. */
export function sum(id: string, base: string, rest: Omit<Spec, 'id' | 'needs' | 'compute' | 'agg'>): MetricDef {
  return m({ ...rest, id, agg: 'sum', needs: [base], compute: (v) => b(v, base) });
}
