/**
 * Names typed in chat resolved against the demo workspace on both engines: stores by id, name and
 * Chinese spelling (店铺:美国主店), teams, people by id, display name, English name, @mention and
 * chat identity, SKUs, campaigns, marketplaces; and a parsed ask's scopes as KPI engine filters.
 * Expected ids are the demo organisation's (src/demo/org.ts, stores.ts), written out by hand.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKpiText } from '../../src/bot/parse/index.ts';
import {
  resolveCampaign, resolveCategory, resolveMarketplace, resolvePlatform, resolveRegion, resolveScopes, resolveSku, resolveStore, resolveTeam,
  resolveUser, resolveWarehouse,
} from '../../src/bot/resolve.ts';
import type { Database } from '../../src/db/client.ts';
import { seedDemo } from '../../src/demo/lifecycle.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const WS = 'demo';
const ok = (id: string) => expect.objectContaining({ ok: true, id });

describe.each(ENGINES)('resolve names on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seedDemo(d, { anchor: '2026-11-20', seed: 7 });
    await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id, display_name)
      values ('slack', 'T1', 'U0BOB', ${WS}, 'bob', 'bob.li')`);
  }, 120_000);
  afterAll(async () => d?.close());

  it('stores: id, id in any case, full name, Chinese spelling, unique part; ambiguity and typos give suggestions', async () => {
    expect(await resolveStore(d, WS, 'us-main')).toEqual({ ok: true, id: 'us-main', label: 'Amazon US 主店' });
    expect(await resolveStore(d, WS, 'US-MAIN')).toEqual(ok('us-main'));
    expect(await resolveStore(d, WS, 'Amazon US 主店')).toEqual(ok('us-main'));
    expect(await resolveStore(d, WS, '美国主店')).toEqual(ok('us-main'));
    expect(await resolveStore(d, WS, '奥特莱斯')).toEqual(ok('us-outlet'));
    expect(await resolveStore(d, WS, 'Shopee 新加坡')).toEqual(ok('shopee-sg'));
    expect(await resolveStore(d, WS, '虾皮新加坡')).toEqual(ok('shopee-sg'));
    expect(await resolveStore(d, WS, 'walmart')).toEqual(ok('walmart-us'));
    expect(await resolveStore(d, WS, 'us-mian')).toEqual({ ok: false, suggestions: ['us-main'] });
    const shopee = await resolveStore(d, WS, 'shopee');
    expect(shopee).toEqual({ ok: false, suggestions: ['shopee-my', 'shopee-sg'] });
    expect(await resolveStore(d, 'no-such-workspace', 'us-main')).toEqual({ ok: false, suggestions: [] });
  });

  it('teams: id, Chinese name, English name', async () => {
    expect(await resolveTeam(d, WS, 'amazon-us')).toEqual({ ok: true, id: 'amazon-us', label: '亚马逊美国' });
    expect(await resolveTeam(d, WS, '亚马逊美国')).toEqual(ok('amazon-us'));
    expect(await resolveTeam(d, WS, 'SEA & Social')).toEqual(ok('asia-social'));
    expect(await resolveTeam(d, WS, '东南亚社媒')).toEqual(ok('asia-social'));
  });

  it('people: id, @id, display name, @display name, English name, first name, chat identity', async () => {
    expect(await resolveUser(d, WS, '@李强')).toEqual({ ok: true, id: 'bob', label: '李强' });
    expect(await resolveUser(d, WS, '李强')).toEqual(ok('bob'));
    expect(await resolveUser(d, WS, '@carol')).toEqual({ ok: true, id: 'carol', label: '陈晨' });
    expect(await resolveUser(d, WS, 'Carol Chen')).toEqual(ok('carol'));
    expect(await resolveUser(d, WS, 'bob li')).toEqual(ok('bob'));
    expect(await resolveUser(d, WS, 'Grace')).toEqual(ok('grace'));
    expect(await resolveUser(d, WS, '<@U0BOB|bob.li>', { platform: 'slack', tenantKey: 'T1' })).toEqual(ok('bob'));
    expect(await resolveUser(d, WS, '@bob.li', { platform: 'slack' })).toEqual(ok('bob'));
    expect(await resolveUser(d, WS, '<@U0BOB>', { platform: 'feishu' })).toEqual({ ok: false, suggestions: [] });
    expect(await resolveUser(d, WS, '@carl')).toEqual({ ok: false, suggestions: ['carol'] });
  });

  it('SKUs, campaigns, categories, warehouses', async () => {
    expect(await resolveSku(d, WS, 'US-KT-001')).toEqual({ ok: true, id: 'US-KT-001', label: '硅胶厨具12件套 Silicone Cooking Utensil Set' });
    expect(await resolveSku(d, WS, 'us-kt-001')).toEqual(ok('US-KT-001'));
    expect(await resolveSku(d, WS, 'Insulated Tumbler')).toEqual(ok('US-KT-002'));
    expect(await resolveSku(d, WS, 'US-KT-0O1')).toMatchObject({ ok: false, suggestions: expect.arrayContaining(['US-KT-001']) });
    expect(await resolveSku(d, WS, "'; drop table skus; --")).toEqual({ ok: false, suggestions: [] });
    expect(await resolveSku(d, WS, '%')).toMatchObject({ ok: false });
    expect(await resolveCampaign(d, WS, 'us-main-sp-auto')).toEqual({ ok: true, id: 'us-main-sp-auto', label: 'SP-自动-全店 Auto' });
    // Two stores run a campaign with this name: ambiguous, both offered.
    expect(await resolveCampaign(d, WS, 'SB-品牌 Brand')).toEqual({ ok: false, suggestions: ['de-main-sb-brand', 'us-main-sb-brand'] });
    expect(await resolveCampaign(d, WS, 'us-main-sb')).toEqual(ok('us-main-sb-brand'));
    expect(await resolveCategory(d, WS, '厨房用品')).toEqual(ok('kitchen'));
    expect(await resolveCategory(d, WS, 'Kitchen')).toEqual(ok('kitchen'));
    expect(await resolveWarehouse(d, WS, 'FBA 德国')).toEqual(ok('fba-de'));
  });

  it('marketplaces, platforms and regions by code, name and chat word', async () => {
    expect(await resolveMarketplace(d, WS, 'US')).toEqual({ ok: true, id: 'US', label: '美国站' });
    expect(await resolveMarketplace(d, WS, 'us')).toEqual(ok('US'));
    expect(await resolveMarketplace(d, WS, '美国')).toEqual(ok('US'));
    expect(await resolveMarketplace(d, WS, 'Japan')).toEqual(ok('JP'));
    expect(await resolveMarketplace(d, WS, '日本站')).toEqual(ok('JP'));
    expect(await resolveMarketplace(d, WS, 'UK')).toEqual({ ok: false, suggestions: expect.any(Array) });
    expect(await resolvePlatform(d, WS, '亚马逊')).toEqual(ok('amazon'));
    expect(await resolvePlatform(d, WS, 'TikTok')).toEqual(ok('tiktok_shop'));
    expect(await resolveRegion(d, WS, '东南亚')).toEqual(ok('东南亚'));
  });

  it('turns a parsed ask\'s scopes into KPI engine filters', async () => {
    const ask = parseKpiText('本周 GMV 店铺:美国主店 店铺:奥特莱斯 负责人:@李强 美国站 亚马逊', { now: new Date('2026-11-23T03:00:00Z') });
    expect(ask.kind).toBe('kpi');
    if (ask.kind !== 'kpi') return;
    const r = await resolveScopes(d, WS, ask.scopes);
    expect(r.ok && r.filters).toEqual({ store: ['us-main', 'us-outlet'], owner: ['bob'], marketplace: ['US'], platform: ['amazon'] });
    expect(r.ok && r.labels.map((l) => l.label)).toEqual(['Amazon US 主店', 'Amazon US 奥特莱斯店', '李强', '美国站', 'amazon']);
  });

  it('reports the first scope that names nothing, with suggestions', async () => {
    const r = await resolveScopes(d, WS, [{ dim: 'team', text: 'amazon-us' }, { dim: 'store', text: 'us-mian' }, { dim: 'owner', text: 'nobody' }]);
    expect(r).toEqual({ ok: false, scope: { dim: 'store', text: 'us-mian' }, suggestions: ['us-main'] });
    expect(await resolveScopes(d, WS, [])).toEqual({ ok: true, filters: {}, labels: [] });
  });
});
