/**
 * A CSV sent to the bot on Slack, end to end through the fake Slack and the real server: the
 * `file_share` DM and the `app_mention` with an upload become `file` events, the Slack binding
 * downloads `url_private_download` with the bot token (files.info first for a Slack Connect stub),
 * the file is imported through the one pipeline as a sync run, the summary card comes back, and
 * the facts answer a KPI question in chat. Refusals: unbound group, a member, a file too large,
 * a file that is no table. Ambiguous headers ask with buttons; the click imports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuiltApp } from '../../src/app.ts';
import type { Database } from '../../src/db/client.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { CHAT_MAX_BYTES } from '../../src/ingest/chat/file-import.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack/harness.ts';
import { clickPayload } from '../fakes/slack/click.ts';
import { slackRequest, withResponseUrl } from '../fakes/slack/requests.ts';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../fakes/slack/server.ts';
import { untilWithin } from '../helpers/until.ts';

afterAll(dropCreatedDatabases);

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as Json;
const FIX = join(import.meta.dirname, '../fixtures/ingest');

/** Our own template, UTF-8 with a BOM: us-main 2026-11-01 100 + 50.25, 2026-11-02 200 → GMV 350.25. */
const TEMPLATE_CSV = '\ufeffdate,store_id,sku_id,units_ordered,order_count,gross_sales\n2026-11-01,us-main,A-1,2,2,100\n2026-11-01,us-main,A-2,1,1,50.25\n2026-11-02,us-main,A-1,3,2,200\n';

const until = untilWithin(8000, 20);

function shareEvent(name: 'file-share-dm' | 'file-share-mention' | 'file-share-connect', file: Json, o: { text?: string; user?: string; eventId?: string; channel?: string } = {}): Json {
  const body = fixture(name);
  const event = body.event as Json;
  event.files = [file];
  if (o.text !== undefined) event.text = o.text;
  if (o.user) event.user = o.user;
  if (o.channel) event.channel = o.channel;
  if (o.eventId) body.event_id = o.eventId;
  return body;
}

