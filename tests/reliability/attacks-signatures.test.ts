/**
 * Issue #33 item 5b: forged, stale, future, unsigned, altered and replayed requests on every
 * signed route of the real service (child process, Postgres, every platform at its fake):
 * POST /slack/events (events, slash commands, interactivity), POST /feishu/events (plain and
 * encrypted events, card callbacks), POST /dingtalk/events (outgoing robot), POST
 * /api/v1/push/:dataset and GET /links/<token>. A refused request must answer 4xx with a reason
 * and change nothing: every table of the database (md5 of its rows) and every message at the
 * fakes is compared before and after. A replayed valid request must change nothing either,
 * while its first delivery visibly did (the check can fail).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropCreatedDatabases } from '../helpers/db.ts';
import { linkKey, signLink } from '../../src/adapters/dingtalk/links.ts';
import { recordAttackFigures } from './attacks-section.ts';
import {
  dingtalkDm, dingtalkLinks, dingtalkReq, feishuAlertClick, feishuDm, feishuEncrypted, feishuReq, linkReq, pushBody, pushReq, send,
  slackAlertButton, slackClick, slackCommand, slackDm, slackReq, type Req, type Res,
} from './attacks-sig-requests.ts';
import { alertStatus, changed, DINGTALK_CORP, fingerprint, settle, startSigWorld, waitForAlertCards, type SigWorld } from './attacks-sig-world.ts';

interface Row {
  route: string;
  kase: string;
  status: number;
  refused: boolean;
}

const nowS = () => Math.floor(Date.now() / 1000);
/** Beyond every window: Slack, Feishu and push allow ±5 min; DingTalk's outgoing robot ±1 h. */
const OFF_S = 6 * 60;
const DINGTALK_OFF_MS = 61 * 60_000;

