/**
 * A workspace's custom metrics as parser words (id, English and Chinese name → id), so `gross_margin2
 * 7d by store` parses like a catalogue metric. A process re-reads them at most every 30 s; adding
 * one in this process refreshes at once (insights/custom-metrics/service.ts).
 */
import type { Database } from '../../../db/client.ts';
import { loadCustomMetrics } from '../../../kpi/custom/registry.ts';

const CUSTOM_WORDS_MAX_AGE_MS = 30_000;

export async function customMetricWords(database: Database, workspaceId: string): Promise<[string, string][]> {
  const { defs } = await loadCustomMetrics(database, workspaceId, { maxAgeMs: CUSTOM_WORDS_MAX_AGE_MS });
  return [...defs.values()].flatMap((d) => d.synonyms.map((w): [string, string] => [w, d.id]));
}
