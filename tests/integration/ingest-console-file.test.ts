/**
 * A data file attached in the local console (`POST /console/api/files`, the page's 📎): the
 * upload becomes a `file` event, the bot fetches it through the console's FileSource and imports
 * it like a Slack file share; over the size limit the upload is refused with 413 before the bot
 * sees anything.
 */
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleReceiver, createConsoleAdapter, createConsoleFileStore, CONSOLE_FILE_MAX_BYTES } from '../../src/adapters/console/index.ts';
import { createBot } from '../../src/bot/bot.ts';
import type { Database } from '../../src/db/client.ts';
import { fileImportFeature } from '../../src/ingest/chat/file-import.ts';
import { importRows } from '../../src/ingest/pipeline/run-import.ts';
import { errorsPlugin } from '../../src/plugins/errors.ts';
import { createChartRenderer } from '../../src/render/index.ts';
import { testConfig } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

type Msg = { text?: string; card?: { title: string; blocks: { type: string; fields?: { label: string; value: string }[] }[] } };

describe.each(ENGINES)('a file attached in the console on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await insertWorkspace(x, { id: 'acme', currency: 'USD', timezone: 'UTC', locale: 'en' });
    async function* stores() {
      yield { row: 1, cells: ['store_id', 'name', 'platform', 'marketplace', 'currency', 'timezone'] };
      yield { row: 2, cells: ['us-main', 'US Main', 'amazon', 'US', 'USD', 'UTC'] };
    }
    await importRows(x, stores(), { workspaceId: 'acme', dataset: 'stores', requestedBy: 'test' });
    await x.query(sql`insert into users (workspace_id, id, display_name) values ('acme', 'ann', 'Ann')`);
    await x.query(sql`insert into role_assignments (workspace_id, user_id, role) values ('acme', 'ann', 'admin')`);
  });

  async function consoleApp() {
    const files = createConsoleFileStore();
    const config = { ...testConfig({ DEFAULT_LOCALE: 'en' }), publicUrl: 'http://kpi.test' };
    const adapter = createConsoleAdapter({ database: d, publicUrl: config.publicUrl });
    const bot = createBot({
      database: d, config, adapterFor: () => adapter, logger: pino({ level: 'silent' }), charts: createChartRenderer({}),
      features: [fileImportFeature], filesFor: (p) => (p === 'console' ? files : undefined),
    });
    const app = Fastify({ logger: false });
    await app.register(errorsPlugin);
    await app.register(consoleReceiver, { database: d, sink: (e) => bot.dispatch(e), files });
    await app.ready();
    return app;
  }

  it('imports the attachment and answers with the summary card', async () => {
    const app = await consoleApp();
    // 12.5 + 7.5 = 20 gross on 2026-11-01.
    const csv = 'date,store_id,sku_id,units_ordered,gross_sales\n2026-11-01,us-main,A-1,1,12.5\n2026-11-01,us-main,A-2,1,7.5\n';
    const res = await app.inject({ method: 'POST', url: '/console/api/files?chatId=@ann&userId=ann&name=orders.csv', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    const card = (res.json().messages as Msg[]).find((m) => m.card)?.card;
    expect(card?.title).toBe('Imported orders: orders.csv');
    expect(card?.blocks[0]?.fields).toContainEqual({ label: 'Rows', value: '2 imported · 0 rejected' });
    const [sum] = await d.query<{ g: string }>(sql`select sum(gross_sales)::text as g from fact_sales_daily`);
    expect(Number(sum!.g)).toBe(20);
    const [note] = await d.query<{ text: string }>(sql`select text from console_messages where user_id = 'ann'`);
    expect(note!.text).toBe('📎 orders.csv');
    await app.close();
  });

  it('refuses an attachment over the limit with 413 and imports nothing', async () => {
    const app = await consoleApp();
    const res = await app.inject({ method: 'POST', url: '/console/api/files?chatId=@ann&userId=ann&name=big.csv', headers: { 'content-type': 'text/csv' }, payload: Buffer.alloc(CONSOLE_FILE_MAX_BYTES + 1, 0x41) });
    expect(res.statusCode).toBe(413);
    const [runs] = await d.query<{ n: number }>(sql`select count(*)::int as n from sync_runs where dataset = 'orders'`);
    expect(runs!.n).toBe(0);
    await app.close();
  });
});
