/**
 * Directory sync from the fake directory (tests/fakes/directory.ts): departments become teams and
 * people users keyed on the union id; a second identical sync changes nothing; a person on Feishu
 * and DingTalk is one user; a leaver is deactivated only once gone from every directory, with
 * their open items handed to their manager; a page that fails leaves whole pages only and the
 * next sync resumes after the last stored page without deactivating anyone it had not reached.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { syncDirectory } from '../../src/org/directory-sync.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import { FakeDirectory, person } from '../fakes/directory.ts';

afterAll(dropCreatedDatabases);

const NOW = new Date('2026-12-10T04:00:00Z'); // 12:00 in Shanghai: today is 2026-12-10
const input = { workspaceId: 'acme', timezone: 'Asia/Shanghai', actor: { kind: 'system' as const, name: 'test' }, now: NOW };

function feishu(): FakeDirectory {
  return new FakeDirectory('feishu', 'tk-acme', {
    departments: [
      { id: '0', parentId: null, name: 'Acme 公司' },
      { id: 'od-us', parentId: '0', name: 'Amazon US' },
      { id: 'od-sea', parentId: '0', name: '东南亚' },
    ],
    people: [
      person({ unionId: 'on_alice', name: 'Alice', email: 'alice@acme.example', departmentId: '0', isLeader: true }),
      person({ unionId: 'on_bob', name: 'Bob', email: 'bob@acme.example', departmentId: 'od-us', isLeader: true }),
      person({ unionId: 'on_carol', name: 'Carol', email: 'carol@acme.example', mobile: '+86 138 0000 0003', departmentId: 'od-us' }),
      person({ unionId: 'on_dan', name: 'Dan 王', departmentId: 'od-sea' }),
      person({ unionId: 'on_eve', name: 'Eve', email: 'eve@acme.example', departmentId: 'od-sea', isLeader: true }),
    ],
  });
}

function dingtalk(): FakeDirectory {
  return new FakeDirectory('dingtalk', 'ding-corp', {
    departments: [
      { id: '1', parentId: null, name: 'Acme 公司' },
      { id: '2', parentId: '1', name: 'Amazon US' },
    ],
    people: [
      // Carol again: no email on DingTalk, same mobile written differently.
      person({ unionId: 'dt_carol', platformUserId: 'staff-carol', name: '陈晨', mobile: '138-0000-0003', departmentId: '2' }),
      person({ unionId: 'dt_zed', platformUserId: 'staff-zed', name: 'Zed', email: 'zed@acme.example', departmentId: '2' }),
    ],
  });
}

describe.each(ENGINES)('directory sync on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'acme', timezone: 'Asia/Shanghai' }));

  const rows = <T extends Record<string, unknown>>(q: string) => d.query<T>(sql.raw(q));
  const snapshot = async () => ({
    teams: await rows(`select id, name, parent_team_id from teams order by id`),
    users: await rows(`select id, display_name, team_id, email, active from users order by id`),
    roles: await rows(`select user_id, role, team_id from role_assignments order by user_id, role`),
    identities: await rows(`select platform, platform_user_id, user_id, union_id from chat_identities order by 1, 2`),
    people: await rows(`select platform, union_id, user_id, active from directory_people order by 1, 2`),
    audit: (await rows<{ n: number }>(`select count(*) as n from audit_log`))[0]!.n,
  });

  it('maps departments to teams and people to users, leaders to managers', async () => {
    const result = await syncDirectory(d, feishu(), input);
    expect(result).toMatchObject({ status: 'ok', resumed: false, departments: 3, people: 5, skipped: 0, leavers: [] });
    const s = await snapshot();
    expect(s.teams).toEqual([
      { id: 'acme', name: 'Acme 公司', parent_team_id: null },
      { id: 'amazon-us', name: 'Amazon US', parent_team_id: 'acme' },
      { id: 'dept-od-sea', name: '东南亚', parent_team_id: 'acme' },
    ]);
    expect(s.users.map((u) => [u.id, u.team_id])).toEqual([
      ['alice', 'acme'], ['bob', 'amazon-us'], ['carol', 'amazon-us'], ['dan', 'dept-od-sea'], ['eve', 'dept-od-sea'],
    ]);
    expect(s.roles).toEqual([
      { user_id: 'alice', role: 'manager', team_id: 'acme' },
      { user_id: 'bob', role: 'manager', team_id: 'amazon-us' },
      { user_id: 'eve', role: 'manager', team_id: 'dept-od-sea' },
    ]);
    // Chat identities carry the app-scoped id beside the union id.
    expect(s.identities).toContainEqual({ platform: 'feishu', platform_user_id: 'app-on_carol', user_id: 'carol', union_id: 'on_carol' });
  });

  it('is idempotent: the same directory again changes nothing and audits nothing', async () => {
    await syncDirectory(d, feishu(), input);
    const first = await snapshot();
    const again = await syncDirectory(d, feishu(), input);
    expect(again).toMatchObject({ status: 'ok', teamsCreated: [], usersCreated: [], leavers: [] });
    expect(await snapshot()).toEqual(first);
  });

  it('merges a person present on Feishu and DingTalk into one user (by mobile), and matches teams by name', async () => {
    await syncDirectory(d, feishu(), input);
    const result = await syncDirectory(d, dingtalk(), input);
    expect(result.usersCreated).toEqual(['zed']);
    expect(result.teamsCreated).toEqual([]);
    const s = await snapshot();
    expect(s.users.map((u) => u.id)).toEqual(['alice', 'bob', 'carol', 'dan', 'eve', 'zed']);
    expect(s.people.filter((p) => p.user_id === 'carol')).toEqual([
      { platform: 'dingtalk', union_id: 'dt_carol', user_id: 'carol', active: true },
      { platform: 'feishu', union_id: 'on_carol', user_id: 'carol', active: true },
    ]);
    expect(s.identities).toContainEqual({ platform: 'dingtalk', platform_user_id: 'staff-carol', user_id: 'carol', union_id: 'dt_carol' });
    expect(s.users.find((u) => u.id === 'zed')).toMatchObject({ team_id: 'amazon-us' });
  });

  it('deactivates a leaver only once gone from every directory and hands their items to the manager', async () => {
    const fs = feishu();
    const dt = dingtalk();
    await syncDirectory(d, fs, input);
    await syncDirectory(d, dt, input);
    await d.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, share, valid_from) values ('acme', 'store', 'us-main', 'carol', 1, '2026-01-01')`);
    await d.query(sql`insert into goals (workspace_id, metric_id, scope_level, scope_id, owner_user_id, period_id, period_start, period_end, target, status, created_by) values
      ('acme', 'gmv', 'store', 'us-main', 'carol', 'month:2026-12', '2026-12-01', '2026-12-31', 1000, 'active', 'alice'),
      ('acme', 'gmv', 'store', 'us-main', 'carol', 'month:2026-11', '2026-11-01', '2026-11-30', 1000, 'closed', 'alice')`);
    await d.query(sql`insert into followups (workspace_id, assignee_user_id, created_by, text) values ('acme', 'carol', 'bob', '降价清库存')`);

    fs.people = fs.people.filter((p) => p.unionId !== 'on_carol');
    const partial = await syncDirectory(d, fs, input);
    expect(partial.leavers).toEqual([]); // still on DingTalk
    expect((await snapshot()).users.find((u) => u.id === 'carol')!.active).toBe(true);

    dt.people = dt.people.filter((p) => p.unionId !== 'dt_carol');
    const gone = await syncDirectory(d, dt, input);
    expect(gone.leavers).toEqual([
      {
        userId: 'carol', displayName: 'Carol', managerId: 'bob', managerName: 'Bob',
        goals: [{ id: expect.any(Number), metricId: 'gmv', periodId: 'month:2026-12' }],
        ownership: ['store:us-main'],
        followups: [{ id: expect.any(Number), text: '降价清库存' }],
      },
    ]);
    expect((await snapshot()).users.find((u) => u.id === 'carol')!.active).toBe(false);
    expect(await rows(`select owner_user_id, status from goals order by period_id`)).toEqual([
      { owner_user_id: 'carol', status: 'closed' },
      { owner_user_id: 'bob', status: 'active' },
    ]);
    // History kept: Carol owned it up to yesterday, Bob from today.
    expect(await rows(`select user_id, valid_from::text as f, valid_to::text as t from ownership order by valid_from`)).toEqual([
      { user_id: 'carol', f: '2026-01-01', t: '2026-12-10' },
      { user_id: 'bob', f: '2026-12-10', t: null },
    ]);
    expect(await rows(`select assignee_user_id from followups`)).toEqual([{ assignee_user_id: 'bob' }]);
    // Nobody is deleted, and a second run finds no new leaver.
    expect((await syncDirectory(d, dt, input)).leavers).toEqual([]);
    expect((await snapshot()).users).toHaveLength(6);
  });

  it('resumes after a failing page: whole pages only, no leaver decided on a half-read directory', async () => {
    const fs = feishu();
    await syncDirectory(d, fs, input);
    fs.people = fs.people.filter((p) => p.unionId !== 'on_dan');
    fs.people.push(person({ unionId: 'on_fay', name: 'Fay', email: 'fay@acme.example', departmentId: 'od-us' }));
    // Pages of 2: [alice, bob] [carol, eve] [fay]; page 2 fails once.
    fs.failAt({ listing: 'users', page: 2, times: 1 });
    const failed = await syncDirectory(d, fs, input);
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('page 2') });
    expect(failed.leavers).toEqual([]);
    const mid = await snapshot();
    expect(mid.users.find((u) => u.id === 'dan')!.active).toBe(true);
    expect(mid.users.find((u) => u.id === 'fay')).toBeUndefined();
    const [run] = await rows<{ id: number; status: string; report: { checkpoint: unknown } }>(`select id, status, report from sync_runs where kind = 'directory' order by id desc limit 1`);
    expect(run).toMatchObject({ id: failed.runId, status: 'failed', report: { checkpoint: { phase: 'users', cursor: '1' } } });

    const resumed = await syncDirectory(d, fs, input);
    expect(resumed).toMatchObject({ status: 'ok', resumed: true, runId: failed.runId, usersCreated: ['fay'] });
    // Departments were not listed again; users resumed after page 1.
    expect(fs.starts.slice(-1)).toEqual(['users:1']);
    expect(fs.served.slice(-2)).toEqual(['users:2', 'users:3']);
    expect(resumed.leavers.map((l) => [l.userId, l.managerId])).toEqual([['dan', 'eve']]);
    const [done] = await rows<{ status: string }>(`select status from sync_runs where id = ${failed.runId}`);
    expect(done!.status).toBe('ok');
  });

  it('refuses a second sync while one is running', async () => {
    await d.query(sql`insert into sync_runs (workspace_id, kind, dataset, source, connector_id, status, started_at)
      values ('acme', 'directory', 'directory', 'feishu', 'directory:feishu:tk-acme', 'running', ${NOW.toISOString()}::timestamptz)`);
    await expect(syncDirectory(d, feishu(), input)).rejects.toMatchObject({ code: 'conflict' });
    expect((await snapshot()).users).toEqual([]);
  });
});
