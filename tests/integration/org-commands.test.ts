/**
 * Org commands end to end in the console (English and Chinese): roles, positions, time zones,
 * teams, member access and workspace settings change what they say and are audited; bad input
 * (unknown @user, a team that does not exist, an impossible value, a cycle in the team tree) gets
 * a clear refusal with the closest match and changes nothing. `usage` counts the last 30 days,
 * without content. `sync directory` through a platform that has a directory (the fake directory
 * behind a recording adapter) reports new people and leavers, and resumes after a failed page.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.ts';
import type { DirectoryPort, DirectorySource } from '../../src/bot/directory.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import type { Database } from '../../src/db/client.ts';
import { FEATURES } from '../../src/features.ts';
import { recordUsage, usageReport } from '../../src/org/usage.ts';
import { createChartRenderer } from '../../src/render/index.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { buildTestApp, testConfig } from '../helpers/build-app.ts';
import { sayCard, seedDemoOrg } from '../helpers/org-demo.ts';
import { FakeDirectory, person } from '../fakes/directory.ts';
import { RecordingAdapter } from '../fakes/recording-adapter.ts';

afterAll(dropCreatedDatabases);

class DirectoryAdapter extends RecordingAdapter implements DirectorySource {
  constructor(readonly directory: DirectoryPort) {
    super('feishu');
  }
  directoryFor(tenantKey: string): DirectoryPort | undefined {
    return tenantKey === this.directory.tenantKey ? this.directory : undefined;
  }
}

describe.each(ENGINES)('org commands on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedDemoOrg);

  const one = async <T extends Record<string, unknown>>(q: string) => (await d.query<T>(sql.raw(q)))[0]!;
  const audits = async () => (await one<{ n: number }>(`select count(*) as n from audit_log`)).n;

  it('changes roles, positions and time zones, in Chinese too', async () => {
    const { app } = await buildTestApp(d);
    const role = await sayCard(app, '@alice', 'alice', '用户 角色 @陈晨 经理 团队:亚马逊美国');
    expect(role.title).toBe('角色已更新');
    expect(role.fallbackText).toContain('之前: operator\n现在: manager (amazon-us)');
    expect(await d.query(sql`select role, team_id from role_assignments where user_id = 'carol'`)).toEqual([{ role: 'manager', team_id: 'amazon-us' }]);
    expect((await sayCard(app, '@bob', 'bob', '用户 岗位 @吴昊 客服')).title).toBe('岗位已更新');
    expect((await sayCard(app, '@erin', 'erin', 'user tz @ivy America/Los_Angeles')).title).toBe('Time zone changed');
    expect(await d.query(sql`select id, position, timezone from users where id in ('henry', 'ivy') order by id`)).toEqual([
      { id: 'henry', position: '客服', timezone: 'Asia/Shanghai' },
      { id: 'ivy', position: '运营', timezone: 'America/Los_Angeles' },
    ]);
    const [entry] = await d.query<{ actor_id: string; before: unknown; after: unknown }>(sql`
      select actor_id, before, after from audit_log where entity = 'user' and entity_id = 'ivy'`);
    expect(entry).toEqual({ actor_id: 'erin', before: { timezone: 'Asia/Shanghai' }, after: { timezone: 'America/Los_Angeles' } });
  });

  it('refuses bad input clearly and changes nothing', async () => {
    const { app } = await buildTestApp(d);
    const before = await audits();
    const who = await sayCard(app, '@alice', 'alice', 'user role @karol manager team:amazon-us');
    expect(who.title).toBe('Not found');
    expect(who.fallbackText).toContain('@carol');
    const team = await sayCard(app, '@alice', 'alice', 'user role @carol manager team:amazon-usa');
    expect(team.title).toBe('Not found');
    expect(team.fallbackText).toContain('team:amazon-us');
    expect((await sayCard(app, '@alice', 'alice', 'user role @carol manager')).fallbackText).toContain('A manager needs a team');
    expect((await sayCard(app, '@alice', 'alice', 'user role @carol king')).title).toBe('Not understood');
    expect((await sayCard(app, '@alice', 'alice', 'user tz @bob Mars/Base')).fallbackText).toContain('is not an IANA time zone');
    expect((await sayCard(app, '@alice', 'alice', 'team move team:company to team:amazon-us')).fallbackText).toContain('inside it');
    expect((await sayCard(app, '@alice', 'alice', 'team add amazon-us Again')).fallbackText).toContain('already exists');
    expect((await sayCard(app, '@alice', 'alice', 'team add Amazon_MX 墨西哥')).fallbackText).toContain('只能用小写字母');
    expect((await sayCard(app, '@alice', 'alice', 'workspace set timezone Mars/Base')).fallbackText).toContain('is not an IANA time zone');
    expect((await sayCard(app, '@alice', 'alice', 'workspace set colour blue')).title).toBe('Not understood');
    expect((await sayCard(app, '@alice', 'alice', 'member access everything')).title).toBe('Not understood');
    expect(await audits()).toBe(before);
    expect(await d.query(sql`select role, team_id from role_assignments where user_id = 'carol'`)).toEqual([{ role: 'operator', team_id: null }]);
  });

  it('adds, renames and moves teams; sets member access and workspace settings', async () => {
    const { app } = await buildTestApp(d);
    expect((await sayCard(app, '@bob', 'bob', 'team add amazon-mx 亚马逊墨西哥 parent:amazon-us')).title).toBe('团队已创建');
    expect((await sayCard(app, '@bob', 'bob', '团队 改名 团队:amazon-mx 亚马逊墨西哥站')).title).toBe('团队已改名');
    expect((await sayCard(app, '@alice', 'alice', 'team move team:amazon-mx to team:amazon-eu')).title).toBe('Team moved');
    expect(await one(`select name, parent_team_id from teams where id = 'amazon-mx'`)).toEqual({ name: '亚马逊墨西哥站', parent_team_id: 'amazon-eu' });
    // bob no longer manages it: it left his subtree.
    expect((await sayCard(app, '@bob', 'bob', 'team rename team:amazon-mx MX')).title).toBe('Not done');

    expect((await sayCard(app, '@alice', 'alice', '成员 权限 无')).title).toBe('成员权限已更新');
    expect(await one(`select settings from workspaces where id = 'demo'`)).toEqual({ settings: { member_access: 'none' } });
    // A member now gets help only (principal.memberAccess = none, which authorize refuses).
    expect((await sayCard(app, '@zoe', 'zoe', '我是谁')).fallbackText).toContain('仅帮助');
    expect((await sayCard(app, '@alice', 'alice', 'member access sales')).title).toBe('Member access changed');

    expect((await sayCard(app, '@alice', 'alice', '工作区 设置 币种 usd')).title).toBe('工作区已更新');
    expect((await sayCard(app, '@alice', 'alice', 'workspace set locale en')).title).toBe('Workspace changed');
    expect(await one(`select currency, locale from workspaces where id = 'demo'`)).toEqual({ currency: 'USD', locale: 'en' });
  });

  it('reports usage of the last 30 days, busiest first, without content', async () => {
    const now = new Date();
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
    for (const [userId, kind, at] of [
      ['carol', 'query', daysAgo(1)], ['carol', 'query', daysAgo(2)], ['carol', 'ack', daysAgo(3)],
      ['bob', 'digest_read', daysAgo(5)], ['bob', 'query', daysAgo(45)], ['console:zoe', 'query', daysAgo(1)],
    ] as const) {
      await recordUsage(d, { workspaceId: 'demo', userId, kind, platform: 'console', at });
    }
    const r = await usageReport(d, 'demo', { now });
    expect(r.lines.map((l) => [l.userId, l.queries, l.acks, l.digestReads, l.commands])).toEqual([
      ['carol', 2, 1, 0, 0], ['bob', 0, 0, 1, 0], ['console:zoe', 1, 0, 0, 0],
    ]);
    expect(r.silent.map((s) => s.userId)).toContain('dave');
    const { app } = await buildTestApp(d);
    const c = await sayCard(app, '@alice', 'alice', 'usage');
    expect(c.fallbackText).toContain('陈晨 (@carol): 2 queries · 1 acks · 0 digests read · 0 other');
    expect(c.fallbackText).toContain('message content is never stored');
    // The usage command itself is counted (as a command of alice's), and no column holds text.
    expect(await one(`select count(*) as n from usage_events where user_id = 'alice' and kind = 'command'`)).toEqual({ n: 1 });
    const columns = await d.query<{ column_name: string }>(sql`select column_name from information_schema.columns where table_name = 'usage_events' order by 1`);
    expect(columns.map((c) => c.column_name)).toEqual(['at', 'id', 'kind', 'platform', 'user_id', 'workspace_id']);
  });

  it('syncs the directory from chat, lists leavers with their reassigned items, resumes a failed page', async () => {
    const dir = new FakeDirectory('feishu', 'tk', {
      departments: [{ id: '0', parentId: null, name: '联星出海' }, { id: 'od-us', parentId: '0', name: '亚马逊美国' }],
      people: [
        person({ unionId: 'on_alice', platformUserId: 'ou_alice', name: '王丽', email: 'alice@linkstar.example', departmentId: '0' }),
        person({ unionId: 'on_kate', platformUserId: 'ou_kate', name: '何静', email: 'kate@linkstar.example', departmentId: 'od-us' }),
        person({ unionId: 'on_nina', platformUserId: 'ou_nina', name: 'Nina Xu', email: 'nina@linkstar.example', departmentId: 'od-us' }),
      ],
    });
    const adapter = new DirectoryAdapter(dir);
    const bot = createBot({
      database: d, config: { ...testConfig(), publicUrl: 'http://kpi.test' }, adapterFor: () => adapter,
      logger: pino({ level: 'silent' }), charts: createChartRenderer({ cacheDir: join(tmpdir(), 'kpibot-org-test-charts') }), features: FEATURES,
    });
    await d.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id) values ('feishu', 'tk', 'demo')`);
    await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('feishu', 'tk', 'ou_alice', 'demo', 'alice')`);
    for (const u of ['bob', 'carol', 'dave', 'erin']) {
      await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('feishu', 'tk', ${`ou_${u}`}, 'demo', ${u})`);
    }
    let n = 0;
    const ask = async (text: string, as = 'alice') => {
      await bot.dispatch({
        kind: 'message', platform: 'feishu', eventId: `ev${++n}`, user: { platform: 'feishu', id: `ou_${as}` }, receivedAt: new Date(),
        conversation: { platform: 'feishu', tenantKey: 'tk', chatId: 'dm', kind: 'direct' }, text, mentionedBot: true,
      } as InboundEvent);
      const m = adapter.sent.at(-1)!.message;
      return m.kind === 'card' ? m.card : undefined;
    };

    // Admins only: everyone else is refused before anything is read.
    for (const who of ['bob', 'carol', 'dave', 'erin', 'zoe']) expect((await ask('sync directory', who))?.title).toBe('Not permitted');
    expect(dir.starts).toEqual([]);
    expect(await d.query(sql`select id from sync_runs`)).toEqual([]);

    const first = await ask('sync directory');
    expect(first?.title).toBe('Directory synced');
    expect(first?.fallbackText).toContain('nina'); // new person; alice and kate matched by e-mail
    expect(await d.query(sql`select user_id from directory_people order by user_id`)).toEqual([{ user_id: 'alice' }, { user_id: 'kate' }, { user_id: 'nina' }]);

    await d.query(sql`insert into followups (workspace_id, assignee_user_id, created_by, text) values ('demo', 'kate', 'bob', '回复差评')`);
    dir.people = dir.people.filter((p) => p.unionId !== 'on_kate');
    dir.failAt({ listing: 'users', page: 1, times: 1 });
    const stopped = await ask('同步 通讯录');
    expect(stopped?.title).toBe('通讯录同步中断');
    expect(await one(`select active from users where id = 'kate'`)).toEqual({ active: true });
    const resumed = await ask('sync directory');
    expect(resumed?.fallbackText).toMatch(/何静 \(@kate\) → 李强 \(@bob\): follow-up #\d+/);
    expect(await one(`select active from users where id = 'kate'`)).toEqual({ active: false });
    expect(await one(`select assignee_user_id from followups`)).toEqual({ assignee_user_id: 'bob' });
  });
});
