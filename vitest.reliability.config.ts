import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the slow proofs of issue #33 (browser journey, kill -9, replicas,
// database outage, fuzzing, attacks, 10-minute load). One file at a time, so the load and crash
// figures are not measured against another test's CPU; each file records its figures for
// docs/reliability.md (scripts/reliability-report.ts). Needs Postgres (DATABASE_URL).
// `npm run test:load` (RELIABILITY_LOAD=only) runs the 10-minute load test alone.
const loadOnly = process.env.RELIABILITY_LOAD === 'only';

export default defineConfig({
  test: {
    include: loadOnly ? ['tests/reliability/load.test.ts'] : ['tests/reliability/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 3 * 60_000,
    globalSetup: ['tests/reliability/global-setup.ts'],
    reporters: ['default'],
  },
});
