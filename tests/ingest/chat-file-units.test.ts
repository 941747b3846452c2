/**
 * The parts of a chat file import that need no chat: Slack's file_share and app_mention-with-an-
 * upload normalised into `file` events (fixtures in Slack's documented shape), the Slack file
 * source against the fake Slack (token, size cut-off while streaming, the sign-in page a missing
 * `files:read` scope gives), the caption grammar, dataset detection with its confidence, and
 * the after-import hook registry on both engines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackClient } from '../../src/adapters/slack/client.ts';
import { createSlackFiles } from '../../src/adapters/slack/files.ts';
import { normalizeEventEnvelope, normalizeFileShares } from '../../src/adapters/slack/normalize.ts';
import type { RawEventEnvelope } from '../../src/adapters/slack/raw-types.ts';
import { isAdapterError } from '../../src/bot/errors.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import type { Database } from '../../src/db/client.ts';
import { parseCaption } from '../../src/ingest/chat/file-import.ts';
import { detectDataset, pickDataset } from '../../src/ingest/headers/detect-dataset.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { ImportHookRegistry, type ImportedData } from '../../src/ingest/pipeline/import-hooks.ts';
import { importRows } from '../../src/ingest/pipeline/run-import.ts';
import { BOT_TOKEN } from '../fakes/slack/harness.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as RawEventEnvelope;
const AT = new Date('2026-11-23T08:00:00Z');
const FIX = join(import.meta.dirname, '../fixtures/ingest');

describe('slack file shares → file events', () => {
  it('turns a DM file_share into one file event with the download URL and the caption', () => {
    const [e, ...rest] = normalizeFileShares(fixture('file-share-dm'), {}, AT);
    expect(rest).toEqual([]);
    expect(e).toEqual({
      kind: 'file', platform: 'slack', eventId: 'Ev0FILEDM01:F0ORDERS01', receivedAt: AT,
      user: { platform: 'slack', id: 'U0ALICE01' },
      conversation: { platform: 'slack', tenantKey: 'T0001', chatId: 'D0ALICE01', kind: 'direct' },
      file: { id: 'F0ORDERS01', name: 'orders-2026-11.csv', size: 512, mimeType: 'text/csv', extra: { url: 'https://files.slack.com/files-pri/T0001-F0ORDERS01/download/orders-2026-11.csv' } },
      text: 'orders', mentionedBot: false,
    } satisfies InboundEvent);
    // The same body is not also a text message (file_share is a subtype the message path drops).
    expect(normalizeEventEnvelope(fixture('file-share-dm'), {}, AT)).toBeNull();
  });

  it('turns an app_mention with an upload into a file event, the mention stripped from the caption', () => {
    const [e] = normalizeFileShares(fixture('file-share-mention'), { botUserId: 'UBOT0001' }, AT);
    expect(e).toMatchObject({ kind: 'file', conversation: { chatId: 'C0GENERAL1', kind: 'group' }, text: '订单', mentionedBot: true, file: { id: 'F0ORDERS02', name: '领星订单.csv', size: 640 } });
  });

  it('keeps a Slack Connect stub (no name, no URL) for files.info, and drops files of the bot, other bots and channel chatter', () => {
    const [e] = normalizeFileShares(fixture('file-share-connect'), {}, AT);
    expect(e).toMatchObject({ kind: 'file', file: { id: 'F0CONNECT1', name: 'F0CONNECT1' } });
    expect(e!.kind === 'file' && e!.file.extra).toBeUndefined();
    const own = fixture('file-share-dm');
    own.event!.user = 'UBOT0001';
    expect(normalizeFileShares(own, { botUserId: 'UBOT0001' }, AT)).toEqual([]);
    const bot = fixture('file-share-dm');
    bot.event!.bot_id = 'B0OTHER';
    expect(normalizeFileShares(bot, {}, AT)).toEqual([]);
    const channel = fixture('file-share-dm');
    channel.event!.channel_type = 'channel';
    channel.event!.channel = 'C0GENERAL1';
    expect(normalizeFileShares(channel, {}, AT)).toEqual([]);
    const plain = fixture('direct-message');
    expect(normalizeFileShares(plain, {}, AT)).toEqual([]);
  });
});

describe('the slack file source', () => {
  let fake!: FakeSlack;
  beforeEach(async () => {
    fake = await startFakeSlack({ botToken: BOT_TOKEN });
  });
  afterEach(async () => fake.close());
  const source = (token = BOT_TOKEN) => createSlackFiles(createSlackClient({ botToken: token, apiUrl: fake.apiUrl, logger: pino({ level: 'silent' }), timeoutMs: 2000 }));
  const eventFor = (file: Record<string, unknown>) => normalizeFileShares({ ...fixture('file-share-dm'), event: { ...fixture('file-share-dm').event, files: [file] } }, {}, AT)[0] as Extract<InboundEvent, { kind: 'file' }>;
  const failure = async (p: Promise<unknown>) => p.then(() => null, (err: unknown) => (isAdapterError(err) ? err.code : String(err)));

  it('downloads url_private_download with the bot token', async () => {
    const bytes = Buffer.from('date,store_id\n2026-11-01,us-main\n');
    const e = eventFor(fake.hostFile('a.csv', bytes));
    expect(Buffer.from(await source().download(e.file, e, 1000)).equals(bytes)).toBe(true);
    expect(fake.hosted.get(e.file.id)!.downloads).toEqual([{ authorized: true }]);
  });

  it('refuses past maxBytes: by the declared size before downloading, and while streaming', async () => {
    const e = eventFor(fake.hostFile('big.csv', Buffer.alloc(5000, 0x41)));
    expect(await failure(source().download(e.file, e, 4999))).toBe('invalid_payload');
    expect(fake.hosted.get(e.file.id)!.downloads).toEqual([]);
    // The event lied about the size (or said none): the stream is cut at the limit.
    const { size: _size, ...unsized } = e.file;
    expect(await failure(source().download(unsized, e, 4999))).toBe('invalid_payload');
    expect(fake.hosted.get(e.file.id)!.downloads).toEqual([{ authorized: true }]);
  });

  it('reads a sign-in page (token without files:read) as a permission error, and never follows a URL off Slack', async () => {
    const e = eventFor(fake.hostFile('a.csv', Buffer.from('x')));
    expect(await failure(source('xoxb-other-token').download(e.file, e, 1000))).toBe('permission');
    const off = { ...e.file, extra: { url: 'https://evil.example.com/steal' } };
    expect(await failure(source().download(off, e, 1000))).toBe('invalid_payload');
  });
});

describe('captions and dataset detection', () => {
  it('reads the dataset, store, force and dry run from a caption in either language', () => {
    expect(parseCaption('')).toEqual({ force: false, dryRun: false });
    expect(parseCaption('orders store:us-main force')).toEqual({ dataset: 'orders', store: 'us-main', force: true, dryRun: false });
    expect(parseCaption('广告 店铺：de-main 试运行')).toEqual({ dataset: 'ads', store: 'de-main', force: false, dryRun: true });
    expect(parseCaption('here is last week')).toEqual({ force: false, dryRun: false });
  });
});

describe.each(ENGINES)('dataset detection and after-import hooks on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await insertWorkspace(x, { id: 'w', currency: 'USD', timezone: 'UTC' });
    await importFile(x, join(FIX, 'stores.csv'), { workspaceId: 'w', dataset: 'stores', requestedBy: 'test', hooks: false });
  });

  it('ranks datasets by confidence and asks when the best is close or weak', async () => {
    const head = (h: string) => [{ row: 1, cells: h.split(',') }];
    // LingXing orders: all ten of its layout's headers present → 1.0; the others only by the
    // date/store/SKU they share.
    const lx = await detectDataset(d, 'w', head('日期,店铺,MSKU,销量,订单量,销售额,退款金额,退货量,Sessions,PV'));
    expect(lx[0]).toMatchObject({ dataset: 'orders', profileId: 'lingxing_orders', confidence: 1 });
    expect(pickDataset(lx).kind).toBe('clear');
    // 4 of 8 headers known to orders (0.75) vs 3 of 8 to costs and inventory (0.69): ask.
    const odd = await detectDataset(d, 'w', head('date,store_id,sku_id,gross_sales,colour,size,remark,batch'));
    expect(odd.slice(0, 3).map((c) => [c.dataset, c.confidence])).toEqual([['orders', 0.75], ['costs', 0.69], ['inventory', 0.69]]);
    expect(pickDataset(odd)).toMatchObject({ kind: 'ask', candidates: [{ dataset: 'orders' }, { dataset: 'costs' }, { dataset: 'inventory' }] });
    expect(pickDataset(await detectDataset(d, 'w', head('foo,bar')))).toEqual({ kind: 'none' });
  });

  it('runs registered hooks once per committed import with its stores and days; not for dry, failed or unhooked runs', async () => {
    const hooks = new ImportHookRegistry();
    const seen: ImportedData[] = [];
    hooks.register('record', async (data) => void seen.push(data));
    hooks.register('broken', async () => {
      throw new Error('alert rules unavailable');
    });
    expect(() => hooks.register('record', async () => {})).toThrow(/twice/);
    const rows = async function* (lines: string[]) {
      let n = 0;
      for (const l of lines) yield { row: ++n, cells: l.split(',') };
    };
    const csv = ['date,store_id,sku_id,units_ordered,gross_sales', '2026-11-01,us-main,A-1,1,10', '2026-11-03,de-main,B-1,2,20'];
    const r = await importRows(d, rows(csv), { workspaceId: 'w', dataset: 'orders', requestedBy: 'test', hooks });
    expect(r.status).toBe('ok');
    // The failing hook does not undo the import; it is reported with the result.
    expect(r.hookFailures).toEqual([{ hook: 'broken', message: 'alert rules unavailable' }]);
    expect(seen).toEqual([{ workspaceId: 'w', dataset: 'orders', runId: r.runId, kind: 'import', source: 'erp_file', status: 'ok', storeIds: ['de-main', 'us-main'], from: '2026-11-01', to: '2026-11-03', rowsWritten: 2 }]);
    await importRows(d, rows(csv), { workspaceId: 'w', dataset: 'orders', requestedBy: 'test', hooks, dryRun: true });
    await importRows(d, rows(['foo,bar', '1,2']), { workspaceId: 'w', dataset: 'orders', requestedBy: 'test', hooks });
    await importRows(d, rows(csv), { workspaceId: 'w', dataset: 'orders', requestedBy: 'test', hooks: false });
    expect(seen.length).toBe(1);
    const push = await importRows(d, rows(csv.slice(0, 2)), { workspaceId: 'w', dataset: 'orders', requestedBy: 'test', hooks, kind: 'push' });
    expect(seen[1]).toMatchObject({ runId: push.runId, kind: 'push', source: 'push', storeIds: ['us-main'], from: '2026-11-01', to: '2026-11-01', rowsWritten: 1 });
    // A file import too — on Postgres a plain UTF-8 template takes the COPY fast path, which runs them as well.
    const dir = mkdtempSync(join(tmpdir(), 'hooks-'));
    try {
      const path = join(dir, 'orders.csv');
      writeFileSync(path, `${['date,store_id,sku_id,units_ordered,gross_sales', '2026-11-05,us-main,A-1,1,10'].join('\n')}\n`);
      const file = await importFile(d, path, { workspaceId: 'w', dataset: 'orders', requestedBy: 'test', hooks });
      expect(file.profile?.label.en.includes('COPY fast path')).toBe(engine === 'postgres');
      expect(seen[2]).toMatchObject({ runId: file.runId, kind: 'import', storeIds: ['us-main'], from: '2026-11-05', to: '2026-11-05', rowsWritten: 1 });
      expect(file.hookFailures).toEqual([{ hook: 'broken', message: 'alert rules unavailable' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
