/**
 * The real entry point as a user runs it: no env but a data dir, PGlite, a second start on the
 * same data dir refused, the CLI refused while the server runs, SIGTERM exits cleanly, and a
 * restart finds the data written before.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKpibot, startServer } from '../helpers/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kpibot-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start on PGlite', () => {
  it('starts with no configuration, guards its data dir, stops on SIGTERM and keeps data across restarts', async () => {
    const env = { DATA_DIR: dataDir, DEMO: 'off' };
    // Written before the first start: the CLI migrates and creates a workspace and a token.
    const created = await runKpibot(['workspace', 'create', 'acme', '--name', 'Acme 跨境'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const token = await runKpibot(['token', 'create', '--workspace', 'acme', '--role', 'admin', '--json'], env);
    expect(token.code).toBe(0);
    const { token: secret } = JSON.parse(token.stdout) as { token: string };

    const server = await startServer(env);
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);

      const lock = JSON.parse(readFileSync(join(dataDir, 'server.lock'), 'utf8'));
      expect(lock).toMatchObject({ pid: server.child.pid, role: 'server' });
      expect(lock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const audit = await fetch(`${server.url}/api/v1/audit?entity=workspace`, { headers: { authorization: `Bearer ${secret}` } });
      expect(audit.status).toBe(200);
      const body = (await audit.json()) as { entries: { action: string; entityId: string }[] };
      expect(body.entries).toEqual([expect.objectContaining({ action: 'create', entityId: 'acme' })]);

      const cli = await runKpibot(['workspace', 'list'], env);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`the database is in use by a running server (pid ${server.child.pid})`);

      await expect(startServer(env, 30_000)).rejects.toThrow(/in use by a running server/);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(false);

    const again = await runKpibot(['workspace', 'list', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual([expect.objectContaining({ id: 'acme', name: 'Acme 跨境' })]);
    // Six processes start here, each loading the whole service through tsx: on a loaded CI box
    // that alone can pass the 30 s default.
  }, 120_000);

  it('exits 1 with one line per problem on a bad environment', async () => {
    await expect(startServer({ DATA_DIR: dataDir, PORT: 'x', DEFAULT_LOCALE: 'fr', SLACK_BOT_TOKEN: 'xoxb' }, 30_000)).rejects.toThrow(
      /exited with 1[\s\S]*config: PORT[\s\S]*config: DEFAULT_LOCALE/,
    );
  });
});
