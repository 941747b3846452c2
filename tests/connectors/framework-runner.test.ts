/**
 * The connector framework with a small in-test connector definition (a provider fake is not
 * needed to exercise the framework itself; the ECB tests go through HTTP): credentials encrypted
 * at rest and absent from logs and error messages, the incremental window with its re-pull,
 * re-running a window changes nothing, auth_revoked alerts the admins once, rate limits back off
 * on a fake clock, three failures in a row alert.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { decryptCredentials, encryptCredentials } from '../../src/ingest/connectors/credentials.ts';
import { registerConnector } from '../../src/ingest/connectors/registry.ts';
import { runConnector, type RunnerDeps } from '../../src/ingest/connectors/runner.ts';
import { listConnectors, saveConnector } from '../../src/ingest/connectors/service.ts';
import { ConnectorError, type ConnectorDefinition, type PullContext } from '../../src/ingest/connectors/types.ts';
import { addDays } from '../../src/kpi/dates.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const KEY = 'k'.repeat(40);
const SECRET = 'shpat_SECRET_9f8e7d6c5b4a';
const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };

/** What the fake provider does on the next pulls, and the windows it was asked for. */
const provider = { mode: 'ok' as 'ok' | 'revoked' | 'limited' | 'down', limitedTimes: 0, retryAfter: undefined as number | undefined, windows: [] as string[] };

/** Orders for each day of the window: 1 unit at 10 × day-of-month (11-20 → 200). */
const fakeShop: ConnectorDefinition = {
  kind: 'shopify',
  label: { en: 'Test shop', zh: '测试店铺' },
  datasets: ['orders'],
  source: 'api',
  configSchema: [
    { key: 'shop', label: { en: 'Shop', zh: '店铺' }, secret: false, required: true, kind: 'string' },
    { key: 'token', label: { en: 'Token', zh: '令牌' }, secret: true, required: true, kind: 'string' },
  ],
  repullDays: 2,
  initialDays: 3,
  async test(ctx) {
    return { ok: true, detail: `shop ${String(ctx.config.shop)}` };
  },
  async *pull(ctx: PullContext) {
    provider.windows.push(`${ctx.from}..${ctx.to}`);
    ctx.log(`calling the shop with token ${ctx.credentials.token}`, { auth: `Bearer ${ctx.credentials.token}` });
    if (provider.mode === 'revoked') throw new ConnectorError('auth_revoked', `token ${ctx.credentials.token} was revoked`);
    if (provider.mode === 'down') throw new ConnectorError('provider_unavailable', 'the shop answered 503');
    if (provider.mode === 'limited' && provider.limitedTimes-- > 0) throw new ConnectorError('rate_limited', 'slow down', provider.retryAfter);
    const rows = [{ row: 0, cells: ['date', 'sku_id', 'units_ordered', 'gross_sales'] }];
    for (let d = ctx.from; d <= ctx.to; d = addDays(d, 1)) rows.push({ row: rows.length, cells: [d, 'SKU1', '1', String(10 * Number(d.slice(8)))] });
    yield { dataset: 'orders', rows };
  },
};

