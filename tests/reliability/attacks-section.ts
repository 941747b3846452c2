/**
 * The 'attacks' section of docs/reliability.md is measured by several test files (signatures,
 * secrets in logs, permissions, isolation, rate limits). `recordSection` writes one file per
 * section id, so each file would overwrite the others' figures; instead every part writes its
 * own part file and the section is re-merged from all parts recorded in the current run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELIABILITY_DIR, recordSection, type Figure, type Section } from './figures.ts';

export const ATTACK_PARTS = ['signatures', 'secrets', 'permissions', 'isolation', 'rate'] as const;
export type AttackPart = (typeof ATTACK_PARTS)[number];

type Table = NonNullable<Section['tables']>[number];

export interface AttackPartRecord {
  part: AttackPart;
  recordedAt: string;
  testFile: string;
  /** One or two sentences: how this part was measured. */
  method: string;
  figures: Figure[];
  tables?: Table[];
  notes?: string[];
}

const TITLES: Record<AttackPart, string> = {
  signatures: 'signatures',
  secrets: 'secrets in logs',
  permissions: 'permissions',
  isolation: 'isolation',
  rate: 'rate limits',
};

function runStartedAt(): string {
  const runFile = join(RELIABILITY_DIR, 'run.json');
  if (!existsSync(runFile)) return '1970-01-01T00:00:00Z';
  return (JSON.parse(readFileSync(runFile, 'utf8')) as { startedAt: string }).startedAt;
}

/** The part files of the current run, in ATTACK_PARTS order. */
export function readAttackParts(): AttackPartRecord[] {
  const startedAt = runStartedAt();
  const parts: AttackPartRecord[] = [];
  for (const part of ATTACK_PARTS) {
    const file = join(RELIABILITY_DIR, `attacks-${part}.json`);
    if (!existsSync(file)) continue;
    const rec = JSON.parse(readFileSync(file, 'utf8')) as AttackPartRecord;
    if (rec.recordedAt >= startedAt) parts.push(rec);
  }
  return parts;
}

/**
 * Records one part's figures and rewrites the merged 'attacks' section. Figure names are
 * prefixed with the part ("signatures: requests refused") so parts never collide.
 */
export function recordAttackFigures(
  part: AttackPart,
  figures: Figure[],
  tables?: Table[],
  extra: { method?: string; notes?: string[]; testFile?: string } = {},
): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  const rec: AttackPartRecord = {
    part,
    recordedAt: new Date().toISOString(),
    testFile: extra.testFile ?? `tests/reliability/attacks-${part}.test.ts`,
    method: extra.method ?? '',
    figures,
    ...(tables ? { tables } : {}),
    ...(extra.notes ? { notes: extra.notes } : {}),
  };
  writeFileSync(join(RELIABILITY_DIR, `attacks-${part}.json`), `${JSON.stringify(rec, null, 2)}\n`);

  const parts = readAttackParts();
  recordSection(
    {
      id: 'attacks',
      title: 'Attacks: forged signatures, secrets in logs, permissions, isolation, rate limits',
      method: parts.map((p) => `**${TITLES[p.part]}** — ${p.method || 'see the figures.'}`).join(' '),
      figures: parts.flatMap((p) => p.figures.map((f) => ({ ...f, name: `${TITLES[p.part]}: ${f.name}` }))),
      tables: parts.flatMap((p) => (p.tables ?? []).map((t) => ({ ...t, title: `${TITLES[p.part]}: ${t.title}` }))),
      notes: parts.flatMap((p) => p.notes ?? []),
    },
    { testFile: parts.map((p) => p.testFile).join(', ') },
  );
}
