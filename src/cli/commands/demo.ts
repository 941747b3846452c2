/** `kpibot seed-demo [--anchor YYYY-MM-DD] [--seed N]` and `kpibot demo purge --yes`. */
import { addDays, parseIsoDate, todayIn } from '../../demo/dates.ts';
import { DEMO_WINDOW_DAYS, purgeDemo, seedDemo } from '../../demo/lifecycle.ts';
import { DEFAULT_DEMO_SEED } from '../../demo/org.ts';
import { UsageError } from '../usage.ts';
import type { CliContext } from '../context.ts';

export interface DemoArgs {
  sub: string | undefined;
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
  json: boolean;
}

/** Anchors before this would put facts before the demo stores opened. */
export const EARLIEST_ANCHOR = '2024-04-01';

/** Validates `--anchor`: a real date, not before EARLIEST_ANCHOR, not after yesterday. */
export function parseAnchor(value: string | boolean | undefined, yesterday: string): string {
  if (value === undefined) return yesterday;
  const anchor = typeof value === 'string' ? parseIsoDate(value) : null;
  if (!anchor) throw new UsageError(`--anchor must be a date such as ${yesterday} (YYYY-MM-DD)`);
  if (anchor < EARLIEST_ANCHOR) throw new UsageError(`--anchor must be ${EARLIEST_ANCHOR} or later`);
  if (anchor > yesterday) throw new UsageError(`--anchor must not be later than yesterday (${yesterday}): the demo holds complete days only`);
  return anchor;
}

export function parseSeed(value: string | boolean | undefined): number {
  if (value === undefined) return DEFAULT_DEMO_SEED;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new UsageError('--seed must be a whole number between 0 and 2147483647');
  }
  return Number(value);
}

export async function seedDemoCommand(ctx: CliContext, a: DemoArgs): Promise<void> {
  if (a.sub !== undefined) throw new UsageError('usage: kpibot seed-demo [--anchor YYYY-MM-DD] [--seed N]');
  const yesterday = addDays(todayIn(ctx.config.defaultTimezone), -1);
  const anchor = parseAnchor(a.options.anchor, yesterday);
  const seed = parseSeed(a.options.seed);
  const summary = await seedDemo(ctx.database, {
    anchor, seed, timezone: ctx.config.defaultTimezone, currency: ctx.config.defaultCurrency, locale: ctx.config.defaultLocale, actor: ctx.actor,
  });
  if (a.json) return ctx.out(JSON.stringify(summary));
  const total = Object.values(summary.rows).reduce((x, y) => x + y, 0);
  ctx.out(
    `seeded the demo workspace "demo": ${DEMO_WINDOW_DAYS} days ${summary.from} … ${summary.anchor}, seed ${summary.seed}, ` +
      `${total.toLocaleString('en-US')} rows in ${(summary.ms / 1000).toFixed(1)} s`,
  );
}

export async function demoCommand(ctx: CliContext, a: DemoArgs): Promise<void> {
  if (a.sub !== 'purge') throw new UsageError('usage: kpibot demo purge --yes');
  if (a.options.yes !== true) {
    throw new UsageError('this deletes the demo workspace "demo" and all its data (real workspaces are never touched); add --yes');
  }
  const before = await purgeDemo(ctx.database, { actor: ctx.actor });
  if (a.json) return ctx.out(JSON.stringify({ purged: 'demo', ...before }));
  ctx.out('purged the demo workspace "demo"');
  if (ctx.config.demo === 'auto') ctx.out('note: with DEMO=auto the server seeds it again at its next start; set DEMO=off to keep it away');
}