describe.each(ENGINES)('a file sent to the bot on Slack, on %s', (engine) => {
  let d!: Database;
  let fake!: FakeSlack;
  let built!: BuiltApp;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await insertWorkspace(x, { id: 'acme', locale: 'en', timezone: 'UTC', currency: 'USD' });
    expect((await importFile(x, join(FIX, 'stores.csv'), { workspaceId: 'acme', dataset: 'stores', requestedBy: 'test' })).status).toBe('ok');
    expect((await importFile(x, join(FIX, 'fx.csv'), { workspaceId: 'acme', dataset: 'fx', requestedBy: 'test' })).status).toBe('ok');
    await x.query(sql`insert into teams (workspace_id, id, name) values ('acme', 'us-team', 'US team')`);
    await x.query(sql`update stores set team_id = 'us-team' where id = 'us-main'`);
    await x.query(sql`insert into users (workspace_id, id, display_name) values ('acme', 'alice', 'Alice')`);
    await x.query(sql`insert into role_assignments (workspace_id, user_id, role) values ('acme', 'alice', 'admin')`);
    await x.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('slack', 'T0001', 'U0ALICE01', 'acme', 'alice')`);
    await x.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id) values ('slack', 'T0001', 'C0GENERAL1', 'acme', 'group', 'us-team')`);
  });

  beforeEach(async () => {
    fake = await startFakeSlack({ botToken: BOT_TOKEN });
    built = await buildTestApp(d, { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, DEFAULT_LOCALE: 'en' });
    await until('auth.test', () => fake.calls.find((c) => c.method === 'auth.test'));
  });
  afterEach(async () => fake.close());

  const deliver = (payload: unknown) => built.app.inject(slackRequest(SIGNING_SECRET, withResponseUrl(payload, fake.responseUrl())));
  const posted = (channel: string, re: RegExp) => until(`a message matching ${re}`, () => fake.messages.find((m) => m.channel === channel && re.test(m.text)));
  const facts = () => d.query<Record<string, unknown>>(sql`select date::text as date, store_id, sku_id, units_ordered as u, gross_sales::text as g, source from fact_sales_daily order by date, store_id, sku_id`);

  it('imports a template CSV sent in a DM, says what it read, and the bot answers GMV from it', async () => {
    const file = fake.hostFile('orders-2026-11.csv', Buffer.from(TEMPLATE_CSV, 'utf8'));
    expect((await deliver(shareEvent('file-share-dm', file, { text: '' }))).statusCode).toBe(200);
    const summary = await posted('D0ALICE01', /Imported orders/);
    // Detected, not named: the template with all six headers known → 0.5 + 0.5 × 6/6 = 100 %
    // (on Postgres a plain UTF-8 template goes through the COPY fast path, which says so).
    expect(summary.text).toMatch(engine === 'postgres' ? /Read as: orders · kpibot orders template \(COPY fast path\) \(100 %\)/ : /Read as: orders · kpibot orders template \(100 %\)/);
    expect(summary.text).toContain('Rows: 3 imported · 0 rejected');
    expect(summary.text).toContain('Dates: 2026-11-01 – 2026-11-02');
    expect(summary.text).toMatch(/data report \d+/);
    expect(fake.hosted.get(String(file.id))!.downloads).toEqual([{ authorized: true }]);
    expect(await facts()).toEqual([
      { date: '2026-11-01', store_id: 'us-main', sku_id: 'A-1', u: 2, g: '100.0000', source: 'erp_file' },
      { date: '2026-11-01', store_id: 'us-main', sku_id: 'A-2', u: 1, g: '50.2500', source: 'erp_file' },
      { date: '2026-11-02', store_id: 'us-main', sku_id: 'A-1', u: 3, g: '200.0000', source: 'erp_file' },
    ]);
    const [run] = await d.query<Record<string, unknown>>(sql`select kind, status, rows_accepted, file_name, requested_by from sync_runs where dataset = 'orders'`);
    expect(run).toEqual({ kind: 'import', status: 'ok', rows_accepted: 3, file_name: 'orders-2026-11.csv', requested_by: 'alice' });
    // 100 + 50.25 + 200 = 350.25
    const ask = fixture('direct-message');
    (ask.event as Json).text = 'gmv 2026-11-01..2026-11-02';
    await deliver(ask);
    const answer = await until('the GMV answer', () => fake.messages.find((m) => m.channel === 'D0ALICE01' && /GMV/i.test(m.text) && !/Imported/.test(m.text)));
    // Money is shown to four significant figures in chat answers.
    expect(answer.text).toContain('GMV: $350.3');
  });

  it('imports a GBK LingXing export with Chinese headers mentioned in a bound group: only the team’s stores', async () => {
    const bytes = readFileSync(join(FIX, 'orders-lingxing-gbk.csv'));
    expect(iconv.decode(bytes, 'gb18030').startsWith('日期,店铺')).toBe(true);
    const file = fake.hostFile('领星订单.csv', bytes);
    await deliver(shareEvent('file-share-mention', file));
    const summary = await posted('C0GENERAL1', /Imported orders/);
    // Rows of the file (see ingest-import.test.ts): 5 good ones, of which de-main's (德国站) is
    // outside the group's team → rejected too: 4 in, 4 rejected.
    expect(summary.text).toContain('Rows: 4 imported · 4 rejected');
    expect(summary.text).toMatch(/LingXing/);
    expect(summary.text).toContain('Stores: us-main');
    expect(summary.text).toMatch(/row 4 · store_id/);
    const rows = await facts();
    expect(rows.map((r) => r.store_id)).toEqual(['us-main', 'us-main', 'us-main', 'us-main']);
    // 100 + 1200.50 + 30 + 12.5 = 1343
    const [sum] = await d.query<{ g: string }>(sql`select sum(gross_sales)::text as g from fact_sales_daily`);
    expect(Number(sum!.g)).toBe(1343);
  });

  it('asks with buttons when the header is ambiguous, and the sender’s click imports', async () => {
    // Known columns among eight headers: orders' template knows date, store_id, sku_id and
    // gross_sales → 0.5 + 0.5 × 4/8 = 75 %; costs and inventory know the first three → 0.5 +
    // 0.5 × 3/8 = 69 %. 75 − 69 < 10 points: ambiguous, so the bot asks.
    const csv = 'date,store_id,sku_id,gross_sales,colour,size,remark,batch\n2026-11-03,us-main,A-9,10,red,M,x,1\n';
    const file = fake.hostFile('weird.csv', Buffer.from(csv));
    await deliver(shareEvent('file-share-dm', file, { text: '' }));
    const question = await posted('D0ALICE01', /Which data is weird\.csv/);
    expect(question.text).toContain('orders — kpibot orders template (75 %)');
    expect(question.text).toContain('costs — kpibot costs template (69 %)');
    expect(question.text).toContain('inventory — kpibot inventory template (69 %)');
    expect(await facts()).toEqual([]);
    await deliver(clickPayload(question, 'data.import.as', fake.responseUrl()));
    await posted('D0ALICE01', /Imported orders: weird\.csv/);
    expect((await facts()).map((r) => [r.sku_id, r.g])).toEqual([['A-9', '10.0000']]);
  });

  it('downloads a Slack Connect file through files.info', async () => {
    const file = fake.hostFile('orders.csv', Buffer.from(TEMPLATE_CSV), { connect: true });
    await deliver(shareEvent('file-share-connect', file, { text: 'orders' }));
    await posted('D0ALICE01', /Imported orders/);
    expect(fake.calls.filter((c) => c.method === 'files.info').map((c) => c.args.file)).toEqual([file.id]);
    expect((await facts()).length).toBe(3);
  });

  it('refuses where it must, and downloads nothing then', async () => {
    const file = fake.hostFile('orders.csv', Buffer.from(TEMPLATE_CSV));
    // An unbound group.
    await deliver(shareEvent('file-share-mention', file, { channel: 'C0RANDOM01', eventId: 'Ev1' }));
    await posted('C0RANDOM01', /not bound to a team/);
    // A member nobody enrolled (read-only).
    await deliver(shareEvent('file-share-dm', file, { user: 'U0BOB0001', channel: 'D0BOB0001', eventId: 'Ev2' }));
    await posted('D0BOB0001', /cannot import data/);
    // Too large by the event's own size.
    await deliver(shareEvent('file-share-dm', { ...file, size: CHAT_MAX_BYTES + 1 }, { eventId: 'Ev3' }));
    await posted('D0ALICE01', /larger than 20 MiB/);
    // Not a table.
    const pdf = fake.hostFile('report.pdf', Buffer.from('%PDF-1.4'), { mimetype: 'application/pdf' });
    await deliver(shareEvent('file-share-dm', pdf, { eventId: 'Ev4' }));
    await posted('D0ALICE01', /CSV .* or XLSX/);
    expect(fake.calls.filter((c) => c.method === 'file')).toEqual([]);
    expect(await facts()).toEqual([]);
  });

  it('reports a broken file instead of importing half of it', async () => {
    const file = fake.hostFile('bad.csv', Buffer.from('foo,bar\n1,2\n'));
    await deliver(shareEvent('file-share-dm', file, { text: 'orders' }));
    const m: FakeMessage = await posted('D0ALICE01', /Not imported: bad\.csv/);
    expect(m.text).toMatch(/header row matches no known orders layout/);
    const [run] = await d.query<Record<string, unknown>>(sql`select status, error_code from sync_runs where dataset = 'orders'`);
    expect(run).toEqual({ status: 'failed', error_code: 'bad_header' });
  });
});
