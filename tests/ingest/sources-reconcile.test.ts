/**
 * One source of truth, worked by hand: us-main's week 2026-11-16..22 arrives from an ERP file
 * (400 + 600 = 1,000, counted: first seen) and from a push (450 + 600 = 1,050, stored, not
 * counted). `data check` compares a typed Seller Central total (1,100) with both; `data source
 * primary` and `PUT /api/v1/sources/primary` switch the counted source (admins, audited); the
 * weekly job sends the flagged differences to the admins' DMs and the bound group of the store's
 * team, once per week; `data report` shows an import's row errors.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import { createToken } from '../../src/access/tokens.ts';
import type { Database } from '../../src/db/client.ts';
import { recordManualCheck } from '../../src/ingest/manual-checks.ts';
import { importRows } from '../../src/ingest/pipeline/run-import.ts';
import { reconciliationJobs, runWeeklyReconciliation } from '../../src/ingest/reconcile-job.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'acme', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: false };
type Msg = { text?: string; card?: { title: string; blocks: { type: string; markdown?: string; text?: string; fields?: { label: string; value: string }[] }[] } };
const shown = (m: Msg | undefined) => (m?.text ?? '') + (m?.card ? [m.card.title, ...m.card.blocks.map((b) => b.markdown ?? b.text ?? (b.fields ?? []).map((f) => `${f.label}: ${f.value}`).join('\n'))].join('\n') : '');

async function* rows(lines: string[]) {
  let n = 0;
  for (const l of lines) yield { row: ++n, cells: l.split(',') };
}

describe.each(ENGINES)('sources and reconciliation on %s', (engine) => {
  let d!: Database;
  let erpRun = 0;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await insertWorkspace(x, { id: 'acme', currency: 'USD', timezone: 'UTC', locale: 'en' });
    const stores = ['store_id,name,platform,marketplace,currency,timezone', 'us-main,US Main,amazon,US,USD,UTC', 'de-main,DE Main,amazon,DE,EUR,UTC'];
    expect((await importRows(x, rows(stores), { workspaceId: 'acme', dataset: 'stores', requestedBy: 'test' })).status).toBe('ok');
    await x.query(sql`insert into teams (workspace_id, id, name) values ('acme', 'us-team', 'US'), ('acme', 'de-team', 'DE')`);
    await x.query(sql`update stores set team_id = case id when 'us-main' then 'us-team' else 'de-team' end`);
    await x.query(sql`insert into users (workspace_id, id, display_name) values ('acme', 'ann', 'Ann'), ('acme', 'fay', 'Fay')`);
    await x.query(sql`insert into role_assignments (workspace_id, user_id, role) values ('acme', 'ann', 'admin'), ('acme', 'fay', 'finance')`);
    const head = 'date,store_id,sku_id,units_ordered,gross_sales';
    const erp = await importRows(x, rows([head, '2026-11-16,us-main,A-1,4,400', '2026-11-20,us-main,A-1,6,600', '2026-11-20,nowhere,A-1,1,5']), { workspaceId: 'acme', dataset: 'orders', requestedBy: 'test' });
    expect(erp).toMatchObject({ status: 'partial', rowsAccepted: 2, rowsRejected: 1 });
    erpRun = erp.runId;
    const push = await importRows(x, rows([head, '2026-11-16,us-main,A-1,4,450', '2026-11-20,us-main,A-1,6,600']), { workspaceId: 'acme', dataset: 'orders', requestedBy: 'test', kind: 'push' });
    expect(push).toMatchObject({ status: 'ok', secondaryRows: 2 });
  });
  const gmv = async () => (await queryKpi(d, { workspaceId: 'acme', metrics: ['gmv'], period: 'custom:2026-11-16..2026-11-22', principal: admin, now: new Date('2026-11-24T00:00:00Z') })).total.gmv;

  it('data check compares a typed total with every source; data source primary switches what counts (admins only)', async () => {
    const built = await buildTestApp(d, { DEFAULT_LOCALE: 'en' });
    const say = async (user: string, text: string): Promise<Msg[]> => {
      const res = await built.app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: `@${user}`, userId: user, text } });
      expect(res.statusCode).toBe(200);
      return res.json().messages;
    };
    expect(await gmv()).toBe(1000);
    const [check] = await say('ann', 'data check store:us-main gmv 2026-11-16..2026-11-22 1,100.00 USD');
    const text = shown(check);
    // push 1,050 vs 1,000: +5.0 %; typed 1,100 vs 1,000: +10.0 %; both above 2 %.
    expect(text).toContain('Reconciliation: 2 difference(s)');
    expect(text).toContain('**us-main** USD · counted (erp_file): 1,000.00\n⚠️ push: 1,050.00 (+5.0 %)\n⚠️ typed check: 1,100.00 (+10.0 %)');
    const [audit] = await d.query<{ actor_id: string; entity_id: string }>(sql`select actor_id, entity_id from audit_log where action = 'data.check'`);
    expect(audit).toEqual({ actor_id: 'ann', entity_id: 'us-main/orders/2026-11-16..2026-11-22' });
    expect(shown((await say('ann', 'data check store:us-main gmv 1100'))[0])).toMatch(/Try `data check/);
    expect(shown((await say('ann', 'data check store:us-main gmv 2026-11-16..2026-11-22 1100 EUR'))[0])).toMatch(/reports in USD/);

    expect(shown((await say('fay', 'data source primary store:us-main orders push'))[0])).toMatch(/Only admins/);
    expect(shown((await say('ann', 'data source primary store:us-main orders ftp'))[0])).toMatch(/Try `data source primary/);
    expect(shown((await say('ann', 'data source primary store:us-main orders push'))[0])).toMatch(/push is now the counted source/);
    expect(await gmv()).toBe(1050);
    const [sw] = await d.query<{ actor_id: string; before: unknown; after: unknown }>(sql`select actor_id, before, after from audit_log where action = 'source.switch'`);
    expect(sw).toMatchObject({ actor_id: 'ann' });

    // The ERP run's row report: row 4 named a store that does not exist.
    const report = shown((await say('ann', `data report ${erpRun}`))[0]);
    expect(report).toContain(`Import ${erpRun}: orders · partial`);
    expect(report).toMatch(/• row 4 · store_id "nowhere": /);
  });

  it('PUT /api/v1/sources/primary switches for admins, refuses others and bad input with 4xx', async () => {
    const built = await buildTestApp(d, {});
    const put = (payload: unknown, token?: string) => built.app.inject({ method: 'PUT', url: '/api/v1/sources/primary', payload: payload as object, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
    const fin = await createToken(d.db, { workspaceId: 'acme', role: 'finance', createdBy: 'test' });
    expect((await put({ store: 'us-main', dataset: 'orders', source: 'push' }, fin.token)).statusCode).toBe(403);
    expect((await put({ store: 'nowhere', dataset: 'orders', source: 'push' })).statusCode).toBe(400);
    expect((await put({ store: 'us-main', dataset: 'orders', source: 'ftp' })).statusCode).toBe(400);
    const ok = await put({ store: 'us-main', dataset: 'orders', source: 'push', reason: 'Seller Central agrees with the push' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ store: 'us-main', dataset: 'orders', source: 'push' });
    expect(await gmv()).toBe(1050);
    const list = await built.app.inject({ method: 'GET', url: '/api/v1/sources/primary' });
    expect(list.json().sources).toMatchObject([{ store: 'us-main', dataset: 'orders', source: 'push' }]);
    // Against the counted push (1,050): the ERP's 1,000 is −4.8 %, the typed 1,100 +4.8 %.
    const rec = await built.app.inject({ method: 'GET', url: '/api/v1/sources/reconciliation?dataset=orders&from=2026-11-16&to=2026-11-22&store=us-main&check=1100' });
    expect(rec.statusCode).toBe(200);
    expect(rec.json()).toMatchObject({ flagged: 2, rows: [{ storeId: 'us-main', primary: 'push', counted: 1050, checks: [{ against: 'erp_file', diffPct: -0.0476, flagged: true }, { against: 'manual', diffPct: 0.0476, flagged: true }] }] });
  });

  it('the weekly job sends last week’s differences to admins and the store’s bound group, once', async () => {
    await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('slack', 'T1', 'U_ANN', 'acme', 'ann'), ('slack', 'T1', 'U_FAY', 'acme', 'fay')`);
    await d.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id) values
      ('slack', 'T1', 'C_US', 'acme', 'group', 'us-team'), ('slack', 'T1', 'C_DE', 'acme', 'group', 'de-team'), ('slack', 'T1', 'C_FREE', 'acme', 'group', null)`);
    await recordManualCheck(d, 'acme', { storeId: 'us-main', dataset: 'orders', from: '2026-11-16', to: '2026-11-22', value: 1100, currency: 'USD' }, { kind: 'user', id: 'ann' });
    const jobs = await reconciliationJobs({ database: d, publicUrl: 'http://kpi.test' })(new Date());
    expect(jobs.map((j) => [j.id, j.schedule])).toEqual([['reconcile:weekly:acme', { cadence: 'weekly', weekday: 1, time: '09:30', timezone: 'UTC' }]]);
    // Monday 2026-11-23 → the ISO week before: 11-16 … 11-22.
    const r = await runWeeklyReconciliation({ database: d, publicUrl: 'http://kpi.test' }, 'acme', new Date('2026-11-23T09:30:00Z'));
    expect(r).toEqual({ from: '2026-11-16', to: '2026-11-22', flagged: 2, deliveries: 2 });
    const sent = await d.query<{ target: { chatId: string }; payload: Msg; source_type: string }>(sql`select target, payload, source_type from deliveries order by id`);
    expect(sent.map((s) => s.target.chatId)).toEqual(['user:U_ANN', 'C_US']);
    expect(sent.every((s) => s.source_type === 'reconciliation')).toBe(true);
    expect(shown(sent[1]!.payload)).toContain('Weekly reconciliation 2026-11-16 – 2026-11-22: 2 difference(s) in orders');
    expect(shown(sent[1]!.payload)).toContain('⚠️ typed check: 1,100.00 (+10.0 %)');
    expect((await runWeeklyReconciliation({ database: d, publicUrl: 'http://kpi.test' }, 'acme', new Date('2026-11-23T11:00:00Z'))).deliveries).toBe(0);
    // The next week has no data and no checks: nothing to say.
    expect(await runWeeklyReconciliation({ database: d, publicUrl: 'http://kpi.test' }, 'acme', new Date('2026-11-30T09:30:00Z'))).toEqual({ from: '2026-11-23', to: '2026-11-29', flagged: 0, deliveries: 0 });
  });
});
