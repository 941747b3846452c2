/**
 * One file row → a typed database row or a row error: cells are read through the detected
 * mapping, the store is resolved first (its time zone decides which day a timestamp falls on),
 * every mapped cell is parsed by its column's kind, then the dataset builds the row.
 */
import type { Principal } from '../../access/types.ts';
import { inScope } from '../../access/authorize.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import type { DatasetDef, DimensionRefs, StoreInfo, Values } from '../datasets/types.ts';
import { unneutralise } from '../export/csv-write.ts';
import { isFormula, parseCell, type Cell } from '../values/cells.ts';
import type { DateOrder } from '../values/dates.ts';
import type { Lookups } from './lookups.ts';
import { cellText, type RowIssue } from './report.ts';

export interface ValidRow {
  row: number;
  values: Values;
  db: Record<string, unknown>;
  store?: StoreInfo;
  day?: string;
  dims?: DimensionRefs;
  source: FactSource;
}

export type Validated = { ok: true; value: ValidRow } | { ok: true; skip: string } | { ok: false; issues: RowIssue[] };

export interface RowValidator {
  /** Template columns the file provides (mapped or constant). */
  present: ReadonlySet<string>;
  validate(rowNo: number, cells: readonly Cell[]): Validated;
}

export interface ValidatorOptions {
  def: DatasetDef;
  mapping: ReadonlyMap<string, number>;
  constants: Readonly<Record<string, string>>;
  lookups: Lookups;
  defaultStore?: StoreInfo;
  dateOrder: DateOrder;
  source: FactSource;
  keepSource: boolean;
  principal?: Principal;
}

export function rowValidator(o: ValidatorOptions): RowValidator {
  const present = new Set([...o.mapping.keys(), ...Object.keys(o.constants)]);
  if (o.defaultStore && o.def.store !== 'none') present.add('store_id');
  const storeCol = o.def.store === 'none' ? undefined : o.def.columns.find((c) => c.name === 'store_id');
  const columns = o.def.columns.filter((c) => present.has(c.name) && (c.name !== 'store_id' || !storeCol) && (c.name !== 'source' || o.keepSource));

  const cellOf = (cells: readonly Cell[], column: string): Cell | undefined => {
    const i = o.mapping.get(column);
    if (i !== undefined) return cells[i] ?? null;
    return o.constants[column] ?? null;
  };

  return {
    present,
    validate(rowNo, cells) {
      const issues: RowIssue[] = [];
      const values: Values = {};
      let store: StoreInfo | undefined;
      if (storeCol) {
        const c = cellOf(cells, 'store_id');
        if (isFormula(c)) issues.push({ row: rowNo, column: 'store_id', value: `=${c.formula}`.slice(0, 80), code: 'formula', reason: 'formulas are not evaluated' });
        else if (typeof c === 'string' && c.trim() !== '') {
          store = o.lookups.store(unneutralise(c.trim()));
          if (!store) issues.push({ row: rowNo, column: 'store_id', value: cellText(c), code: 'unknown_store', reason: 'no such store in this workspace; import it with the stores dataset first' });
        } else if (o.defaultStore) store = o.defaultStore;
        else if (o.def.store === 'required') issues.push({ row: rowNo, column: 'store_id', code: 'required', reason: 'store_id is required' });
        if (store && o.principal && !o.principal.scope.all && !inScope(o.principal.scope, { storeId: store.id, teamId: store.teamId ?? undefined })) {
          issues.push({ row: rowNo, column: 'store_id', value: store.id, code: 'out_of_scope', reason: 'outside the stores you may import for' });
        }
        if (store) values.store_id = store.id;
      }
      // Team activity is bucketed into people's time zones, not the store's: a bare time there is the workspace's.
      const zone = o.def.id === 'activity' ? undefined : store?.timezone;
      const env = { dateOrder: o.dateOrder, timeZone: zone ?? o.lookups.workspace.timezone };
      for (const col of columns) {
        const c = cellOf(cells, col.name);
        if (c === null || c === undefined) {
          if (col.required) issues.push({ row: rowNo, column: col.name, code: 'required', reason: `${col.name} is required` });
          continue;
        }
        if (isFormula(c)) {
          issues.push({ row: rowNo, column: col.name, value: `=${c.formula}`.slice(0, 80), code: 'formula', reason: 'formula cells are not evaluated; paste values instead' });
          continue;
        }
        const parsed = parseCell(col.kind.type === 'text' || col.kind.type === 'id' ? unneutralise(c) : c, col.kind, env);
        if (parsed.ok) values[col.name] = parsed.value;
        else issues.push({ row: rowNo, column: col.name, value: cellText(c), code: parsed.reason.includes('negative') ? 'negative' : parsed.reason.includes('formula') ? 'formula' : 'invalid_value', reason: parsed.reason });
      }
      if (o.def.id === 'stores' && typeof values.team_id === 'string' && !o.lookups.teams.has(values.team_id)) {
        issues.push({ row: rowNo, column: 'team_id', value: values.team_id, code: 'unknown_team', reason: 'no such team in this workspace' });
      }
      if (issues.length > 0) return { ok: false, issues };
      const built = o.def.build(values, { store, workspace: o.lookups.workspace, present });
      if (!built.ok) return { ok: false, issues: [{ row: rowNo, column: built.column, value: cellText(values[built.column]), code: 'invalid_row', reason: built.reason }] };
      if (built.skip) return { ok: true, skip: built.skip };
      const source = o.keepSource && typeof values.source === 'string' ? (values.source as FactSource) : o.source;
      return { ok: true, value: { row: rowNo, values, db: built.row, store, day: built.day, dims: built.dims, source } };
    },
  };
}