describe('signed routes refuse forged, stale and replayed requests with no side effect', () => {
  let w: SigWorld;
  const rows: Row[] = [];
  const sideEffects = new Map<string, string[]>();
  const replays: { route: string; status: number; extra: string[] }[] = [];
  const started = Date.now();

  beforeAll(async () => {
    w = await startSigWorld();
    // The seeded alerts are notified at start (cards with Acknowledge buttons and signed links).
    await waitForAlertCards(w);
  });

  afterAll(async () => {
    await w?.close();
    await dropCreatedDatabases();
  });

  /** True for a refusal carrying a reason: a JSON error message, or the link page's text. */
  const hasReason = (r: Res) => /"message":"[^"]{4,}"/.test(r.text) || /<h1>[^<]{4,}<\/h1>/.test(r.text);

  /** Sends requests that must all be refused (`codes`), then proves nothing changed anywhere. */
  async function refusedBatch(route: string, cases: [string, Req][], codes = [401]): Promise<void> {
    const before = await fingerprint(w);
    for (const [kase, req] of cases) {
      const r = await send(w, req);
      rows.push({ route, kase, status: r.status, refused: codes.includes(r.status) && (r.status === 200 || hasReason(r)) });
    }
    const diff = changed(before, await settle(w));
    sideEffects.set(route, [...(sideEffects.get(route) ?? []), ...diff]);
    expect(rows.filter((r) => r.route === route && !r.refused), `${route}: accepted`).toEqual([]);
    expect(diff, `${route}: state changed by refused requests`).toEqual([]);
  }

  /** The same valid request twice: the first changes state, the second nothing. */
  async function replayed(route: string, req: Req, codes: { first: number[]; second: number[] }): Promise<Record<string, string>> {
    const before = await fingerprint(w);
    const first = await send(w, req);
    expect(codes.first, `${route}: first ${first.text}`).toContain(first.status);
    const after1 = await settle(w, 1000);
    expect(changed(before, after1).length, `${route}: the valid request had no visible effect`).toBeGreaterThan(0);
    const second = await send(w, req);
    const after2 = await settle(w, 1000);
    const extra = changed(after1, after2);
    replays.push({ route, status: second.status, extra });
    rows.push({ route, kase: 'replayed (same bytes, same signature)', status: second.status, refused: codes.second.includes(second.status) && extra.length === 0 });
    expect(codes.second, `${route}: replay ${second.text}`).toContain(second.status);
    expect(extra, `${route}: the replay changed state`).toEqual([]);
    return after2;
  }

  function slackCases(route: string, body: string, ct: string, altered: string): [string, Req][] {
    const secret = w.secrets.slackSigningSecret;
    const noSig = slackReq(body, ct, { secret });
    delete noSig.headers['x-slack-signature'];
    const noTs = slackReq(body, ct, { secret });
    delete noTs.headers['x-slack-request-timestamp'];
    const good = slackReq(body, ct, { secret });
    return [
      ['forged (wrong signing secret)', slackReq(body, ct, { secret: `${secret}x` })],
      ['stale timestamp (-6 min)', slackReq(body, ct, { secret, ts: nowS() - OFF_S })],
      ['future timestamp (+6 min)', slackReq(body, ct, { secret, ts: nowS() + OFF_S })],
      ['missing headers', slackReq(body, ct, { secret, headers: false })],
      ['missing signature', noSig],
      ['missing timestamp', noTs],
      ['body altered after signing', { ...good, body: altered }],
    ].map(([k, r]) => [`${route.split(' ').pop()}: ${k as string}`, r as Req]);
  }

  it('POST /slack/events: events, slash commands and clicks', async () => {
    const dm = slackDm('help');
    await refusedBatch('slack events', slackCases('slack events', dm.body, dm.contentType, dm.body.replace('"help"', '"whoami"')));
    const cmd = slackCommand(w, 'help');
    await refusedBatch('slack slash', slackCases('slack slash', cmd.body, cmd.contentType, cmd.body.replace('text=help', 'text=whoami')));
    const button = slackAlertButton(w, w.alerts.acme[0]!);
    const click = slackClick(w, button);
    // The altered click names another alert: a signed click cannot be pointed elsewhere.
    const other = slackClick(w, button, String(w.alerts.acme[4]));
    await refusedBatch('slack click', slackCases('slack click', click.body, click.contentType, other.body));

    await replayed('slack events', slackReq(dm.body, dm.contentType, { secret: w.secrets.slackSigningSecret }), { first: [200], second: [200] });
    await replayed('slack slash', slackReq(cmd.body, cmd.contentType, { secret: w.secrets.slackSigningSecret }), { first: [200], second: [200] });
    await replayed('slack click', slackReq(click.body, click.contentType, { secret: w.secrets.slackSigningSecret }), { first: [200], second: [200] });
    expect(await alertStatus(w, w.alerts.acme[0]!)).toBe('acknowledged');
    expect(await alertStatus(w, w.alerts.acme[4]!)).toBe('open');

    // Slack's own redelivery (re-signed, X-Slack-Retry-Num) of an event already handled.
    const before = await fingerprint(w);
    const retry = slackReq(dm.body, dm.contentType, { secret: w.secrets.slackSigningSecret, ts: nowS() + 1 });
    retry.headers['x-slack-retry-num'] = '1';
    retry.headers['x-slack-retry-reason'] = 'http_timeout';
    const r = await send(w, retry);
    const extra = changed(before, await settle(w, 1000));
    rows.push({ route: 'slack events', kase: 'redelivered (re-signed, same event_id)', status: r.status, refused: r.status === 200 && extra.length === 0 });
    expect(r.status).toBe(200);
    expect(extra).toEqual([]);
  });

  it('POST /feishu/events: plain and encrypted events, card callbacks', async () => {
    const key = w.secrets.feishuEncryptKey;
    const feishuCases = (route: string, text: string, altered: string, forgedToken?: string): [string, Req][] => {
      const good = feishuReq(text, { key });
      const cases: [string, Req][] = [
        ['forged (wrong encrypt key)', feishuReq(text, { key: `${key}x` })],
        ['stale timestamp (-6 min)', feishuReq(text, { key, ts: nowS() - OFF_S })],
        ['future timestamp (+6 min)', feishuReq(text, { key, ts: nowS() + OFF_S })],
        ['missing headers', feishuReq(text, { key, headers: 'none' })],
        ['missing nonce', feishuReq(text, { key, headers: 'no-nonce' })],
        ['body altered after signing', { ...good, body: altered }],
      ];
      if (forgedToken) cases.push(['signed, wrong verification token', feishuReq(forgedToken, { key })]);
      return cases.map(([k, r]) => [`${route.split(' ').slice(1).join(' ')}: ${k}`, r]);
    };
    const plain = feishuDm(w, 'help');
    await refusedBatch('feishu plain', feishuCases('feishu plain', plain, plain.replace('help', 'whoami'), feishuDm(w, 'help', 'forged-token')));
    const enc = feishuEncrypted(w, feishuDm(w, 'help'));
    await refusedBatch('feishu encrypted', feishuCases('feishu encrypted', enc, feishuEncrypted(w, feishuDm(w, 'whoami')), feishuEncrypted(w, feishuDm(w, 'help', 'forged-token'))));
    const click = feishuEncrypted(w, feishuAlertClick(w, w.alerts.acme[1]!));
    const otherClick = feishuEncrypted(w, feishuAlertClick(w, w.alerts.acme[1]!, String(w.alerts.acme[4])));
    await refusedBatch('feishu card callback', feishuCases('feishu card callback', click, otherClick));

    await replayed('feishu plain', feishuReq(plain, { key }), { first: [200], second: [200] });
    await replayed('feishu encrypted', feishuReq(enc, { key }), { first: [200], second: [200] });
    await replayed('feishu card callback', feishuReq(click, { key }), { first: [200], second: [200] });
    expect(await alertStatus(w, w.alerts.acme[1]!)).toBe('acknowledged');
    expect(await alertStatus(w, w.alerts.acme[4]!)).toBe('open');

    // Feishu's own redelivery: the same event, re-signed with a new nonce and timestamp.
    const before = await fingerprint(w);
    const r = await send(w, feishuReq(plain, { key, ts: nowS() + 1 }));
    const extra = changed(before, await settle(w, 1000));
    rows.push({ route: 'feishu plain', kase: 'redelivered (re-signed, same event_id)', status: r.status, refused: r.status === 200 && extra.length === 0 });
    expect(extra).toEqual([]);
  });

  it('POST /dingtalk/events: outgoing-robot sign', async () => {
    const secret = w.secrets.dingtalkClientSecret;
    const body = dingtalkDm(w, 'help');
    const noSign = dingtalkReq(body, { secret });
    delete noSign.headers.sign;
    await refusedBatch('dingtalk outgoing', [
      ['forged (wrong app secret)', dingtalkReq(body, { secret: `${secret}x` })],
      ['stale timestamp (-61 min)', dingtalkReq(body, { secret, ts: Date.now() - DINGTALK_OFF_MS })],
      ['future timestamp (+61 min)', dingtalkReq(body, { secret, ts: Date.now() + DINGTALK_OFF_MS })],
      ['missing headers', dingtalkReq(body, { secret, headers: false })],
      ['missing sign', noSign],
    ]);
    const valid = dingtalkReq(body, { secret });
    await replayed('dingtalk outgoing', valid, { first: [200], second: [200] });
    // DingTalk signs only the timestamp, not the body: a captured (timestamp, sign) pair must not
    // carry another message (this is the "body altered after signing" of this route).
    await refusedBatch('dingtalk outgoing', [
      ['body altered after signing (captured sign, new message)', { ...valid, body: dingtalkDm(w, 'whoami') }],
      ['body altered after signing (same message, new text)', { ...valid, body: body.replace('"help"', '"whoami"') }],
    ], [401, 200]);
  });

  it('POST /api/v1/push/:dataset', async () => {
    const secret = w.secrets.pushSecret;
    const body = pushBody(3);
    const good = pushReq(body, { secret });
    await refusedBatch('push', [
      ['forged (wrong secret)', pushReq(body, { secret: `${secret}x` })],
      ['stale timestamp (-6 min)', pushReq(body, { secret, ts: nowS() - OFF_S })],
      ['future timestamp (+6 min)', pushReq(body, { secret, ts: nowS() + OFF_S })],
      ['missing headers', pushReq(body, { secret, headers: false })],
      ['missing headers, unknown dataset (401, not 404)', pushReq(body, { secret, headers: false, dataset: 'nonsense' })],
      ['body altered after signing', { ...good, body: body.replace('"units_ordered":3', '"units_ordered":3000') }],
    ]);
    await replayed('push', good, { first: [200], second: [409] });
  });

  it('GET /links/<token>: expired, tampered, reused and foreign links', async () => {
    const links = dingtalkLinks(w);
    const ackLink = (alertId: number, corp = DINGTALK_CORP) => {
      const l = links.find((x) => x.claims.a === 'alert.ack' && x.claims.x === String(alertId) && x.claims.t === corp);
      if (!l) throw new Error(`no signed Acknowledge link for alert ${alertId} (${links.length} links seen)`);
      return l;
    };
    const a2 = ackLink(w.alerts.acme[2]!);
    const a3 = ackLink(w.alerts.acme[3]!);
    const beta = ackLink(w.alerts.beta, 'dingcorp0002');
    const [p2, mac2] = a2.token.split('.') as [string, string];
    const [p3] = a3.token.split('.') as [string, string];
    const reencode = (claims: Record<string, unknown>) => Buffer.from(JSON.stringify(claims)).toString('base64url');
    const key = linkKey(w.secrets.dingtalkClientSecret);
    const claimsOf = (l: typeof a2) => ({
      actionId: String(l.claims.a), value: String(l.claims.x), tenantKey: String(l.claims.t), chatId: String(l.claims.c), messageId: String(l.claims.m),
      ...(typeof l.claims.u === 'string' ? { userId: l.claims.u } : {}),
    });
    await refusedBatch('links', [
      ['expired (validly signed)', linkReq(signLink(key, { ...claimsOf(a2), expiresAt: Date.now() - 60_000 }))],
      ['tampered payload (names another alert)', linkReq(`${reencode({ ...a2.claims, x: String(w.alerts.acme[4]) })}.${mac2}`)],
      ['tampered payload (later expiry)', linkReq(`${reencode({ ...a2.claims, e: Number(a2.claims.e) + 86_400 })}.${mac2}`)],
      ["another alert's link (payload of #3, MAC of #2)", linkReq(`${p3}.${mac2}`)],
      ["another workspace's link moved to this one (tenant rewritten)", linkReq(`${reencode({ ...beta.claims, t: DINGTALK_CORP })}.${beta.token.split('.')[1]}`)],
      ["another app's key (signed with a different secret)", linkReq(signLink(linkKey('another-app-secret-0000'), claimsOf(a2)))],
      ['truncated MAC', linkReq(`${p2}.${mac2.slice(0, 10)}`)],
      ['garbage', linkReq('not-a-link')],
    ], [400, 410]);
    await replayed('links', linkReq(a2.token), { first: [200], second: [409] });
    expect(await alertStatus(w, w.alerts.acme[2]!)).toBe('acknowledged');
    expect(await alertStatus(w, w.alerts.acme[4]!)).toBe('open');

    // A link validly signed for beta's chat whose value names acme's alert: it acts in beta only.
    const before = await alertStatus(w, w.alerts.acme[3]!);
    const cross = await send(w, linkReq(signLink(key, { ...claimsOf(beta), value: String(w.alerts.acme[3]) })));
    await settle(w, 1000);
    const after = await alertStatus(w, w.alerts.acme[3]!);
    rows.push({ route: 'links', kase: "beta chat's link naming acme's alert (validly signed)", status: cross.status, refused: after === before });
    expect(after).toBe('open');
  });

  it('records the figures', () => {
    const tried = rows.length;
    const refused = rows.filter((r) => r.refused).length;
    const effects = [...sideEffects.values()].reduce((n, d) => n + d.length, 0);
    const replayOk = replays.filter((r) => r.extra.length === 0).length;
    expect(refused).toBe(tried);
    expect(effects).toBe(0);
    const byRoute = new Map<string, Row[]>();
    for (const r of rows) byRoute.set(r.route, [...(byRoute.get(r.route) ?? []), r]);
    recordAttackFigures(
      'signatures',
      [
        { name: 'signed requests tried', value: tried, kind: 'inputs' },
        { name: 'refused (4xx with a reason) or without effect', value: refused, limit: `= ${tried}`, ok: refused === tried },
        { name: 'side effects of refused requests (tables + fake messages changed)', value: effects, limit: '= 0', ok: effects === 0 },
        { name: 'replays without a second side effect', value: replayOk, limit: `= ${replays.length}`, ok: replayOk === replays.length },
        { name: 'routes covered', value: byRoute.size },
        { name: 'test time', value: Math.round((Date.now() - started) / 1000), unit: 's' },
      ],
      [
        {
          title: 'requests per route and case',
          columns: ['route', 'case', 'HTTP status', 'refused / no effect'],
          rows: rows.map((r) => [r.route, r.kase, r.status, r.refused ? 'yes' : '**no**']),
        },
      ],
      {
        method:
          'The real service (child process, Postgres, Slack/Feishu/DingTalk fakes, PUSH_SECRET set) got forged, stale (−6 min; DingTalk −61 min), ' +
          'future, unsigned, altered-after-signing and replayed requests on POST /slack/events (events, /kpi, clicks on real alert cards), ' +
          'POST /feishu/events (plain, encrypted, card callbacks), POST /dingtalk/events, POST /api/v1/push/:dataset and GET /links/<token> ' +
          '(expired, tampered, reused, another alert\'s, another workspace\'s, another key\'s). Side effects = md5 of every table plus the ' +
          'messages at the fakes, compared before and after each batch.',
        testFile: 'tests/reliability/attacks-signatures.test.ts',
      },
    );
  });
});
