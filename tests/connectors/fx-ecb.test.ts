/**
 * The ECB FX feed end to end against a loopback ECB serving the documented XML: rates stored per
 * published day as the fx dataset expects (EUR→X and X→workspace currency crossed through EUR),
 * a KPI converted with them, re-runs that change nothing, a manual fx import that wins, the
 * stale-feed admin alert, 429 with Retry-After and a body that is not the documented XML.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { parseEcbXml } from '../../src/ingest/connectors/fx-ecb/parse.ts';
import { runConnector, type RunnerDeps } from '../../src/ingest/connectors/runner.ts';
import { saveConnector } from '../../src/ingest/connectors/service.ts';
import { importRows } from '../../src/ingest/pipeline/run-import.ts';
import { asAsync, jsonRows } from '../../src/ingest/push/json-rows.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { ecbXml, startFakeEcb, type EcbFixtureDay, type FakeEcb } from '../fakes/ecb/server.ts';

afterAll(dropCreatedDatabases);

const KEY = 's'.repeat(40);
const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const day = (date: string, usd: number): EcbFixtureDay => ({ date, rates: { USD: usd, JPY: 160, CNY: 7.5, GBP: 0.8 } });
/** Mon 16 – Fri 20 November 2026; no publication on the weekend. */
const WEEK = [day('2026-11-16', 1.04), day('2026-11-17', 1.05), day('2026-11-18', 1.06), day('2026-11-19', 1.05), day('2026-11-20', 1.08)];

describe('the ECB XML', () => {
  it('parses the documented envelope and refuses anything else', () => {
    const days = parseEcbXml(ecbXml(WEEK.slice(0, 2)));
    expect(days.map((x) => [x.date, Object.fromEntries(x.rates)])).toEqual([
      ['2026-11-16', { USD: 1.04, JPY: 160, CNY: 7.5, GBP: 0.8 }],
      ['2026-11-17', { USD: 1.05, JPY: 160, CNY: 7.5, GBP: 0.8 }],
    ]);
    expect(() => parseEcbXml('<html><body>maintenance</body></html>')).toThrow(/not in the documented shape/);
    expect(() => parseEcbXml(ecbXml([{ date: '2026-11-16', rates: { USD: -1 } }]))).toThrow(/rate USD=-1/);
    expect(() => parseEcbXml('<gesmes:Envelope><Cube><Cube time="16/11/2026"/></Cube>')).toThrow(/documented shape/);
  });
});

