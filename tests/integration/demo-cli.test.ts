/**
 * `kpibot seed-demo` and `kpibot demo purge` in process, with an explicit env, on both engines:
 * a bad anchor or seed is a usage error, a second seed refuses without writing, purge asks for
 * --yes and leaves real workspaces alone.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliEnv } from '../helpers/cli.ts';
import { openDatabase } from '../../src/db/client.ts';
import { ENGINES, dropCreatedDatabases } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('kpibot seed-demo / demo purge on %s', (engine) => {
  const env = cliEnv(engine, 'kpibot-demo-cli-');

  async function counts(): Promise<Record<string, number>> {
    const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: join(env.DATA_DIR!, 'pglite') });
    try {
      const out: Record<string, number> = {};
      for (const t of ['workspaces', 'stores', 'skus', 'fact_sales_daily', 'fact_ads_daily', 'goals', 'sync_runs']) {
        const [row] = await database.query<{ n: number }>(sql.raw(`select count(*) as n from ${t}`));
        out[t] = row!.n;
      }
      const audit = await database.query<{ action: string }>(sql`select action from audit_log where entity_id = 'demo' order by id`);
      out.audit = audit.length;
      out.seedAudits = audit.filter((a) => a.action === 'seed').length;
      out.purgeAudits = audit.filter((a) => a.action === 'purge').length;
      return out;
    } finally {
      await database.close();
    }
  }

  it('rejects a bad anchor, seed or purge without --yes as usage errors (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['seed-demo', '--anchor', '2026-02-30'], /--anchor must be a date/],
      [['seed-demo', '--anchor', 'yesterday'], /--anchor must be a date/],
      [['seed-demo', '--anchor', '2019-06-01'], /2024-04-01 or later/],
      [['seed-demo', '--anchor', '2999-01-01'], /not be later than yesterday/],
      [['seed-demo', '--seed', 'lucky'], /--seed must be a whole number/],
      [['seed-demo', '--seed', '-3'], /--seed must be a whole number|Unknown option|argument/i],
      [['demo', 'purge'], /add --yes/],
      [['demo', 'erase', '--yes'], /usage: kpibot demo purge --yes/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(env, ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(re);
    }
    expect((await counts()).workspaces).toBe(0);
  });

  it('seeds once, refuses a second seed without writing, purges only the demo', { timeout: 180_000 }, async () => {
    expect((await cli(env, 'workspace', 'create', 'acme')).code).toBe(0);
    const seeded = await cli(env, 'seed-demo', '--anchor', '2025-12-10', '--seed', '42');
    expect(seeded.err).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.out).toMatch(/^seeded the demo workspace "demo": 180 days 2025-06-14 … 2025-12-10, seed 42, [\d,]+ rows in [\d.]+ s$/);
    const after = await counts();
    expect(after.fact_sales_daily).toBeGreaterThan(10_000);
    expect(after.seedAudits).toBe(1);

    const again = await cli(env, 'seed-demo');
    expect(again.code).toBe(1);
    expect(again.err).toContain('the demo workspace already exists (anchor 2025-12-10, seed 42); nothing was changed');
    expect(again.err).toContain('kpibot demo purge --yes');
    expect(await counts()).toEqual(after);

    const purged = await cli(env, 'demo', 'purge', '--yes');
    expect(purged.code).toBe(0);
    expect(purged.out).toContain('purged the demo workspace "demo"');
    const gone = await counts();
    expect(gone).toMatchObject({ workspaces: 1, stores: 0, skus: 0, fact_sales_daily: 0, goals: 0, sync_runs: 0, seedAudits: 1, purgeAudits: 1 });
    const list = JSON.parse((await cli(env, 'workspace', 'list', '--json')).out) as { id: string }[];
    expect(list.map((w) => w.id)).toEqual(['acme']);
    expect((await cli(env, 'demo', 'purge', '--yes')).code).toBe(1);
  });

  it('never purges a real workspace that happens to be called demo', async () => {
    expect((await cli(env, 'workspace', 'create', 'demo')).code).toBe(0);
    const r = await cli(env, 'demo', 'purge', '--yes');
    expect(r.code).toBe(1);
    expect(r.err).toContain('is not a demo workspace');
    const s = await cli(env, 'seed-demo', '--anchor', '2025-12-10');
    expect(s.code).toBe(1);
    expect((await counts()).workspaces).toBe(2);
    expect((await cli(env, 'workspace', 'delete', 'demo', '--yes')).code).toBe(0);
  });
});
