/**
 * Stream mode against the fake's gateway and WebSocket, with the real dingtalk-stream DWClient:
 * the gateway call goes to DINGTALK_API_URL (our getEndpoint override sets the SDK's private
 * `dw_url` — this file fails if an SDK upgrade renames it or stops calling getEndpoint), pings
 * are answered, a SYSTEM disconnect + socket close leads to exactly one new socket (never two at
 * once) that keeps working, malformed frames crash nothing, and neither our logger nor the SDK's
 * console output ever carries the client secret or a token.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../../helpers/db.ts';
import { TOPIC_ROBOT, startDingTalkHarness, type DingTalkHarness } from '../../fakes/dingtalk/harness.ts';
import { readFileSync } from 'node:fs';

afterAll(dropCreatedDatabases);

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/dingtalk/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

function captureLogs() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  return { logger, lines };
}

describe.each(ENGINES)('dingtalk Stream on %s', (engine) => {
  let d!: Database;
  let h: DingTalkHarness | undefined;
  databaseHooks(engine, (x) => (d = x));
  afterEach(async () => {
    await h?.close();
    h = undefined;
    vi.restoreAllMocks();
  });

  it('opens the socket through our gateway URL and answers pings', async () => {
    const probe = new SinkProbe();
    h = await startDingTalkHarness({ sink: probe.sink, database: d });
    const gateway = h.fake.calls.filter((c) => c.path === '/v1.0/gateway/connections/open');
    expect(gateway).toHaveLength(1);
    // Subscriptions: every event, robot messages and card callbacks.
    expect(gateway[0]!.body.subscriptions).toEqual([
      { type: 'EVENT', topic: '*' },
      { type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
      { type: 'CALLBACK', topic: '/v1.0/card/instances/callback' },
    ]);
    const pong = await h.fake.stream.ping();
    expect(pong).toMatchObject({ code: 200, message: 'OK' });
  });

  it('reconnects after a disconnect frame and socket close, with one socket at a time, and keeps working', async () => {
    const probe = new SinkProbe();
    h = await startDingTalkHarness({ sink: probe.sink, database: d });
    h.fake.stream.disconnect(30);
    await h.fake.stream.waitForConnections(2);
    expect(h.fake.stream.maxOpen()).toBe(1);
    // A fresh ticket each time: two gateway calls in all.
    expect(h.fake.calls.filter((c) => c.path === '/v1.0/gateway/connections/open')).toHaveLength(2);
    const d1 = await h.deliver({ type: 'CALLBACK', topic: TOPIC_ROBOT, data: fixture('mention') });
    expect(d1.status).toBe(200);
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'message', text: 'gmv 7d by store' });
    // Nothing else reconnects behind our back (the SDK's own autoReconnect is off).
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.stream.connections()).toBe(2);
    expect(h.binding.stream.connects).toBe(2);
  });

  it('retries with backoff while the gateway is down, then connects', async () => {
    const probe = new SinkProbe();
    h = await startDingTalkHarness({ sink: probe.sink, database: d });
    // The next two gateway calls fail; the socket is dropped by the server without notice.
    h.fake.inject({ path: '/v1.0/gateway/connections/open', status: 503 });
    h.fake.inject({ path: '/v1.0/gateway/connections/open', status: 503 });
    h.fake.stream.dropAll();
    await h.fake.stream.waitForConnections(2, 8000);
    const tries = h.fake.calls.filter((c) => c.path === '/v1.0/gateway/connections/open').map((c) => c.at);
    expect(tries).toHaveLength(4);
    // Backoff grows: base 20 ms → waits of ≥10, ≥20, ≥40 ms (upper half of 20·2^n, jittered).
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(10);
    expect(tries[3]! - tries[2]!).toBeGreaterThanOrEqual(20);
    expect(h.fake.stream.maxOpen()).toBe(1);
  });

  it('drops malformed frames without crashing and still handles the next good one', async () => {
    const probe = new SinkProbe();
    h = await startDingTalkHarness({ sink: probe.sink, database: d });
    for (const raw of ['{', '[]', 'null', '{"type":"CALLBACK"}', '{"type":"EVENT","headers":{"topic":"x","messageId":"m"},"data":"{"}']) {
      expect(h.fake.stream.push(raw)).toBe(true);
    }
    await probe.quiet();
    expect(probe.events).toEqual([]);
    const ok = await h.deliver({ type: 'CALLBACK', topic: TOPIC_ROBOT, data: fixture('direct-message') });
    expect(ok.status).toBe(200);
    await probe.waitFor(1);
    expect(h.fake.stream.connections()).toBe(1);
  });

  it('never logs the client secret or a token, from our logger or the SDK', async () => {
    const { logger, lines } = captureLogs();
    const printed: string[] = [];
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    }
    const probe = new SinkProbe();
    h = await startDingTalkHarness({ sink: probe.sink, database: d, logger, template: false });
    h.fake.inject({ path: '/v1.0/robot/groupMessages/send', status: 401, code: 'InvalidAuthentication' });
    await h.binding.adapter.send({ platform: 'dingtalk', tenantKey: h.fake.corpId, chatId: 'cidX', kind: 'group' }, { kind: 'text', markdown: 'hi' }).catch(() => undefined);
    h.fake.stream.disconnect(10);
    await h.fake.stream.waitForConnections(2);
    await h.deliver({ type: 'CALLBACK', topic: TOPIC_ROBOT, data: fixture('mention') });
    await probe.waitFor(1);
    const all = [...lines, ...printed].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(all).not.toContain(h.fake.clientSecret);
    expect(all).not.toMatch(/\b(at|lt)-\d+\b/);
    expect(all).not.toContain('ticket=');
  });
});
