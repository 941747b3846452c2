/**
 * Marks the start of a reliability run (the report keeps only sections recorded after it) and
 * refuses to run without Postgres: these tests prove behaviour on the production engine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEnv } from '../helpers/env.ts';
import { RELIABILITY_DIR } from './figures.ts';

export default function setup(): void {
  if (!testEnv.DATABASE_URL) {
    throw new Error('npm run test:reliability needs Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  }
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  writeFileSync(join(RELIABILITY_DIR, 'run.json'), `${JSON.stringify({ startedAt: new Date().toISOString() })}\n`);
}
