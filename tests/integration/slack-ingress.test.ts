/**
 * `POST /slack/events` with the real Slack binding against the fake Slack: signature window both
 * ways, url_verification, bad bodies, retries, self-messages, long texts, guests and Slack
 * Connect users, and a raw-body parser that stays inside the Slack plugin.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackBinding } from '../../src/adapters/slack/index.ts';
import pino from 'pino';
import { SinkProbe } from '../contract/sink-probe.ts';
import { BOT_TOKEN, SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../fakes/slack/harness.ts';
import { FORM, slackRequest } from '../fakes/slack/requests.ts';

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as Json;
const now = () => Math.floor(Date.now() / 1000);

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(): Promise<{ h: SlackHarness; probe: SinkProbe }> {
  const probe = new SinkProbe();
  h = await startSlackHarness({ sink: probe.sink });
  return { h, probe };
}

describe('slack ingress', () => {
  it('echoes the url_verification challenge, only when signed', async () => {
    const { h } = await start();
    const body = fixture('url-verification');
    const ok = await h.app.inject(slackRequest(SIGNING_SECRET, body));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ challenge: body.challenge });
    expect((await h.app.inject(slackRequest(SIGNING_SECRET, body, { unsigned: true }))).statusCode).toBe(401);
  });

  it('accepts timestamps within five minutes either way and refuses the rest with 401', async () => {
    const { h, probe } = await start();
    const cmd = fixture('command');
    const status = async (offsetS: number) => (await h.deliver(cmd, { timestamp: now() + offsetS })).status;
    expect(await status(-6 * 60)).toBe(401);
    expect(await status(+6 * 60)).toBe(401);
    expect(await status(-4 * 60)).toBe(200);
    expect(await status(+4 * 60)).toBe(200);
    expect((await h.deliver(cmd, { badSignature: true })).status).toBe(401);
    const missing = await h.app.inject({ ...slackRequest(SIGNING_SECRET, cmd), headers: { 'content-type': FORM } });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: 'unauthorized' });
    await probe.quiet();
    // The same command twice within the window: trigger_id is the same, so it counts once.
    expect(probe.events).toHaveLength(1);
  });

  it('answers 4xx to broken bodies and dispatches none of them', async () => {
    const { h, probe } = await start();
    const malformed = JSON.parse(readFileSync(new URL('../fixtures/slack/malformed.json', import.meta.url), 'utf8')) as { name: string }[];
    const statuses: Record<string, number> = {};
    for (const m of malformed) statuses[m.name] = (await h.deliver(m)).status;
    expect(statuses).toMatchObject({
      'broken JSON': 400,
      'broken interactivity payload': 400,
      'form body that is not a command': 400,
      'JSON array': 400,
      'unknown content type': 415,
      'envelope without event': 400,
      'event that is a string': 400,
      'url_verification without a challenge': 400,
    });
    // Bodies Slack could send but we cannot use: acknowledged (so Slack does not retry), dropped.
    expect(statuses['mention missing user, channel and text']).toBe(200);
    expect(Object.values(statuses).every((s) => s < 500)).toBe(true);
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });

  it('dispatches a retried event once, even when the retry overlaps the first delivery', async () => {
    const { h, probe } = await start();
    const mention = fixture('mention');
    await Promise.all([h.deliver(mention), h.deliver(mention, { retryNum: 1 }), h.deliver(mention, { retryNum: 2 })]);
    await probe.quiet();
    expect(probe.events.map((e) => e.eventId)).toEqual(['Ev0MENTION01']);
  });

  it('never answers its own messages', async () => {
    const { h, probe } = await start();
    expect((await h.deliver(fixture('self-message'))).status).toBe(200);
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });

  it('cuts a 10 kB command text instead of refusing it', async () => {
    const { h, probe } = await start();
    const cmd = { ...fixture('command'), text: `gmv ${'7d '.repeat(3500)}` };
    expect((await h.deliver(cmd)).status).toBe(200);
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'command', name: 'gmv' });
    expect(e!.kind === 'command' && e!.text.length).toBeLessThanOrEqual(4000);
  });

  it('accepts a form content type with a charset (Bolt alone would not)', async () => {
    const { h, probe } = await start();
    const req = slackRequest(SIGNING_SECRET, fixture('command'));
    req.headers['content-type'] = `${FORM}; charset=utf-8`;
    expect((await h.app.inject(req)).statusCode).toBe(200);
    await probe.waitFor(1);
  });

  it('marks Slack Connect users and guests external, and fails closed when Slack cannot say', async () => {
    const { h, probe } = await start();
    h.fake.users.set('U0GUEST01', { team_id: 'T0001', is_restricted: true });
    await h.deliver(fixture('connect-mention'));
    const dm = fixture('direct-message');
    await h.deliver({ ...dm, event_id: 'Ev0GUEST', event: { ...(dm.event as Json), user: 'U0GUEST01' } });
    h.fake.inject({ method: 'users.info', channel: 'U0BOB0001', status: 503 });
    await h.deliver({ ...dm, event_id: 'Ev0DOWN', event: { ...(dm.event as Json), user: 'U0BOB0001' } });
    await h.deliver({ ...dm, event_id: 'Ev0MEMBER', event: { ...(dm.event as Json), user: 'U0CAROL01' } });
    const events = await probe.waitFor(4);
    const external = Object.fromEntries(events.map((e) => [e.user.id, e.user.isExternal === true]));
    expect(external).toEqual({ U0PARTNER1: true, U0GUEST01: true, U0BOB0001: true, U0CAROL01: false });
    const sharedChannel = Object.fromEntries(events.map((e) => [e.user.id, e.conversation.isExternal === true]));
    expect(sharedChannel).toEqual({ U0PARTNER1: true, U0GUEST01: false, U0BOB0001: false, U0CAROL01: false });
  });

  it('keeps its raw-body parser to itself: other routes still get parsed JSON', async () => {
    const probe = new SinkProbe();
    const app = Fastify({ logger: false });
    app.post('/elsewhere', async (req) => ({ got: req.body }));
    const binding = createSlackBinding(
      { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: 'http://127.0.0.1:9/api/' },
      { logger: pino({ level: 'silent' }), publicUrl: 'http://localhost:3000', loadImage: async () => null, timeoutMs: 100 },
    );
    if (binding.receiver?.mode !== 'http') throw new Error('expected http');
    await binding.receiver.register(app, probe.sink);
    const res = await app.inject({ method: 'POST', url: '/elsewhere', payload: { a: 1 } });
    expect(res.json()).toEqual({ got: { a: 1 } });
    await app.close();
  });

  it('answers Slack’s ssl_check without a signature and without dispatching', async () => {
    const { h, probe } = await start();
    const res = await h.app.inject(slackRequest(SIGNING_SECRET, { contentType: FORM, raw: 'ssl_check=1&token=x' }, { unsigned: true }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    // Only a bare ssl_check: anything more still needs a signature.
    const more = await h.app.inject(slackRequest(SIGNING_SECRET, { contentType: FORM, raw: 'ssl_check=1&token=x&command=%2Fkpi' }, { unsigned: true }));
    expect(more.statusCode).toBe(401);
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });
});
