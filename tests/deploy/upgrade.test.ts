/**
 * Rolling upgrade, tested: the previous release's code (unpacked from git history) runs its own
 * server against a database migrated to the NEW schema. It starts (its migrate is a no-op), is
 * ready, answers KPI questions exactly as the new code does, and its writes (a CSV import) are
 * read back by the new code. On Postgres both run at the same time on one database, as two
 * replicas do mid-rollout; PGlite is single-process, so there they take turns on one data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, createPostgresDatabase, dropCreatedDatabases } from '../helpers/db.ts';
import { extractPreviousRelease, startOldServer, type Release } from './old-release.ts';

const QUERY = '/api/v1/kpi?metrics=gmv,units&period=custom:2026-11-01..2026-11-03&groupBy=store';
// Imported by the OLD release through its REST import, read back by the new code.
const CSV = 'date,store_id,sku_id,units_ordered,order_count,gross_sales\n2026-11-03,gz,C,2,2,50\n';

let release: Release;
const temps: string[] = [];
beforeAll(() => {
  release = extractPreviousRelease();
  temps.push(release.dir);
});
afterAll(async () => {
  await dropCreatedDatabases();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('acme', 'Acme', 'Asia/Shanghai', 'CNY', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
    ('acme', 'sh', 'Shanghai', 'shopify', 'CN', 'CNY', 'Asia/Shanghai'), ('acme', 'sz', 'Shenzhen', 'shopify', 'CN', 'CNY', 'Asia/Shanghai'),
    ('acme', 'gz', 'Guangzhou', 'shopify', 'CN', 'CNY', 'Asia/Shanghai')`);
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source) values
    ('acme', '2026-11-01', 'sh', 'A', 'platform', 3, 120.5, 'CNY', 'api'),
    ('acme', '2026-11-02', 'sh', 'A', 'platform', 1, 30, 'CNY', 'api'),
    ('acme', '2026-11-01', 'sz', 'B', 'platform', 1, 10, 'CNY', 'api')`);
}

// By hand: sh = 120.5 + 30 = 150.5 CNY, 4 units; sz = 10 CNY, 1 unit; total 160.5, 5 units.
const BEFORE = { total: { gmv: 160.5, units: 5 }, rows: [{ store: 'sh', gmv: 150.5, units: 4 }, { store: 'sz', gmv: 10, units: 1 }] };
// After the old release imports gz 2026-11-03 (2 units, 50 CNY; gz had no rows and so no primary
// source yet, so the file becomes it): total 210.5 CNY, 7 units.
const AFTER = {
  total: { gmv: 210.5, units: 7 },
  rows: expect.arrayContaining([{ store: 'sh', gmv: 150.5, units: 4 }, { store: 'sz', gmv: 10, units: 1 }, { store: 'gz', gmv: 50, units: 2 }]),
};

async function oldGet(url: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url + path);
  return { status: res.status, body: await res.json() };
}

describe('the previous release on the new schema', () => {
  it('is an older commit of this history, on a schema the new one only adds to', () => {
    expect(release.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(release.oldMigrations.length).toBeGreaterThan(10);
    expect(release.newMigrations.length).toBeGreaterThan(0);
  });
});

describe.each(ENGINES)('rolling upgrade on %s', (engine) => {
  it('old code starts, is ready, answers like the new code and writes rows the new code reads', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kpibot-upgrade-'));
    temps.push(dataDir);
    const url = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    const open = () => openDatabase(url ? { url, poolSize: 4 } : { pgliteDir: join(dataDir, 'pglite') });

    // The new release migrates (expand) and writes.
    let d = await open();
    await d.migrate();
    const [applied] = await d.query<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(Number(applied!.n)).toBe(release.oldMigrations.length + release.newMigrations.length);
    await seed(d);
    const built = await buildTestApp(d);
    const fresh = await built.app.inject({ method: 'GET', url: QUERY });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toMatchObject(BEFORE);
    if (engine === 'pglite') {
      await built.app.close();
      await d.close();
    }

    const old = await startOldServer(release.dir, { DATA_DIR: dataDir, DEMO: 'off', ...(url ? { DATABASE_URL: url } : {}) });
    try {
      const ready = await oldGet(old.url, '/readyz');
      expect(ready, old.output()).toMatchObject({ status: 200, body: { ready: true } });
      const answer = await oldGet(old.url, QUERY);
      expect(answer.status).toBe(200);
      // The same numbers; answer metadata may grow between releases (e.g. `fx` stopped dating
      // same-currency answers), so only what the answer says is compared.
      const said = (b: unknown) => {
        const { period, currency, total, rows } = b as Record<string, unknown>;
        return { period, currency, total, rows };
      };
      expect(said(answer.body)).toEqual(said(fresh.json()));

      const imported = await fetch(`${old.url}/api/v1/imports/orders`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV });
      expect(imported.status, await imported.clone().text()).toBe(200);
      expect(await oldGet(old.url, QUERY)).toMatchObject({ status: 200, body: AFTER });

      if (engine === 'postgres') {
        // Both releases live on one database: the new one sees the old one's import at once.
        const now = await built.app.inject({ method: 'GET', url: QUERY });
        expect(now.json()).toMatchObject(AFTER);
      }
    } finally {
      expect(await old.stop()).toBe(0);
    }

    if (engine === 'pglite') {
      d = await open();
      const reopened = await buildTestApp(d);
      expect((await reopened.app.inject({ method: 'GET', url: QUERY })).json()).toMatchObject(AFTER);
    }
    await d.close();
  });
});
