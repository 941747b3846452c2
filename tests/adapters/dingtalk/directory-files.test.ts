/**
 * The DingTalk directory port end to end with the org sync service: departments walked from the
 * root with `department/listsub`, people paged with `user/list` cursors (page size 100, so 103
 * people in one department take two pages), leaders become managers, union ids key the users.
 * And the file source: a robot `file` message's download code → `messageFiles/download` → bytes,
 * refused while streaming once past the size limit.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../src/bot/errors.ts';
import type { InboundEvent } from '../../../src/bot/events.ts';
import { directoryOf } from '../../../src/bot/directory.ts';
import type { Database } from '../../../src/db/client.ts';
import { syncDirectory } from '../../../src/org/directory-sync.ts';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../../helpers/db.ts';
import { TOPIC_ROBOT, startDingTalkHarness, type DingTalkHarness } from '../../fakes/dingtalk/harness.ts';

afterAll(dropCreatedDatabases);

const NOW = new Date('2026-12-10T04:00:00Z');
const input = { workspaceId: 'acme', timezone: 'Asia/Shanghai', actor: { kind: 'system' as const, name: 'test' }, now: NOW };

describe.each(ENGINES)('dingtalk directory and files on %s', (engine) => {
  let d!: Database;
  let h: DingTalkHarness | undefined;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'acme', timezone: 'Asia/Shanghai' }));
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('syncs departments and every page of people through the port', async () => {
    h = await startDingTalkHarness({ sink: new SinkProbe().sink, database: d });
    h.fake.directory.rootName = 'Acme 公司';
    h.fake.directory.departments = [
      { dept_id: 2, name: 'Amazon US', parent_id: 1 },
      { dept_id: 3, name: '东南亚', parent_id: 1 },
      { dept_id: 4, name: 'Shopee', parent_id: 3 },
    ];
    h.fake.directory.users = [
      { dept: 1, userid: 'staff-alice', unionid: 'dt_alice', name: 'Alice', email: 'alice@acme.example', dept_id_list: [1], leader: true, active: true },
      { dept: 2, userid: 'staff-bob', unionid: 'dt_bob', name: 'Bob', dept_id_list: [2], leader: true, active: true },
      // 101 more people in Shopee: user/list pages of 100 → two pages for this department.
      ...Array.from({ length: 101 }, (_, i) => ({ dept: 4, userid: `staff-s${i}`, unionid: `dt_s${i}`, name: `Seller ${String(i).padStart(3, '0')}`, dept_id_list: [4], leader: false, active: true })),
    ];
    const port = directoryOf(h.binding.adapter, h.fake.corpId)!;
    expect(port).toMatchObject({ platform: 'dingtalk', tenantKey: h.fake.corpId });
    const result = await syncDirectory(d, port, input);
    // 1 root + 3 departments; 2 + 101 people.
    expect(result).toMatchObject({ status: 'ok', departments: 4, people: 103, skipped: 0 });
    const pages = h.fake.calls.filter((c) => c.path === '/topapi/v2/user/list' && c.body.dept_id === 4);
    expect(pages.map((c) => c.body.cursor)).toEqual([0, 100]);
    const teams = await d.query<{ name: string; parent: string | null }>(sql`
      select t.name, p.name as parent from teams t left join teams p on p.id = t.parent_team_id order by t.name`);
    expect(teams).toEqual(expect.arrayContaining([
      { name: 'Acme 公司', parent: null },
      { name: 'Amazon US', parent: 'Acme 公司' },
      { name: 'Shopee', parent: '东南亚' },
    ]));
    const managers = await d.query<{ union_id: string }>(sql`
      select i.union_id from role_assignments r join chat_identities i on i.user_id = r.user_id
      where r.role = 'manager' and i.platform = 'dingtalk' order by 1`);
    expect(managers.map((m) => m.union_id)).toEqual(['dt_alice', 'dt_bob']);
    const ids = await d.query<{ n: number }>(sql`select count(*)::int as n from chat_identities where platform = 'dingtalk' and union_id is not null`);
    expect(ids[0]!.n).toBe(103);
  });

  it('emits a file event for a DM file and downloads it within the size limit', async () => {
    const probe = new SinkProbe();
    h = await startDingTalkHarness({ sink: probe.sink, database: d });
    const csv = Buffer.from('order_id,date,store_id,sku,units,gmv\n1,2026-11-01,us-main,A1,2,19.98\n');
    h.fake.hostFile('dlcode-orders-0001', csv);
    const data = JSON.parse(readFileSync(new URL('../../fixtures/dingtalk/file-message.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    await h.deliver({ type: 'CALLBACK', topic: TOPIC_ROBOT, data });
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'file', file: { id: 'dlcode-orders-0001', name: 'orders-2026-11.csv' }, conversation: { kind: 'direct', chatId: 'user:alice-staff' } });
    const file = e as Extract<InboundEvent, { kind: 'file' }>;
    const bytes = await h.binding.files!.download(file.file, file, 1024);
    expect(Buffer.from(bytes).equals(csv)).toBe(true);
    const tooBig = await h.binding.files!.download(file.file, file, 10).catch((err: unknown) => err);
    expect(tooBig).toBeInstanceOf(AdapterError);
    expect((tooBig as AdapterError).code).toBe('invalid_payload');
    // No content-length: the limit is enforced while streaming (the CSV is 69 bytes, sent 16 at a time).
    h.fake.hostFile('dlcode-chunked', csv, { chunked: true });
    const streamed = await h.binding.files!.download({ ...file.file, id: 'dlcode-chunked' }, file, 40).catch((err: unknown) => err);
    expect((streamed as AdapterError).code).toBe('invalid_payload');
    expect(Buffer.from(await h.binding.files!.download({ ...file.file, id: 'dlcode-chunked' }, file, 69)).equals(csv)).toBe(true);
    const unknown = await h.binding.files!.download({ ...file.file, id: 'nope' }, file, 1024).catch((err: unknown) => err);
    expect((unknown as AdapterError).code).toBe('not_found');
  });
});
