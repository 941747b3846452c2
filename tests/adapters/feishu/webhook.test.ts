/**
 * `POST /feishu/events` security and bad input, with the real binding and the fake Feishu:
 * signature on the raw bytes (±5 min, constant time), AES-256-CBC bodies, url_verification plain
 * and encrypted, the verification token (alone, and beside the signature), unknown event types.
 * Every refused or ignored input dispatches nothing and never answers 5xx.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { ENCRYPT_KEY, startFeishuHarness, VERIFICATION_TOKEN, type FeishuHarness } from '../../fakes/feishu/harness.ts';
import { encryptFeishu, feishuRequest, fixture } from '../../fakes/feishu/requests.ts';

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(encryptKey: string | null = ENCRYPT_KEY) {
  const probe = new SinkProbe();
  h = await startFeishuHarness({ sink: probe.sink, encryptKey });
  return { h, probe };
}

describe('feishu webhook with an Encrypt Key', () => {
  it('accepts an encrypted, signed, pretty-printed event and dispatches it once', async () => {
    const { h, probe } = await start();
    // Pretty-printed: the SDK's own check (JSON.stringify of the parsed body) would refuse it.
    const d = await h.deliver(fixture('mention'), { pretty: true });
    expect(d.status).toBe(200);
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'message', text: 'gmv 7d by store @Bob', mentionedBot: true });
  });

  it('refuses a wrong signature, a stale or future timestamp and a missing signature', async () => {
    const { h, probe } = await start();
    const now = Math.floor(Date.now() / 1000);
    expect((await h.deliver(fixture('mention'), { badSignature: true })).status).toBe(401);
    expect((await h.deliver(fixture('mention'), { timestamp: now - 301 })).status).toBe(401);
    expect((await h.deliver(fixture('mention'), { timestamp: now + 301 })).status).toBe(401);
    expect((await h.deliver(fixture('mention'), { unsigned: true })).status).toBe(401);
    // 299 s old is still inside the window.
    expect((await h.deliver(fixture('direct-message'), { timestamp: now - 299 })).status).toBe(200);
    await probe.waitFor(1);
    await probe.quiet();
    expect(probe.events.map((e) => e.eventId)).toEqual(['ev_dm_0001']);
  });

  it('refuses a body signed correctly but tampered with afterwards', async () => {
    const { h, probe } = await start();
    const req = feishuRequest(fixture('mention'), { encryptKey: ENCRYPT_KEY, encrypt: false });
    const res = await h.app!.inject({ ...req, payload: req.payload.replace('gmv 7d', 'gmv 30d') });
    expect(res.statusCode).toBe(401);
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });

  it('refuses an undecryptable body with 400 and a body encrypted with another key', async () => {
    const { h, probe } = await start();
    expect((await h.deliver({ body: { encrypt: 'bm90IGEgcmVhbCBjaXBoZXJ0ZXh0IGF0IGFsbA==' } })).status).toBe(400);
    const other = { body: { encrypt: encryptFeishu(JSON.stringify(fixture('mention')), 'another-key') } };
    const res = await h.deliver(other);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('encrypt-key');
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });

  it('answers url_verification, encrypted and unsigned as the console sends it, within 1 s', async () => {
    const { h } = await start();
    const d = await h.deliver(fixture('url-verification'), { unsigned: true });
    expect(d.status).toBe(200);
    expect(JSON.parse(d.body)).toEqual({ challenge: 'ajls384kdjx98XX' });
    expect(d.ms).toBeLessThan(1000);
    // The same challenge with a wrong token is refused.
    const forged = { ...fixture('url-verification'), token: 'nope' };
    expect((await h.deliver(forged, { unsigned: true })).status).toBe(401);
  });

  it('checks header.token too when an event carries one', async () => {
    const { h, probe } = await start();
    const e = fixture('mention');
    (e.header as Record<string, unknown>).token = 'someone-else';
    expect((await h.deliver(e)).status).toBe(401);
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });

  it('ignores unknown event types with 200 {} and dispatches nothing', async () => {
    const { h, probe } = await start();
    const e = fixture('mention');
    (e.header as Record<string, unknown>).event_type = 'contact.user.created_v3';
    const d = await h.deliver(e);
    expect(d.status).toBe(200);
    expect(JSON.parse(d.body)).toEqual({});
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });
});

describe('feishu webhook with the verification token only', () => {
  it('accepts the right token and refuses a wrong or missing one', async () => {
    const { h, probe } = await start(null);
    expect((await h.deliver(fixture('direct-message'))).status).toBe(200);
    expect((await h.deliver(fixture('mention'), { badSignature: true })).status).toBe(401);
    const none = fixture('mention');
    delete (none.header as Record<string, unknown>).token;
    expect((await h.deliver(none)).status).toBe(401);
    await probe.waitFor(1);
    await probe.quiet();
    expect(probe.events.map((e) => e.eventId)).toEqual(['ev_dm_0001']);
  });

  it('answers a plain url_verification and refuses encrypted bodies it cannot read', async () => {
    const { h } = await start(null);
    const d = await h.deliver(fixture('url-verification'));
    expect(JSON.parse(d.body)).toEqual({ challenge: 'ajls384kdjx98XX' });
    expect((await h.deliver({ body: { encrypt: encryptFeishu('{}', ENCRYPT_KEY) } })).status).toBe(400);
    expect(VERIFICATION_TOKEN).toBe(fixture('url-verification').token);
  });

  it('answers malformed bodies with 4xx, never 5xx', async () => {
    const { h, probe } = await start(null);
    for (const raw of ['', 'null', '"text"', '{"schema":"2.0","header":{"token":"vt-fixture-token-0001"}}', '\u0000\u0001']) {
      const d = await h.deliver({ raw });
      expect(d.status, raw).toBeGreaterThanOrEqual(400);
      expect(d.status, raw).toBeLessThan(500);
    }
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });
});
