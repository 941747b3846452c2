/**
 * Issue #33 item 5: "a log scan proving no token or secret appears at any level". The real
 * service runs at LOG_LEVEL=trace with every platform at its fake and every secret set (random
 * per run), through a session that touches everything that holds a credential: inbound events
 * on every route (Slack events/commands/clicks, Feishu plain/encrypted/clicks, DingTalk outgoing
 * robot and Stream), outbound sends (bot token, tenant_access_token, accessToken, session
 * webhooks), signed links, signed pushes, the console and REST with their tokens, a LingXing
 * connector saved and tested (AppSecret, access/refresh tokens), failed sends and failed auth.
 * Then every line of stdout/stderr is searched for every secret, whole or as any 12-character
 * window of it.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropCreatedDatabases } from '../helpers/db.ts';
import { fixture as lingxingFixture } from '../fakes/lingxing/context.ts';
import { LingXingFake } from '../fakes/lingxing/server.ts';
import { toFrame, TOPIC_ROBOT } from '../fakes/dingtalk/harness.ts';
import { recordAttackFigures } from './attacks-section.ts';
import { RELIABILITY_DIR } from './figures.ts';
import {
  dingtalkDm, dingtalkLinks, dingtalkReq, feishuAlertClick, feishuDm, feishuEncrypted, feishuReq, linkReq, pushBody, pushReq, send,
  slackAlertButton, slackClick, slackCommand, slackDm, slackReq, type Req,
} from './attacks-sig-requests.ts';
import { DINGTALK_CORP, settle, startSigWorld, waitForAlertCards, type SigWorld } from './attacks-sig-world.ts';
import { findSecrets } from './attacks-sig-scan.ts';

const WINDOW = 12;

describe('no secret or token in the logs at LOG_LEVEL=trace', () => {
  let w: SigWorld;
  let lingxing: LingXingFake;
  const lingxingSecret = `lxsecret${randomBytes(12).toString('hex')}`;
  const statuses: Record<string, number> = {};
  const texts: Record<string, string> = {};
  const started = Date.now();

  beforeAll(async () => {
    w = await startSigWorld({ logLevel: 'trace' });
    lingxing = await new LingXingFake({ appId: 'ak_sigscan000001', appSecret: lingxingSecret, data: lingxingFixture(), now: () => new Date() }).start();
    await waitForAlertCards(w);
  });

  afterAll(async () => {
    await w?.close();
    await lingxing?.stop();
    await dropCreatedDatabases();
  });

  const sent: string[] = [];
  const call = async (name: string, r: Req) => {
    sent.push(r.body ?? '');
    statuses[name] = (await send(w, r)).status;
  };
  const rest = async (name: string, method: 'GET' | 'POST' | 'PUT', path: string, token: string | undefined, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${w.server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    texts[name] = (await res.text()).slice(0, 300);
    statuses[name] = res.status;
  };

  it('runs a session over every platform and finds no secret in any log line', async () => {
    const s = w.secrets;
    // Slack: a DM, /kpi with a chart, a click, a forged request, a failed send.
    const dm = slackDm('help');
    await call('slack event', slackReq(dm.body, dm.contentType, { secret: s.slackSigningSecret }));
    const cmd = slackCommand(w, 'gmv 7d');
    await call('slack /kpi', slackReq(cmd.body, cmd.contentType, { secret: s.slackSigningSecret }));
    const click = slackClick(w, slackAlertButton(w, w.alerts.acme[0]!));
    await call('slack click', slackReq(click.body, click.contentType, { secret: s.slackSigningSecret }));
    await call('slack forged', slackReq(dm.body, dm.contentType, { secret: 'not-the-signing-secret' }));
    w.slack.inject({ method: 'chat.postMessage', error: 'invalid_auth' });
    const dm2 = slackDm('whoami');
    await call('slack event (send fails)', slackReq(dm2.body, dm2.contentType, { secret: s.slackSigningSecret }));

    // Feishu: plain and encrypted events, a card click, a forged signature and token, a failed send.
    const key = s.feishuEncryptKey;
    await call('feishu plain', feishuReq(feishuDm(w, 'help'), { key }));
    await call('feishu encrypted', feishuReq(feishuEncrypted(w, feishuDm(w, 'gmv 7d')), { key }));
    await call('feishu click', feishuReq(feishuEncrypted(w, feishuAlertClick(w, w.alerts.acme[1]!)), { key }));
    await call('feishu forged', feishuReq(feishuDm(w, 'help'), { key: 'not-the-encrypt-key' }));
    await call('feishu wrong token', feishuReq(feishuDm(w, 'help', 'forged-verification-token'), { key }));
    w.feishu.inject({ api: 'reply', status: 500 });
    w.feishu.inject({ api: 'send', status: 500 });
    await call('feishu plain (send fails)', feishuReq(feishuDm(w, 'whoami'), { key }));

    // DingTalk: outgoing robot, Stream, links (valid, reused, forged), a forged sign, a failed send.
    const body = dingtalkDm(w, 'help');
    await call('dingtalk outgoing', dingtalkReq(body, { secret: s.dingtalkClientSecret }));
    await call('dingtalk forged', dingtalkReq(body, { secret: 'not-the-app-secret' }));
    const frame = toFrame(w.dingtalk, { type: 'CALLBACK', topic: TOPIC_ROBOT, data: JSON.parse(dingtalkDm(w, 'gmv 7d')) as unknown });
    sent.push(JSON.stringify(frame));
    expect(w.dingtalk.stream.push(frame)).toBe(true);
    const link = dingtalkLinks(w).find((l) => l.claims.a === 'alert.ack' && l.claims.x === String(w.alerts.acme[2]) && l.claims.t === DINGTALK_CORP)!;
    await call('link', linkReq(link.token));
    await call('link reused', linkReq(link.token));
    await call('link forged', linkReq(`${link.token.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`));
    w.dingtalk.inject({ path: '/v1.0/robot', status: 500 });
    await call('dingtalk outgoing (send fails)', dingtalkReq(dingtalkDm(w, 'whoami').replace(/"sessionWebhook":"[^"]*",/, ''), { secret: s.dingtalkClientSecret }));

    // Signed push, console and REST with their tokens (and without), a connector with credentials.
    await call('push', pushReq(pushBody(2), { secret: s.pushSecret }));
    await call('push forged', pushReq(pushBody(2), { secret: 'not-the-push-secret-000' }));
    await rest('console', 'POST', '/console/api/messages', s.consoleToken, { chatId: 'general', userId: 'alice', text: 'help' });
    await rest('console wrong token', 'POST', '/console/api/messages', `${s.consoleToken}x`, { chatId: 'general', userId: 'alice', text: 'help' });
    await rest('rest kpi', 'GET', '/api/v1/kpi?metrics=gmv&period=last_7d&workspace=acme', s.apiToken);
    await rest('rest wrong token', 'GET', '/api/v1/kpi?metrics=gmv&period=last_7d&workspace=acme', `${s.apiToken}x`);
    const settings = { appId: 'ak_sigscan000001', appSecret: lingxingSecret, shopMap: ['1519=us-main'], baseUrl: lingxing.url };
    await rest('connector save', 'PUT', '/api/v1/connectors/lx?workspace=acme', s.apiToken, { kind: 'erp', settings });
    await rest('connector test', 'POST', '/api/v1/connectors/lx/test?workspace=acme', s.apiToken, {});
    await rest('connector save (wrong secret)', 'PUT', '/api/v1/connectors/lx2?workspace=acme', s.apiToken, { kind: 'erp', settings: { ...settings, appSecret: `${lingxingSecret}-old` } });
    await rest('connector test (fails)', 'POST', '/api/v1/connectors/lx2/test?workspace=acme', s.apiToken, {});
    await settle(w, 1500, 30_000);
    await w.server.stop('SIGTERM');

    // The session did what it says (else the scan proves little).
    expect(statuses, JSON.stringify(texts)).toMatchObject({
      'slack event': 200, 'slack /kpi': 200, 'slack click': 200, 'slack forged': 401, 'feishu plain': 200, 'feishu encrypted': 200,
      'feishu click': 200, 'feishu forged': 401, 'feishu wrong token': 401, 'dingtalk outgoing': 200, 'dingtalk forged': 401,
      link: 200, 'link reused': 409, 'link forged': 400, push: 200, 'push forged': 401, console: 200, 'console wrong token': 401,
      'rest kpi': 200, 'rest wrong token': 401, 'connector save': 200, 'connector test': 200,
    });
    expect(w.feishu.tokens.length).toBeGreaterThan(0);

    const output = w.server.output();
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    const levels = new Map<number, number>();
    for (const l of lines) {
      const m = /^\{"level":(\d+)/.exec(l);
      if (m) levels.set(Number(m[1]), (levels.get(Number(m[1])) ?? 0) + 1);
    }
    writeFileSync(join(RELIABILITY_DIR, 'attacks-secrets.log'), output);
    // Every level was on: the debug lines (libraries' request traces, dedup drops) are there too.
    expect((levels.get(10) ?? 0) + (levels.get(20) ?? 0), 'no debug/trace lines: LOG_LEVEL=trace not in effect').toBeGreaterThan(0);

    const lingxingTokens = [...(lingxing as unknown as { access: Map<string, number>; refresh: Map<string, number> }).access.keys()];
    const secrets: Record<string, string[]> = {
      'Slack signing secret': [s.slackSigningSecret],
      'Slack bot token': [s.slackBotToken],
      'Feishu app secret': [s.feishuAppSecret],
      'Feishu verification token': [s.feishuVerificationToken],
      'Feishu encrypt key': [s.feishuEncryptKey],
      'Feishu tenant_access_token (issued by the fake)': w.feishu.tokens,
      'DingTalk client secret': [s.dingtalkClientSecret],
      'DingTalk session webhook credentials': [...new Set(sent.join('\n').match(/(?<=session=)[0-9a-f]{16}/g) ?? [])],
      'signed link tokens (MAC and nonce)': dingtalkLinks(w).flatMap((l) => [l.token.split('.')[1]!, String(l.claims.n)]),
      API_TOKEN: [s.apiToken],
      CONSOLE_TOKEN: [s.consoleToken],
      PUSH_SECRET: [s.pushSecret],
      SECRETS_KEY: [s.secretsKey],
      'LingXing AppSecret (connector credential)': [lingxingSecret],
      'LingXing access tokens (issued by the fake)': lingxingTokens,
    };
    // DingTalk's fake issues short tokens (`at-1`, `lt-2`): looked for as whole values.
    const found = findSecrets(lines, secrets, WINDOW, [/"(?:at|lt)-\d+"/, /access_token=(?:at|lt)-\d+\b/]);
    const total = Object.values(secrets).reduce((n, v) => n + v.length, 0);
    expect(lingxingTokens.length, 'the connector test never got a LingXing token').toBeGreaterThan(0);
    expect(found, `secrets in the logs:\n${found.map((f) => `${f.secret}: ${f.line.slice(0, 400)}`).join('\n')}`).toEqual([]);

    recordAttackFigures(
      'secrets',
      [
        { name: 'log lines scanned (stdout + stderr, LOG_LEVEL=trace)', value: lines.length, kind: 'inputs' },
        { name: 'secrets and tokens looked for', value: total },
        { name: 'secrets found in logs (whole or any 12-char window)', value: found.length, limit: '= 0', ok: found.length === 0 },
        { name: 'session requests', value: Object.keys(statuses).length },
        { name: 'test time', value: Math.round((Date.now() - started) / 1000), unit: 's' },
      ],
      [
        { title: 'secrets looked for', columns: ['secret', 'values', 'found'], rows: Object.entries(secrets).map(([k, v]) => [k, v.length, found.filter((f) => f.secret === k).length]) },
        { title: 'log lines per level', columns: ['level', 'lines'], rows: [...levels.entries()].sort((a, b) => a[0] - b[0]).map(([l, n]) => [l, n]) },
      ],
      {
        method:
          'The real service at LOG_LEVEL=trace (all platforms at their fakes, every secret random per run) went through a session of inbound ' +
          'events on every route, outbound sends, signed links, pushes, console and REST calls, a LingXing connector saved and tested, failed ' +
          'sends and failed auth; every stdout/stderr line was searched for every secret and fake-issued token, whole or as any 12-character window.',
        testFile: 'tests/reliability/attacks-secrets.test.ts',
      },
    );
  });
});
