/**
 * Finds the header row (within the first rows: exports often start with a title line) and the
 * profile that explains it best, with a confidence: for our own template, 0.5 + 0.5 × the share
 * of the file's headers it recognises (extra columns are allowed); for an ERP or marketplace
 * layout, the share of that layout's headers present. A profile is only a candidate when every
 * required template column is found (or given as a constant, or the store comes from the
 * import's `store` option). Nothing eligible → the file is rejected with what was expected.
 */
import { AppError } from '../../errors.ts';
import type { SourceRow } from '../source/csv.ts';
import { isFormula } from '../values/cells.ts';
import type { DatasetDef } from '../datasets/types.ts';
import { normalizeHeader, type HeaderProfile } from './profile.ts';

/** Rows looked at for the header: title lines above it are skipped. */
export const HEADER_SCAN_ROWS = 10;

export interface Detection {
  profile: HeaderProfile;
  /** Index into the scanned rows (0-based) and the row number in the file. */
  headerIndex: number;
  headerRow: number;
  confidence: number;
  /** Template column → cell index. */
  mapping: Map<string, number>;
}

export function templateProfile(def: DatasetDef, opts: { keepSource?: boolean } = {}): HeaderProfile {
  const columns: Record<string, string[]> = {};
  for (const c of def.columns) {
    if (c.name === 'source' && !opts.keepSource) continue;
    columns[c.name] = [c.name, ...(c.aliases ?? [])];
  }
  return { id: 'template', dataset: def.id, label: { en: `kpibot ${def.id} template`, zh: `kpibot ${def.id} 模板` }, origin: 'template', columns };
}

interface Scored {
  detection: Detection;
  missing: string[];
}

function score(def: DatasetDef, profile: HeaderProfile, cells: SourceRow['cells'], index: number, row: number, hasDefaultStore: boolean): Scored {
  const headers = new Map<string, number>();
  cells.forEach((c, i) => {
    if (typeof c !== 'string' || isFormula(c)) return;
    const n = normalizeHeader(c);
    if (n && !headers.has(n)) headers.set(n, i);
  });
  const mapping = new Map<string, number>();
  const taken = new Set<number>();
  let listedFound = 0;
  for (const [column, names] of Object.entries(profile.columns)) {
    for (const name of names) {
      const i = headers.get(normalizeHeader(name));
      if (i !== undefined && !taken.has(i)) {
        mapping.set(column, i);
        taken.add(i);
        listedFound++;
        break;
      }
    }
  }
  const missing = def.columns
    .filter((c) => c.required && !mapping.has(c.name) && !(profile.constants && c.name in profile.constants))
    .filter((c) => !(c.name === 'store_id' && def.store !== 'none' && hasDefaultStore))
    .map((c) => c.name);
  const confidence =
    missing.length > 0 || mapping.size === 0
      ? 0
      : profile.origin === 'template'
        ? 0.5 + 0.5 * (taken.size / Math.max(1, headers.size))
        : listedFound / Math.max(1, Object.keys(profile.columns).length);
  return { detection: { profile, headerIndex: index, headerRow: row, confidence: Math.round(confidence * 100) / 100, mapping }, missing };
}

export function detectHeader(def: DatasetDef, firstRows: SourceRow[], profiles: HeaderProfile[], opts: { hasDefaultStore: boolean }): Detection {
  let best: Scored | null = null;
  let closest: Scored | null = null;
  firstRows.slice(0, HEADER_SCAN_ROWS).forEach((r, index) => {
    for (const p of profiles) {
      const s = score(def, p, r.cells, index, r.row, opts.hasDefaultStore);
      const better = (a: Scored, b: Scored | null) =>
        !b || a.detection.confidence > b.detection.confidence ||
        (a.detection.confidence === b.detection.confidence && b.detection.profile.origin === 'template' && a.detection.profile.origin !== 'template');
      if (s.detection.confidence > 0 && better(s, best)) best = s;
      if (!closest || s.detection.mapping.size - s.missing.length > closest.detection.mapping.size - closest.missing.length) closest = s;
    }
  });
  const found = best as Scored | null;
  if (found && found.detection.confidence >= 0.5) return found.detection;
  const near = closest as Scored | null;
  const expected = def.columns.filter((c) => c.required).map((c) => c.name).join(', ');
  const hint = near && near.detection.mapping.size > 0
    ? ` Closest layout: ${near.detection.profile.label.en}, missing ${near.missing.join(', ') || 'most of its columns'}.`
    : '';
  throw new AppError(
    'invalid_argument',
    `the header row matches no known ${def.id} layout: the template needs ${expected} (zh or en headers).${hint} Map the columns with map=column:Header,… or use the template from GET /api/v1/exports/${def.id}.`,
    { field: 'file' },
  );
}
