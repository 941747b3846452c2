/**
 * Directory sync end to end: the org sync service (src/org/directory-sync.ts) reads the fake
 * Feishu's contact v3 through the adapter's directory port (`directoryFor(tenantKey)`), page by
 * page (the fake hands out 2 items per page), into teams, users, managers and chat identities.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { directoryOf } from '../../../src/bot/directory.ts';
import type { Database } from '../../../src/db/client.ts';
import { syncDirectory } from '../../../src/org/directory-sync.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../../helpers/db.ts';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { startFeishuHarness, type FeishuHarness } from '../../fakes/feishu/harness.ts';

afterAll(dropCreatedDatabases);

const NOW = new Date('2026-12-10T04:00:00Z');
const input = { workspaceId: 'acme', timezone: 'Asia/Shanghai', actor: { kind: 'system' as const, name: 'test' }, now: NOW };

describe.each(ENGINES)('feishu directory sync on %s', (engine) => {
  let d!: Database;
  let h: FeishuHarness | undefined;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'acme', timezone: 'Asia/Shanghai' }));
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('syncs departments and people with union_id through the port, page by page', async () => {
    h = await startFeishuHarness({ sink: new SinkProbe().sink });
    h.fake.contactPageSize = 2;
    h.fake.departments.push(
      { open_department_id: '0', parent_department_id: '', name: 'Acme 公司', leader_user_id: 'ou_alice' },
      { open_department_id: 'od-us', parent_department_id: '0', name: 'Amazon US', leader_user_id: 'ou_bob' },
      { open_department_id: 'od-sea', parent_department_id: '0', name: '东南亚' },
      { open_department_id: 'od-sea-th', parent_department_id: 'od-sea', name: 'Thailand' },
    );
    h.fake.users.push(
      { union_id: 'on_alice', open_id: 'ou_alice', name: 'Alice', email: 'alice@acme.example', department_ids: ['0'] },
      { union_id: 'on_bob', open_id: 'ou_bob', name: 'Bob', email: 'bob@acme.example', department_ids: ['od-us'] },
      { union_id: 'on_carol', open_id: 'ou_carol', name: 'Carol', mobile: '+8613800000003', department_ids: ['od-us'] },
      { union_id: 'on_dan', open_id: 'ou_dan', name: 'Dan 王', department_ids: ['od-sea-th'] },
      { union_id: 'on_eve', open_id: 'ou_eve', name: 'Eve', department_ids: ['od-sea'], status: { is_resigned: true } },
    );
    const port = directoryOf(h.binding.adapter, 'tenant-acme');
    expect(port).toMatchObject({ platform: 'feishu', tenantKey: 'tenant-acme' });

    const result = await syncDirectory(d, port!, input);
    // 4 departments (root + 3); 5 people, Eve listed but resigned.
    expect(result).toMatchObject({ status: 'ok', departments: 4 });
    const teams = await d.query<{ name: string; parent: string | null }>(sql`
      select t.name, p.name as parent from teams t left join teams p on p.id = t.parent_team_id order by t.name`);
    expect(teams).toEqual([
      { name: 'Acme 公司', parent: null },
      { name: 'Amazon US', parent: 'Acme 公司' },
      { name: 'Thailand', parent: '东南亚' },
      { name: '东南亚', parent: 'Acme 公司' },
    ]);
    const ids = await d.query<{ platform_user_id: string; union_id: string }>(sql`
      select platform_user_id, union_id from chat_identities where platform = 'feishu' order by union_id`);
    expect(ids.filter((i) => i.union_id !== 'on_eve')).toEqual([
      { platform_user_id: 'ou_alice', union_id: 'on_alice' },
      { platform_user_id: 'ou_bob', union_id: 'on_bob' },
      { platform_user_id: 'ou_carol', union_id: 'on_carol' },
      { platform_user_id: 'ou_dan', union_id: 'on_dan' },
    ]);
    const managers = await d.query<{ name: string; team: string }>(sql`
      select u.display_name as name, t.name as team from role_assignments r join users u on u.id = r.user_id and u.workspace_id = r.workspace_id
      join teams t on t.id = r.team_id and t.workspace_id = r.workspace_id where r.role = 'manager' order by 1`);
    expect(managers).toEqual([
      { name: 'Alice', team: 'Acme 公司' },
      { name: 'Bob', team: 'Amazon US' },
    ]);
    const active = await d.query<{ union_id: string; active: boolean }>(sql`select union_id, active from directory_people order by union_id`);
    expect(active.find((p) => p.union_id === 'on_eve')?.active ?? false).toBe(false);
    expect(active.filter((p) => p.active).map((p) => p.union_id)).toEqual(['on_alice', 'on_bob', 'on_carol', 'on_dan']);
    // Paged: 3 child departments at 2 per page → 2 pages of children per listing.
    const childrenCalls = h.fake.calls.filter((c) => c.path === '/open-apis/contact/v3/departments/0/children').length;
    expect(childrenCalls).toBeGreaterThanOrEqual(2);
  });
});
