/**
 * The only place tests read the environment (src/config.ts is the only reader in src/). Tests
 * pass explicit env objects to `loadConfig`, so the developer's own env never leaks into them.
 */
export const testEnv = {
  DATABASE_URL: process.env.DATABASE_URL || undefined,
  CHROMIUM_PATH: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  /** Where browser tests leave their screenshots. */
  ARTIFACTS_DIR: process.env.ARTIFACTS_DIR || '/tmp/kpibot-artifacts',
  /** `UPDATE_GOLDENS=1` rewrites tests/fixtures/charts/*.png instead of comparing against them. */
  UPDATE_GOLDENS: process.env.UPDATE_GOLDENS === '1',
  RELIABILITY_LOAD_SECONDS: Number(process.env.RELIABILITY_LOAD_SECONDS) || 600, // tests/reliability/load.test.ts window; CI: 10 min
};
