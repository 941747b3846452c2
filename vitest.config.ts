import { defineConfig } from 'vitest/config';

// Database tests share one migrated PGlite per worker (initdb costs ~2.5 s, pitfalls.md), so
// workers are capped: the machines have 2 cores and each PGlite holds ~100 MB.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The slow proofs run through `npm run test:reliability` (vitest.reliability.config.ts).
    exclude: ['tests/reliability/**', '**/node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
