import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` diffs src/db/schema against drizzle/ and writes the next migration.
// Generated SQL is reviewed in PRs and never hand-edited; hand-written SQL (triggers, sequences)
// goes into its own `drizzle-kit generate --custom` migration.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
