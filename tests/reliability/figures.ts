/**
 * What each reliability test measured, for docs/reliability.md. A test calls `recordSection`
 * once with its figures; `scripts/reliability-report.ts` turns the files of the latest run into
 * the document. Figures are measured values, never the limits restated: `limit` says what the
 * value is held against and `ok` whether it held (the test's own assertions decide pass/fail).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEnv } from '../helpers/env.ts';

export const RELIABILITY_DIR = join(testEnv.ARTIFACTS_DIR, 'reliability');

/** The sections of the document, in its order. */
export const SECTION_IDS = ['browser', 'crash', 'replicas', 'outage', 'fuzz', 'attacks', 'load'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface Figure {
  /** What was measured, e.g. "messages delivered", "p99 ack (Slack)". */
  name: string;
  value: number | string;
  unit?: string;
  /** The bound it is held against, e.g. "≤ 3000 ms", "= 0". */
  limit?: string;
  ok?: boolean;
  /**
   * Rolled up into the summary at the top of the document: `lost`/`duplicated` message counts,
   * `inputs` tried, `load` held, `fault` survived.
   */
  kind?: 'lost' | 'duplicated' | 'inputs' | 'load' | 'fault';
}

export interface Section {
  id: SectionId;
  title: string;
  /** How it was done, in a few sentences (what ran, against what, for how long). */
  method: string;
  figures: Figure[];
  /** Further tables, e.g. per-route or per-minute figures. */
  tables?: { title: string; columns: string[]; rows: (string | number)[][] }[];
  notes?: string[];
  /** Screenshots or other files kept as artifacts (paths relative to ARTIFACTS_DIR). */
  artifacts?: string[];
}

export interface RecordedSection extends Section {
  recordedAt: string;
  testFile: string;
  engine: string;
}

/** Writes one section (call once per test file, after its assertions held). */
export function recordSection(section: Section, meta: { testFile: string; engine?: string }): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  const recorded: RecordedSection = { ...section, recordedAt: new Date().toISOString(), testFile: meta.testFile, engine: meta.engine ?? 'postgres' };
  writeFileSync(join(RELIABILITY_DIR, `${section.id}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
}
