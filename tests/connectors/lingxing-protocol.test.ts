/**
 * The LingXing connector against its fake, without a database: request signing, token renewal
 * (once), auth revocation, the token-bucket limit, paging with a page served twice, malformed
 * answers and configuration errors, and that no secret, token or sign reaches a log line or an
 * error message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lingxing } from '../../src/ingest/connectors/lingxing/index.ts';
import { THROTTLE_BACKOFF_MS } from '../../src/ingest/connectors/lingxing/client.ts';
import { canonicalParams, signParams } from '../../src/ingest/connectors/lingxing/sign.ts';
import { ConnectorError } from '../../src/ingest/connectors/types.ts';
import { APP_ID, APP_SECRET, collect, context, objects, startFake } from '../fakes/lingxing/context.ts';
import type { LingXingFake } from '../fakes/lingxing/server.ts';

const SALES = '/erp/sc/data/sales_report/asinDailyLists';
const PROFIT = '/bd/profit/statistics/open/msku/list';
const ADS = '/pb/openapi/newad/spProductAdReports';
const FBA = '/erp/sc/routing/fba/fbaStock/fbaList';
const SHOPS = '/erp/sc/data/seller/lists';
const TOKEN = '/api/auth-server/oauth/access-token';
const REFRESH = '/api/auth-server/oauth/refresh';

let fake: LingXingFake | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

/** A context whose tokens all expire when its `n`th request is sent. */
function expiringAt(f: LingXingFake, n: number) {
  const ctx = context(f);
  let sent = 0;
  ctx.fetch = async (input, init) => {
    if (++sent === n) f.expireTokens();
    return fetch(input, init);
  };
  return ctx;
}

describe('LingXing signing (接入指南 §4)', () => {
  it('signs the sorted parameters: MD5 upper-cased, AES-128-ECB with the AppID, base64', () => {
    const params = { sid: 1519, offset: 0, length: 2, access_token: 'tok-1', app_key: APP_ID, timestamp: '1793671200' };
    expect(canonicalParams(params)).toBe('access_token=tok-1&app_key=ak_0123456789abc&length=2&offset=0&sid=1519&timestamp=1793671200');
    // Computed outside Node: md5sum → F83AC91FDD3D046EB8392E347E107CFB, then
    // `openssl enc -aes-128-ecb -K <hex of the AppID> -base64`.
    expect(signParams(params, APP_ID)).toBe('O5ezXdnYTwC4oGe4WQa+fFd2KxGUfhVK6LbFBOeIzDRIwVhSPzVcd0sPeLkAl3rO');
  });

  it('leaves out empty strings, keeps null, writes arrays and objects as compact sorted JSON', () => {
    expect(canonicalParams({ z: { b: null, a: 1 }, name: '', flag: true, sids: [1519, 1520], access_token: 'tok-1', app_key: APP_ID, timestamp: '1793671200' }))
      .toBe('access_token=tok-1&app_key=ak_0123456789abc&flag=true&sids=[1519,1520]&timestamp=1793671200&z={"a":1,"b":null}');
  });

  it('refuses an AppID that cannot be an AES key', () => {
    expect(() => signParams({}, 'short')).toThrow(/16, 24 or 32 characters/);
  });
});

