/**
 * Turns daily base sums into metric values: money converted at each day's rate, bases summed
 * per group and in total, then each metric's formula applied to the sums (ratio of sums, never
 * an average of ratios: trap 9). A null value always carries its reason.
 */
import { BASES } from './bases.ts';
import type { DailyRow } from './fetch-daily.ts';
import type { FxTable, RateHit } from './fx.ts';
import type { FactTable, Grain, MetricDef, MissingReason } from './types.ts';

export interface BaseSums {
  values: Record<string, number | null>;
  /** Tables that had at least one row in this slice. */
  tables: Set<FactTable>;
  /** Money bases with at least one row that had no usable rate. */
  fxMissing: Set<string>;
  fxStale: boolean;
}

function emptySums(): BaseSums {
  return { values: {}, tables: new Set(), fxMissing: new Set(), fxStale: false };
}

export interface Aggregated {
  total: BaseSums;
  groups: Map<string | null, BaseSums>;
  latestRateDay?: string;
  /** Budget periods whose rates were used (fx mode `budget`). */
  budgetPeriods: Set<string>;
  /** Days per row currency that had no usable rate: the data alert's subject (fx-alert.ts). */
  fxGaps: Map<string, Set<string>>;
}

export function aggregate(rowsByTable: Map<FactTable, DailyRow[]>, fx: FxTable, reporting: string): Aggregated {
  const total = emptySums();
  const groups = new Map<string | null, BaseSums>();
  let latestRateDay: string | undefined;
  const budgetPeriods = new Set<string>();
  const fxGaps = new Map<string, Set<string>>();
  const addTo = (target: BaseSums, table: FactTable, id: string, value: number | null, fxMissing: boolean, stale: boolean) => {
    target.tables.add(table);
    if (fxMissing) target.fxMissing.add(id);
    if (stale) target.fxStale = true;
    if (value === null) {
      if (!(id in target.values)) target.values[id] = null;
      return;
    }
    target.values[id] = (target.values[id] ?? 0) + value;
  };
  for (const [table, rows] of rowsByTable) {
    // Rows of one fetch carry the same bases: look their definitions up once.
    let ids: [string, boolean][] | undefined;
    for (const row of rows) {
      let g = groups.get(row.group);
      if (!g) groups.set(row.group, (g = emptySums()));
      ids ??= Object.keys(row.values).map((id) => [id, Boolean(BASES[id]!.money)]);
      // One currency and day per row: its rate is looked up once, on the first money value.
      let rowHit: RateHit | null | undefined;
      for (const [id, money] of ids) {
        const raw = row.values[id] ?? null;
        let value = raw;
        let missing = false;
        let stale = false;
        if (money && raw !== null && raw !== 0) {
          if (rowHit === undefined) rowHit = row.currency ? fx.rate(row.currency, reporting, row.day) : null;
          const hit = rowHit;
          if (!hit) {
            missing = true;
            const ccy = row.currency ?? '???';
            if (!fxGaps.has(ccy)) fxGaps.set(ccy, new Set());
            fxGaps.get(ccy)!.add(row.day);
          } else {
            value = raw * hit.rate;
            stale = hit.stale;
            for (const p of hit.periods ?? []) budgetPeriods.add(p);
            // Only real conversions date the answer: an identity rate says nothing about FX.
            if (fx.mode === 'daily' && row.currency !== reporting && (!latestRateDay || hit.date > latestRateDay)) latestRateDay = hit.date;
          }
        }
        addTo(total, table, id, missing ? null : value, missing, stale);
        addTo(g, table, id, missing ? null : value, missing, stale);
      }
    }
  }
  return { total, groups, budgetPeriods, fxGaps, ...(latestRateDay ? { latestRateDay } : {}) };
}

export interface MetricValue {
  value: number | null;
  missing?: MissingReason;
}

function tablesOf(def: MetricDef): Set<FactTable> {
  return new Set(def.needs.map((id) => BASES[id]!.table));
}

/** A metric over one slice, with the reason when it has no value. */
export function evaluate(def: MetricDef, sums: BaseSums, grain: Grain): MetricValue {
  if (!def.compute) return { value: null, missing: 'not_available' };
  if (def.needs.some((id) => sums.fxMissing.has(id) && BASES[id]!.money)) return { value: null, missing: 'fx_missing' };
  const value = def.compute(sums.values, grain);
  if (value !== null && Number.isFinite(value)) return { value };
  const tables = tablesOf(def);
  if (![...tables].some((t) => sums.tables.has(t))) return { value: null, missing: 'no_data' };
  if (def.needs.some((id) => BASES[id]!.nullable && sums.values[id] === null)) return { value: null, missing: 'not_reported' };
  if (def.needs.some((id) => sums.values[id] === undefined && !sums.tables.has(BASES[id]!.table))) return { value: null, missing: 'no_data' };
  return { value: null, missing: 'zero_denominator' };
}

/** Money to cents, ratios to 6 places: enough for display, stable in JSON. */
export function round(def: MetricDef, v: number | null): number | null {
  if (v === null) return null;
  const places = def.unit === 'money' ? 2 : def.unit === 'ratio' ? 6 : 4;
  const f = 10 ** places;
  return Math.round(v * f) / f;
}
