/**
 * The fuzz section of docs/reliability.md comes from two files (fuzz-parser, fuzz-routes) while
 * `recordSection` keeps one file per section: each test writes its part here, then records the
 * section merged from every part written in this run, so whichever runs last records both and a
 * part from an earlier run is never mixed in.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELIABILITY_DIR, recordSection, type Section } from './figures.ts';

const PARTS = ['parser', 'routes'] as const;
type Part = (typeof PARTS)[number];

interface PartFile extends Omit<Section, 'id' | 'title'> {
  part: Part;
  testFile: string;
  recordedAt: string;
}

const partPath = (part: Part) => join(RELIABILITY_DIR, `fuzz-${part}.part.json`);

function runStartedAt(): string {
  const file = join(RELIABILITY_DIR, 'run.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { startedAt: string }).startedAt : '1970-01-01T00:00:00Z';
}

export function recordFuzzPart(part: Part, testFile: string, section: Omit<Section, 'id' | 'title'>): void {
  const mine: PartFile = { ...section, part, testFile, recordedAt: new Date().toISOString() };
  writeFileSync(partPath(part), `${JSON.stringify(mine, null, 2)}\n`);
  const since = runStartedAt();
  const parts: PartFile[] = [];
  const missing: string[] = [];
  for (const p of PARTS) {
    const file = partPath(p);
    const found = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PartFile) : undefined;
    if (found && found.recordedAt >= since) parts.push(found);
    else missing.push(`The ${p} part (tests/reliability/fuzz-${p}.test.ts) did not run in this run.`);
  }
  recordSection(
    {
      id: 'fuzz',
      title: 'Fuzzing: the chat parser and every HTTP route',
      method: parts.map((p) => p.method).join(' '),
      figures: parts.flatMap((p) => p.figures),
      tables: parts.flatMap((p) => p.tables ?? []),
      notes: [...parts.flatMap((p) => p.notes ?? []), ...missing],
      artifacts: parts.flatMap((p) => p.artifacts ?? []),
    },
    { testFile: parts.map((p) => p.testFile).join(', ') },
  );
}