describe('LingXing connector protocol', () => {
  it('test() lists the shops and names the mapped and unmapped ones', async () => {
    fake = await startFake();
    expect(await lingxing.test(context(fake))).toEqual({ ok: true, detail: '3 LingXing shop(s); mapped 1519→us-main, 1520→de-main; not mapped: 1521' });
    const err = await failure(lingxing.test(context(fake, { config: { shopMap: { 1519: 'us-main', 7: 'jp-main' } } })));
    expect(err.code).toBe('invalid_config');
    expect(err.message).toContain('sid 7');
  });

  it('pages with offset/length, one call per page, and reads every row once', async () => {
    fake = await startFake();
    const batches = await collect(context(fake));
    expect(batches.map((b) => [b.dataset, b.rows.length - 1])).toEqual([['orders', 5], ['costs', 4], ['ads', 5], ['inventory', 3]]);
    // Sales: 3 statistics × (1519: 2 days, 1520: 2 days). 1519 on 11-01 has 2 rows = one full page
    // of 2, so a second (empty) page is asked; the other shop-days are short pages → 3 × (2+1+1+1).
    expect(fake.count(SALES)).toBe(15);
    // Profit: 2 days and both mapped sids in one window; 4 records → 2 pages of 2, the second
    // reaching `total` (4), so no third call.
    expect(fake.count(PROFIT)).toBe(2);
    // Ads: 1519 11-01 has 3 ads (2 pages), 11-02 1, 1520 11-01 1, 11-02 0 → 5 calls.
    expect(fake.count(ADS)).toBe(5);
    // FBA: 3 rows of the two mapped sids → 2 pages.
    expect(fake.count(FBA)).toBe(2);
    expect([fake.count(SHOPS), fake.count(TOKEN), fake.count(REFRESH)]).toEqual([1, 1, 0]);
    // Sequential requests: never more than one of our tokens per bucket.
    expect(Math.max(...Object.values(fake.maxInFlight))).toBe(1);
  });

  it('does not double count a page served twice', async () => {
    fake = await startFake();
    const once = await collect(context(fake));
    for (const p of [SALES, PROFIT, ADS, FBA]) fake.duplicateFirstPage(p);
    const twice = await collect(context(fake));
    expect(twice.map((b) => objects(b.rows))).toEqual(once.map((b) => objects(b.rows)));
  });

  it('sends X-API-VERSION 2 on ads so offset is an offset, not a page number', async () => {
    fake = await startFake();
    const ads = objects((await collect(context(fake))).find((b) => b.dataset === 'ads')!.rows);
    // Three ads on 1519 / 11-01 over two pages: all three present, none repeated.
    expect(ads.filter((a) => a.date === '2026-11-01' && a.store_id === 'us-main').map((a) => [a.campaign_id, a.sku_id])).toEqual([
      ['101133922102706', 'A-1'], ['101133922102706', 'B-2'], ['101133922102707', 'A-1'],
    ]);
  });

  it('renews an expired token once (refresh_token) and carries on', async () => {
    fake = await startFake();
    // Every token expires once the 4th call has been sent.
    const ctx = expiringAt(fake, 4);
    const batches = await collect(ctx);
    expect(batches.map((b) => b.dataset)).toEqual(['orders', 'costs', 'ads', 'inventory']);
    expect([fake.count(TOKEN), fake.count(REFRESH)]).toEqual([1, 1]);
    expect(fake.calls.filter((c) => c.code === '2001003')).toHaveLength(1);
  });

  it('raises auth_revoked when the token is refused again after one renewal', async () => {
    fake = await startFake();
    fake.refuseAllTokens = true;
    const err = await failure(collect(context(fake)));
    expect(err.code).toBe('auth_revoked');
    expect([fake.count(TOKEN), fake.count(REFRESH), fake.count(SHOPS)]).toEqual([1, 1, 2]);
  });

  it('raises auth_revoked when the AppSecret was regenerated', async () => {
    fake = await startFake();
    fake.rotateSecret();
    const err = await failure(collect(context(fake)));
    expect(err.code).toBe('auth_revoked');
    expect(err.message).toContain('2001002');
    expect(fake.count(SHOPS)).toBe(0);
  });

  it('waits out 3001008 with backoff, then gives up as rate_limited', async () => {
    fake = await startFake();
    fake.holdBucket(ADS, 3);
    const ctx = context(fake);
    await collect(ctx);
    expect(ctx.sleeps).toEqual([1000, 2000, 4000]);
    expect(fake.calls.filter((c) => c.path === ADS && c.code === '3001008')).toHaveLength(3);

    fake.holdBucket(SHOPS, 99);
    const ctx2 = context(fake);
    const err = await failure(collect(ctx2));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterSeconds).toBe(60);
    expect(ctx2.sleeps).toEqual(THROTTLE_BACKOFF_MS);
    // 1 first try + 5 retries, and nothing after the shop list.
    expect(fake.calls.slice(-6).every((c) => c.path === SHOPS && c.code === '3001008')).toBe(true);
  });

  it.each([
    ['not JSON', SHOPS, '<html>502</html>', /non-JSON/],
    ['a list where an object belongs', PROFIT, '{"code":0,"msg":null,"data":{"total":1,"records":{}}}', /data.records is not a list/],
    ['a missing total', FBA, '{"code":0,"data":{"list":[]}}', /data.total is not a count/],
    ['a non-numeric amount', SALES, '{"code":0,"data":[{"sid":1519,"r_date":"2026-11-01","seller_sku":"A-1","currency_code":"USD","map_value":"12,5"}]}', /map_value is not a number/],
    ['a bad date', ADS, '{"code":0,"total":1,"data":[{"ad_id":1,"report_date":"11/01/2026","campaign_id":1,"ad_group_id":2,"sku":"A-1","impressions":1,"clicks":0,"cost":0,"sales_7d":0,"orders_7d":0,"units_7d":0}]}', /report_date is not a YYYY-MM-DD date/],
  ])('raises malformed_response on %s', async (_name, path, body, message) => {
    fake = await startFake();
    fake.breakNext(path, body);
    const err = await failure(collect(context(fake)));
    expect(err.code).toBe('malformed_response');
    expect(err.message).toMatch(message);
  });

  it('classifies other LingXing codes: IP whitelist, unknown service', async () => {
    fake = await startFake();
    fake.breakNext(SHOPS, '{"code":"3001002","msg":"ip not permit, please add ip to white list first.","data":null}');
    expect((await failure(collect(context(fake)))).code).toBe('invalid_config');
    fake.breakNext(SHOPS, '{"code":400,"message":"服务不存在","error_details":[],"data":[],"total":0}');
    const err = await failure(collect(context(fake)));
    expect([err.code, err.message]).toEqual(['provider_unavailable', `LingXing answered 400 "服务不存在" on ${SHOPS}`]);
  });

  it('refuses bad settings before calling LingXing', async () => {
    fake = await startFake();
    for (const [config, message] of [
      [{ shopMap: ['us-main'] }, /shopMap entries/],
      [{ appId: '' }, /appId is required/],
      [{ fulfillmentChannel: 'platform' }, /fba or fbm/],
    ] as const) {
      const err = await failure(collect(context(fake, { config })));
      expect([err.code, err.message]).toEqual(['invalid_config', expect.stringMatching(message)]);
    }
    expect((await failure(collect(context(fake, { credentials: {} })))).message).toMatch(/appSecret is required/);
    expect(fake.calls).toHaveLength(0);
  });

  it('keeps the AppSecret, tokens and signs out of logs and error messages', async () => {
    fake = await startFake();
    const ctx = expiringAt(fake, 3);
    fake.holdBucket(ADS, 1);
    await collect(ctx);
    fake.refuseAllTokens = true;
    const err = await failure(collect(ctx));
    const urls: string[] = [];
    ctx.fetch = async (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    await failure(collect(ctx));
    const secrets = [APP_SECRET, ...urls.flatMap((u) => ['access_token', 'sign'].map((k) => new URL(u).searchParams.get(k)).filter((v): v is string => Boolean(v)))];
    expect(secrets.length).toBeGreaterThan(2);
    const said = [...ctx.logs, err.message].join('\n');
    expect(ctx.logs.length).toBeGreaterThan(2);
    for (const s of secrets) expect(said).not.toContain(s);
  });
});
