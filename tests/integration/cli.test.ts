/**
 * `kpibot` commands in process, with an explicit env, on both engines: what they print, what
 * they store, what they refuse.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliEnv } from '../helpers/cli.ts';
import { openDatabase } from '../../src/db/client.ts';
import { ENGINES, dropCreatedDatabases } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('kpibot on %s', (engine) => {
  const env = cliEnv(engine, 'kpibot-cli-');

  async function count(table: string): Promise<number> {
    const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: join(env.DATA_DIR!, 'pglite') });
    try {
      const [row] = await database.query<{ n: number }>(sql.raw(`select count(*) as n from ${table}`));
      return row!.n;
    } finally {
      await database.close();
    }
  }

  it('migrate', async () => {
    const r = await cli(env, 'migrate');
    expect(r).toMatchObject({ code: 0, out: `migrations applied (${engine})` });
  });

  it('workspace create, list, set, bind and delete, each audited', async () => {
    expect((await cli(env, 'workspace', 'create', 'acme', '--timezone', 'Europe/Berlin', '--currency', 'eur', '--locale', 'en')).out).toBe(
      'created workspace acme (Europe/Berlin, EUR, en)',
    );
    const dup = await cli(env, 'workspace', 'create', 'acme');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('workspace "acme" already exists');
    expect((await cli(env, 'workspace', 'set', 'acme', 'timezone', 'Asia/Tokyo')).out).toBe('workspace acme: timezone = Asia/Tokyo');
    expect((await cli(env, 'workspace', 'bind', 'acme', '--platform', 'slack', '--tenant', 'T0001')).out).toBe(
      'bound slack tenant T0001 to workspace acme',
    );
    const list = JSON.parse((await cli(env, 'workspace', 'list', '--json')).out);
    expect(list).toEqual([expect.objectContaining({ id: 'acme', timezone: 'Asia/Tokyo', currency: 'EUR', locale: 'en' })]);
    expect(await count('platform_tenants')).toBe(1);

    const noYes = await cli(env, 'workspace', 'delete', 'acme');
    expect(noYes.code).toBe(2);
    expect(noYes.err).toContain('--yes');
    expect((await cli(env, 'workspace', 'delete', 'acme', '--yes')).out).toBe('deleted workspace acme');
    expect(await count('workspaces')).toBe(0);
    expect(await count('platform_tenants')).toBe(0);
    // create, set, bind, delete: the trail survives the workspace.
    expect(await count('audit_log')).toBe(4);
  });

  it('token create prints the secret once and stores only its hash; list and revoke', async () => {
    await cli(env, 'workspace', 'create', 'tok');
    const created = await cli(env, 'token', 'create', '--workspace', 'tok', '--role', 'finance', '--name', 'bi');
    expect(created.code).toBe(0);
    const secret = /^(kpb_\S+)$/m.exec(created.out)?.[1];
    expect(secret).toBeDefined();
    const id = secret!.split('_')[1]!;
    const listed = await cli(env, 'token', 'list', '--workspace', 'tok');
    expect(listed.out).toContain(id);
    expect(listed.out).not.toContain(secret!.split('_')[2]!);
    expect(listed.out).toContain('never used');
    expect((await cli(env, 'token', 'revoke', id)).out).toBe(`revoked token ${id}`);
    expect((await cli(env, 'token', 'list', '--workspace', 'tok')).out).toMatch(/revoked \d{4}-/);
    const again = await cli(env, 'token', 'revoke', id);
    expect(again.code).toBe(2);
  });

  it('rejects bad arguments with a usage hint and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['workspace', 'create', 'Bad Id!'], /lowercase letters/],
      [['workspace', 'create', 'tz1', '--timezone', 'Mars/Base'], /IANA time zone/],
      [['workspace', 'create', 'cur1', '--currency', 'dollars'], /3-letter currency/],
      [['workspace', 'bind', 'x', '--platform', 'teams', '--tenant', 't'], /--platform must be one of/],
      [['token', 'create', '--workspace', 'nope', '--role', 'admin'], /no workspace "nope"/],
      [['token', 'create', '--workspace', 'tok', '--role', 'root'], /--role must be one of/],
      [['token', 'create', '--workspace', 'tok', '--role', 'manager'], /needs --team/],
      [['token', 'create', '--workspace', 'tok', '--role', 'manager', '--team', 'ghost'], /no team "ghost"/],
      [['frobnicate'], /unknown command/],
      [['workspace', 'list', '--bogus'], /Unknown option/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(env, ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(re);
      expect(r.err).toContain('kpibot help');
    }
  });

  it('fails on bad configuration with one line per problem', async () => {
    const r = await cli({ ...env, DEFAULT_CURRENCY: 'x', DEMO: 'maybe' }, 'migrate');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(2);
  });
});
