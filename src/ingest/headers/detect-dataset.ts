/**
 * Which dataset a file is, when nobody said (a file dropped into a chat): every importable
 * dataset's profiles — template, built-in ERP/marketplace layouts, the workspace's own mappings —
 * are scored on the file's first rows by the same `detectHeader` an import uses, and the
 * candidates come back best first with their confidence. `pickDataset` decides whether the best
 * one is clear enough to import without asking.
 */
import type { Database } from '../../db/client.ts';
import type { DatasetId } from '../../db/schema/sync.ts';
import { isAppError } from '../../errors.ts';
import { DATASETS } from '../datasets/index.ts';
import type { SourceRow } from '../source/csv.ts';
import { BUILTIN_PROFILES } from './builtin-profiles.ts';
import { detectHeader, HEADER_SCAN_ROWS, templateProfile } from './detect.ts';
import { workspaceProfiles } from './mapping-store.ts';

export interface DatasetCandidate {
  dataset: DatasetId;
  profileId: string;
  label: { en: string; zh: string };
  confidence: number;
}

/** Below this the best guess is confirmed with the user before anything is written. */
export const CLEAR_CONFIDENCE = 0.75;
/** A runner-up this close to the best makes the file ambiguous (e.g. a SKU list vs. inventory). */
export const AMBIGUOUS_MARGIN = 0.1;

export async function detectDataset(
  database: Database,
  workspaceId: string,
  head: readonly SourceRow[],
  opts: { hasDefaultStore?: boolean; datasets?: readonly DatasetId[] } = {},
): Promise<DatasetCandidate[]> {
  const rows = head.slice(0, HEADER_SCAN_ROWS);
  const out: DatasetCandidate[] = [];
  for (const def of Object.values(DATASETS)) {
    if (opts.datasets && !opts.datasets.includes(def.id)) continue;
    const profiles = [templateProfile(def), ...BUILTIN_PROFILES.filter((p) => p.dataset === def.id), ...(await workspaceProfiles(database, workspaceId, def.id))];
    try {
      const d = detectHeader(def, rows, profiles, { hasDefaultStore: opts.hasDefaultStore === true && def.store !== 'none' });
      out.push({ dataset: def.id, profileId: d.profile.id, label: d.profile.label, confidence: d.confidence });
    } catch (err) {
      if (!isAppError(err)) throw err;
    }
  }
  return out.sort((a, b) => b.confidence - a.confidence || a.dataset.localeCompare(b.dataset));
}

export type DatasetPick =
  | { kind: 'clear'; best: DatasetCandidate }
  | { kind: 'ask'; candidates: DatasetCandidate[] }
  | { kind: 'none' };

export function pickDataset(candidates: readonly DatasetCandidate[]): DatasetPick {
  const [best, second] = candidates;
  if (!best) return { kind: 'none' };
  const close = second !== undefined && best.confidence - second.confidence < AMBIGUOUS_MARGIN;
  if (best.confidence >= CLEAR_CONFIDENCE && !close) return { kind: 'clear', best };
  return { kind: 'ask', candidates: candidates.slice(0, 3) };
}