describe.each(ENGINES)('the ECB FX feed on %s', (engine) => {
  let d: Database;
  let ecb: FakeEcb;
  beforeAll(async () => {
    ecb = await startFakeEcb([...WEEK]);
  });
  afterAll(async () => ecb?.close());
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await x.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
    await x.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
      ('w', 'us', 'US', 'amazon', 'US', 'USD', 'UTC'), ('w', 'de', 'DE', 'amazon', 'DE', 'EUR', 'Europe/Berlin'), ('w', 'jp', 'JP', 'amazon', 'JP', 'JPY', 'Asia/Tokyo')`);
    await x.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source) values
      ('w', '2026-11-18', 'de', 'B', 'fba', 1, 100, 'EUR', 'api'), ('w', '2026-11-20', 'de', 'B', 'fba', 1, 50, 'EUR', 'api'),
      ('w', '2026-11-19', 'jp', 'C', 'fba', 1, 1000, 'JPY', 'api'), ('w', '2026-11-18', 'us', 'A', 'fba', 1, 10, 'USD', 'api')`);
    await x.query(sql`insert into users (workspace_id, id, display_name) values ('w', 'ann', 'Ann')`);
    await x.query(sql`insert into role_assignments (workspace_id, user_id, role) values ('w', 'ann', 'admin')`);
    await x.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('slack', 'T1', 'U_ANN', 'w', 'ann')`);
    await saveConnector(x, KEY, 'w', { id: 'ecb', kind: 'fx_feed', settings: { baseUrl: ecb.baseUrl }, createdBy: 'ann' });
    ecb.days = [...WEEK];
    ecb.faults.length = 0;
    ecb.requests.length = 0;
  });

  function deps(start: string): RunnerDeps & { slept: number[]; at(iso: string): void } {
    let clock = new Date(start);
    const slept: number[] = [];
    return {
      database: d, publicUrl: 'http://localhost:3000', secretsKey: KEY, now: () => clock, slept,
      sleep: async (ms) => {
        slept.push(ms);
        clock = new Date(clock.getTime() + ms);
      },
      at: (iso) => (clock = new Date(iso)),
    };
  }
  const run = (x: RunnerDeps, over: { from?: string; to?: string } = {}) => runConnector(x, { workspaceId: 'w', connectorId: 'ecb', requestedBy: 'test', ...over });
  const rates = () => d.query<{ date: string; from_ccy: string; to_ccy: string; rate: string; source: string }>(sql`
    select date::text as date, from_ccy, to_ccy, rate::text as rate, source from fx_rates where workspace_id = 'w' order by date, from_ccy, to_ccy`);
  const gmvUsd = () => queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: 'custom:2026-11-16..2026-11-20', principal: admin, now: new Date('2026-11-30T00:00:00Z') });

  it('stores each published day as fx rows and a KPI converts with them; a re-run changes nothing', async () => {
    const x = deps('2026-11-20T17:00:00Z');
    const r = await run(x);
    // First run: 7 days back through today (rates publish intraday) → the 90-day file is read too.
    expect(r).toMatchObject({ status: 'ok', window: { from: '2026-11-14', to: '2026-11-20' } });
    expect(ecb.requests.map((q) => q.path)).toEqual(['/stats/eurofxref/eurofxref-daily.xml', '/stats/eurofxref/eurofxref-hist-90d.xml']);
    const stored = await rates();
    // Per day: EUR→USD/JPY/CNY/GBP and JPY/CNY/GBP→USD = 7 rows; 5 days = 35.
    expect(stored).toHaveLength(35);
    expect(stored.every((s) => s.source === 'ecb')).toBe(true);
    const at = (date: string, from: string, to: string) => stored.find((s) => s.date === date && s.from_ccy === from && s.to_ccy === to)?.rate;
    expect(Number(at('2026-11-18', 'EUR', 'USD'))).toBe(1.06);
    expect(Number(at('2026-11-18', 'CNY', 'USD'))).toBe(0.14133333); // 1.06 / 7.5 = 0.141333…
    expect(Number(at('2026-11-20', 'GBP', 'USD'))).toBe(1.35); // 1.08 / 0.8
    expect(Number(at('2026-11-19', 'JPY', 'USD'))).toBe(0.0065625); // 1.05 / 160
    const k = await gmvUsd();
    // de 100 EUR × 1.06 + 50 EUR × 1.08 + jp 1000 JPY × 0.0065625 + us 10 = 106 + 54 + 6.5625 + 10.
    expect(k.total.gmv).toBeCloseTo(176.5625, 2);
    expect(k.fx).toEqual({ mode: 'daily', stale: false, latestRateDay: '2026-11-20' });

    const [runRow] = await d.query<{ kind: string; connector_id: string; dataset: string; source: string; status: string }>(sql`select kind, connector_id, dataset, source, status from sync_runs`);
    expect(runRow).toEqual({ kind: 'connector', connector_id: 'ecb', dataset: 'fx', source: 'api', status: 'ok' });
    expect((await run(x, { from: '2026-11-14', to: '2026-11-20' })).status).toBe('ok');
    expect(await rates()).toEqual(stored);
    expect((await gmvUsd()).total.gmv).toBeCloseTo(176.5625, 2);
  });

  it('never replaces a manually imported rate', async () => {
    const manual = await importRows(d, asAsync(jsonRows([{ date: '2026-11-18', from_ccy: 'EUR', to_ccy: 'USD', rate: '1.10' }])), { workspaceId: 'w', dataset: 'fx', requestedBy: 'ann' });
    expect(manual.status).toBe('ok');
    expect((await run(deps('2026-11-20T17:00:00Z'))).status).toBe('ok');
    const eurUsd = (await rates()).filter((s) => s.from_ccy === 'EUR' && s.to_ccy === 'USD');
    expect(eurUsd.map((s) => [s.date, Number(s.rate), s.source])).toEqual([
      ['2026-11-16', 1.04, 'ecb'], ['2026-11-17', 1.05, 'ecb'], ['2026-11-18', 1.1, 'manual'], ['2026-11-19', 1.05, 'ecb'], ['2026-11-20', 1.08, 'ecb'],
    ]);
    // de 100 × 1.10 (manual) + 54 + 6.5625 + 10 = 180.5625.
    expect((await gmvUsd()).total.gmv).toBeCloseTo(180.5625, 2);
    // A later manual import still replaces a feed rate.
    await importRows(d, asAsync(jsonRows([{ date: '2026-11-19', from_ccy: 'EUR', to_ccy: 'USD', rate: '1.00' }])), { workspaceId: 'w', dataset: 'fx', requestedBy: 'ann' });
    expect((await rates()).find((s) => s.date === '2026-11-19' && s.from_ccy === 'EUR' && s.to_ccy === 'USD')).toMatchObject({ rate: '1.00000000', source: 'manual' });
  });

  it('alerts the admins once when the feed is more than 3 days stale, and resolves when fresh', async () => {
    const x = deps('2026-11-20T17:00:00Z');
    await run(x);
    x.at('2026-11-23T17:00:00Z'); // Monday: Friday's rates are 3 days old, the normal weekend
    ecb.faults.push({ status: 503 });
    expect((await run(x)).errorCode).toBe('provider_unavailable');
    expect(await d.query(sql`select id from alerts`)).toHaveLength(0);
    x.at('2026-11-24T17:00:00Z'); // 4 days
    ecb.faults.push({ status: 503 }, { status: 503 });
    expect((await run(x)).errorCode).toBe('provider_unavailable');
    expect((await run(x)).errorCode).toBe('provider_unavailable');
    // One stale alert for the two checks at 4 days; the third failure in a row adds the connector's own.
    const alerts = await d.query<{ scope_key: string; status: string; title: string }>(sql`select scope_key, status, title from alerts order by id`);
    expect(alerts).toEqual([
      { scope_key: 'fx:feed:stale', status: 'open', title: 'FX feed stale: the newest rate is from 2026-11-20 (4 days ago)' },
      { scope_key: 'connector:ecb:failing', status: 'open', title: 'ECB reference rates (ecb): 3 runs failed in a row (provider_unavailable)' },
    ]);
    const dms = await d.query<{ target: { chatId: string }; source_id: string }>(sql`select target, source_id from deliveries order by id`);
    expect(dms.map((m) => m.target.chatId)).toEqual(['user:U_ANN', 'user:U_ANN']);
    ecb.days = [...WEEK, day('2026-11-23', 1.07), day('2026-11-24', 1.09)];
    const fresh = await run(x);
    // Last success ended 11-20; re-pull 3 days → from 11-18, through today 11-24.
    expect(fresh).toMatchObject({ status: 'ok', window: { from: '2026-11-18', to: '2026-11-24' } });
    expect(await d.query(sql`select scope_key, status from alerts order by id`)).toEqual([
      { scope_key: 'fx:feed:stale', status: 'resolved' }, { scope_key: 'connector:ecb:failing', status: 'resolved' },
    ]);
  });

  it('waits out a 429 with Retry-After and records a body that is not the documented XML', async () => {
    const x = deps('2026-11-20T17:00:00Z');
    ecb.faults.push({ status: 429, retryAfter: 2 });
    const r = await run(x, { from: '2026-11-20', to: '2026-11-20' });
    expect(r).toMatchObject({ status: 'ok', waits: [2] });
    expect(x.slept).toEqual([2000]);
    // 429 on the daily file, then the daily file again (11-20 is its day: no history needed).
    expect(ecb.requests).toHaveLength(2);
    expect(await rates()).toHaveLength(7);
    ecb.faults.push({ status: 200, body: '<html>Service temporarily unavailable</html>' });
    const bad = await run(x, { from: '2026-11-19', to: '2026-11-20' });
    expect(bad).toMatchObject({ status: 'failed', errorCode: 'malformed_response' });
    const [failed] = await d.query<{ status: string; error_code: string }>(sql`select status, error_code from sync_runs order by id desc limit 1`);
    expect(failed).toEqual({ status: 'failed', error_code: 'malformed_response' });
    expect(await rates()).toHaveLength(7);
  });

  it('records a run with no rows for a window without a publication (a weekend)', async () => {
    const r = await run(deps('2026-11-23T08:00:00Z'), { from: '2026-11-21', to: '2026-11-22' });
    expect(r).toMatchObject({ status: 'ok', runs: [{ dataset: 'fx', status: 'ok', rowsAccepted: 0 }] });
    expect(await d.query(sql`select kind, connector_id, status, rows_accepted from sync_runs`)).toEqual([{ kind: 'connector', connector_id: 'ecb', status: 'ok', rows_accepted: 0 }]);
    expect(await rates()).toHaveLength(0);
  });
});