describe.each(ENGINES)('connector framework on %s', (engine) => {
  let d: Database;
  let unregister: () => void;
  beforeAll(() => {
    unregister = registerConnector(fakeShop);
  });
  afterAll(() => unregister());
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await x.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
    await x.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'us', 'US', 'shopify', 'US', 'USD', 'America/Los_Angeles')`);
    await x.query(sql`insert into users (workspace_id, id, display_name) values ('w', 'ann', 'Ann'), ('w', 'fay', 'Fay')`);
    await x.query(sql`insert into role_assignments (workspace_id, user_id, role) values ('w', 'ann', 'admin'), ('w', 'fay', 'operator')`);
    await x.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('slack', 'T1', 'U_ANN', 'w', 'ann'), ('slack', 'T1', 'U_FAY', 'w', 'fay')`);
    Object.assign(provider, { mode: 'ok', limitedTimes: 0, retryAfter: undefined, windows: [] });
  });

  function harness(start: string) {
    let clock = new Date(start);
    const slept: number[] = [];
    const logs: string[] = [];
    const stream = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
    const deps: RunnerDeps = {
      database: d, publicUrl: 'http://localhost:3000', secretsKey: KEY, logger: pino({ level: 'info' }, stream),
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock = new Date(clock.getTime() + ms);
      },
    };
    return { deps, slept, logs, at: (iso: string) => (clock = new Date(iso)) };
  }
  const save = () => saveConnector(d, KEY, 'w', { id: 'shop1', kind: 'shopify', storeId: 'us', settings: { shop: 'acme', token: SECRET }, createdBy: 'ann' });
  const gmv = async (from: string, to: string) => (await queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: `custom:${from}..${to}`, principal: admin, now: new Date('2026-12-01T00:00:00Z') })).total.gmv;
  const facts = () => d.query<{ date: string; units_ordered: number; gross_sales: string; source: string }>(sql`
    select date::text as date, units_ordered, gross_sales::text as gross_sales, source from fact_sales_daily where workspace_id = 'w' order by date`);

  it('stores secrets only encrypted, refuses a wrong key clearly, and lists without values', async () => {
    const view = await save();
    expect(view).toMatchObject({ id: 'shop1', kind: 'shopify', storeId: 'us', state: 'active', config: { shop: 'acme' }, secretsSet: ['token'] });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    const [row] = await d.query<{ config: unknown; credentials_encrypted: string }>(sql`select config, credentials_encrypted from connectors where id = 'shop1'`);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(JSON.stringify(row)).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 12));
    expect(row!.credentials_encrypted).toMatch(/^kb1\.[0-9a-f]{8}\./);
    expect(decryptCredentials(KEY, 'w', 'shop1', row!.credentials_encrypted)).toEqual({ token: SECRET });
    expect(() => decryptCredentials('z'.repeat(40), 'w', 'shop1', row!.credentials_encrypted)).toThrow(/encrypted with key [0-9a-f]{8}, but SECRETS_KEY is key [0-9a-f]{8}/);
    expect(() => decryptCredentials(undefined, 'w', 'shop1', row!.credentials_encrypted)).toThrow(/SECRETS_KEY is not set/);
    // Associated data: the same envelope on another connector's row does not decrypt.
    expect(() => decryptCredentials(KEY, 'w', 'shop2', row!.credentials_encrypted)).toThrow(/do not decrypt/);
    expect(encryptCredentials(KEY, 'w', 'shop1', { token: SECRET })).not.toBe(row!.credentials_encrypted);
    expect((await listConnectors(d, KEY, 'w'))[0]!.secretsSet).toEqual(['token']);
    await expect(saveConnector(d, KEY, 'w', { id: 'shop2', kind: 'shopify', settings: { shop: 'x' }, createdBy: 'ann' })).rejects.toThrow(/"token" is required/);
    await expect(saveConnector(d, KEY, 'w', { id: 'shop2', kind: 'shopify', settings: { shop: 'x', token: 't', bogus: 1 }, createdBy: 'ann' })).rejects.toThrow(/unknown setting "bogus"/);
    // An update without the secret keeps it.
    await saveConnector(d, KEY, 'w', { id: 'shop1', kind: 'shopify', settings: { shop: 'acme2' }, createdBy: 'ann' });
    const [again] = await d.query<{ credentials_encrypted: string }>(sql`select credentials_encrypted from connectors where id = 'shop1'`);
    expect(decryptCredentials(KEY, 'w', 'shop1', again!.credentials_encrypted)).toEqual({ token: SECRET });
  });

  it('pulls since the last success minus the re-pull days through yesterday, and a re-run changes nothing', async () => {
    await save();
    const h = harness('2026-11-23T12:00:00Z'); // 04:00 in Los Angeles: yesterday there is 11-22
    const first = await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' });
    // No success yet: initialDays 3 → 11-20..11-22; gmv 200 + 210 + 220 = 630.
    expect(first).toMatchObject({ status: 'ok', window: { from: '2026-11-20', to: '2026-11-22' }, state: 'active' });
    expect(await gmv('2026-11-01', '2026-11-30')).toBe(630);
    h.at('2026-11-25T12:00:00Z');
    const second = await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' });
    // Last window ended 11-22; re-pull 2 days → 11-21..11-24 (yesterday in LA).
    expect(second.window).toEqual({ from: '2026-11-21', to: '2026-11-24' });
    // 200 + 210 + 220 + 230 + 240: 11-21 and 11-22 replaced, not added.
    expect(await gmv('2026-11-01', '2026-11-30')).toBe(1100);
    const before = await facts();
    const again = await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', from: '2026-11-21', to: '2026-11-24', requestedBy: 'test' });
    expect(again.status).toBe('ok');
    expect(await facts()).toEqual(before);
    expect(before).toHaveLength(5);
    expect(before.every((f) => f.source === 'api')).toBe(true);
    expect(await gmv('2026-11-01', '2026-11-30')).toBe(1100);
    const runs = await d.query<{ kind: string; connector_id: string; store_id: string; status: string; source: string }>(sql`select kind, connector_id, store_id, status, source from sync_runs order by id`);
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.kind === 'connector' && r.connector_id === 'shop1' && r.store_id === 'us' && r.status === 'ok' && r.source === 'api')).toBe(true);
    expect(provider.windows).toEqual(['2026-11-20..2026-11-22', '2026-11-21..2026-11-24', '2026-11-21..2026-11-24']);
    // A bad window is refused before anything is pulled.
    await expect(runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', from: '2026-11-24', to: '2026-11-21', requestedBy: 'test' })).rejects.toThrow(/from must not be after to/);
    await expect(runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', from: '2026-11-24', to: '2026-11-30', requestedBy: 'test' })).rejects.toThrow(/future/);
    await expect(runConnector(h.deps, { workspaceId: 'w', connectorId: 'nope', requestedBy: 'test' })).rejects.toThrow(/no connector "nope"/);
    expect(provider.windows).toHaveLength(3);
  });

  it('parks a revoked connector and alerts the admins once, with the secret redacted everywhere', async () => {
    await save();
    const h = harness('2026-11-23T12:00:00Z');
    provider.mode = 'revoked';
    const r1 = await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' });
    const r2 = await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' });
    expect(r1).toMatchObject({ status: 'failed', errorCode: 'auth_revoked', state: 'auth_revoked', message: 'token *** was revoked' });
    expect(r2.state).toBe('auth_revoked');
    const alerts = await d.query<{ type: string; scope_key: string; status: string; title: string }>(sql`select type, scope_key, status, title from alerts`);
    expect(alerts).toEqual([{ type: 'freshness', scope_key: 'connector:shop1:auth_revoked', status: 'open', title: expect.stringContaining('授权失效') }]);
    const dms = await d.query<{ target: { chatId: string; kind: string }; payload: unknown }>(sql`select target, payload from deliveries`);
    expect(dms.map((x) => x.target)).toEqual([expect.objectContaining({ chatId: 'user:U_ANN', kind: 'direct' })]);
    expect(JSON.stringify(dms[0]!.payload)).toContain('re-authorise');
    const [c] = await d.query<{ state: string; consecutive_failures: number; last_error_code: string }>(sql`select state, consecutive_failures, last_error_code from connectors`);
    expect(c).toEqual({ state: 'auth_revoked', consecutive_failures: 2, last_error_code: 'auth_revoked' });
    const failed = await d.query<{ status: string; error_code: string; error_message: string; dataset: string }>(sql`select status, error_code, error_message, dataset from sync_runs`);
    expect(failed).toHaveLength(2);
    expect(failed[0]).toEqual({ status: 'failed', error_code: 'auth_revoked', error_message: 'token *** was revoked', dataset: 'orders' });
    const everything = JSON.stringify([h.logs, dms, failed, await d.query(sql`select * from alerts`), await d.query(sql`select * from connectors`)]);
    expect(everything).not.toContain(SECRET);
    expect(h.logs.join('')).toContain('calling the shop with token ***');
    // New credentials re-activate it; the next success resolves the alert.
    const view = await saveConnector(d, KEY, 'w', { id: 'shop1', kind: 'shopify', settings: { token: 'shpat_NEW_0001' }, createdBy: 'ann' });
    expect(view.state).toBe('active');
    provider.mode = 'ok';
    expect((await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' })).status).toBe('ok');
    expect((await d.query<{ status: string }>(sql`select status from alerts`))[0]!.status).toBe('resolved');
  });

  it('backs off on rate limits, honouring Retry-After, on a fake clock', async () => {
    await save();
    const h = harness('2026-11-23T12:00:00Z');
    Object.assign(provider, { mode: 'limited', limitedTimes: 2, retryAfter: 7 });
    const ok = await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' });
    expect(ok).toMatchObject({ status: 'ok', waits: [7, 7] });
    expect(h.slept).toEqual([7000, 7000]);
    // Without Retry-After: 30 s, 60 s, 120 s, then the run gives up (4 refusals > 3 retries).
    Object.assign(provider, { limitedTimes: 10, retryAfter: undefined });
    const gaveUp = await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' });
    expect(gaveUp).toMatchObject({ status: 'failed', errorCode: 'rate_limited', waits: [30, 60, 120], state: 'failing' });
    expect(h.slept).toEqual([7000, 7000, 30_000, 60_000, 120_000]);
    // A Retry-After longer than the limit ends the run at once instead of holding it for an hour.
    Object.assign(provider, { limitedTimes: 1, retryAfter: 3600 });
    expect(await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' })).toMatchObject({ status: 'failed', waits: [] });
    expect(h.slept).toHaveLength(5);
  });

  it('retries an unavailable provider on the next slot and alerts after three failures in a row', async () => {
    await save();
    const h = harness('2026-11-23T12:00:00Z');
    provider.mode = 'down';
    for (let i = 0; i < 4; i++) expect((await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' })).errorCode).toBe('provider_unavailable');
    expect(h.slept).toEqual([]);
    const alerts = await d.query<{ scope_key: string }>(sql`select scope_key from alerts`);
    expect(alerts).toEqual([{ scope_key: 'connector:shop1:failing' }]);
    expect(await d.query(sql`select id from deliveries`)).toHaveLength(1);
    const [c] = await d.query<{ state: string; consecutive_failures: number }>(sql`select state, consecutive_failures from connectors`);
    expect(c).toEqual({ state: 'failing', consecutive_failures: 4 });
    provider.mode = 'ok';
    // The failed runs never succeeded, so the window is still the initial one.
    expect((await runConnector(h.deps, { workspaceId: 'w', connectorId: 'shop1', requestedBy: 'test' })).window).toEqual({ from: '2026-11-20', to: '2026-11-22' });
    const [after] = await d.query<{ state: string; consecutive_failures: number }>(sql`select state, consecutive_failures from connectors`);
    expect(after).toEqual({ state: 'active', consecutive_failures: 0 });
  });
});
