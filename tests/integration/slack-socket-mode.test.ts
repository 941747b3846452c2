/**
 * Socket Mode (SLACK_APP_TOKEN): the same Bolt listeners over a WebSocket opened through
 * `apps.connections.open` on the fake. A slash command envelope is acked on the socket with its
 * envelope_id and reaches the sink normalised; a redelivered event envelope counts once.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformBinding } from '../../src/adapters/types.ts';
import { createSlackBinding } from '../../src/adapters/slack/index.ts';
import { SinkProbe } from '../contract/sink-probe.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack/harness.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as Json;
const APP_TOKEN = 'xapp-1-A0KPIBOT1-test';

async function until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let fake: FakeSlack | undefined;
let binding: PlatformBinding | undefined;
afterEach(async () => {
  if (binding?.receiver?.mode === 'socket') await binding.receiver.stop();
  await fake?.close();
  fake = undefined;
  binding = undefined;
});

describe('slack socket mode', () => {
  it('acks envelopes on the socket and hands the events to the sink once', async () => {
    fake = await startFakeSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    binding = createSlackBinding(
      { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: fake.apiUrl },
      { logger: pino({ level: 'silent' }), publicUrl: 'http://localhost:3000', loadImage: async () => null, drainMs: 200 },
    );
    expect(binding.receiver?.mode).toBe('socket');
    if (binding.receiver?.mode !== 'socket') return;
    const probe = new SinkProbe();
    await binding.receiver.start(probe.sink);
    await until('the socket', () => fake!.socket.connected());

    fake.socket.push({ envelope_id: 'env-cmd-1', type: 'slash_commands', accepts_response_payload: true, payload: fixture('command') });
    await until('the ack', () => fake!.socket.acks.length === 1);
    expect(fake.socket.acks[0]).toMatchObject({ envelope_id: 'env-cmd-1' });
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'command', platform: 'slack', name: 'gmv', args: ['7d'], conversation: { chatId: 'C0GENERAL1' } });

    const mention = fixture('mention');
    fake.socket.push({ envelope_id: 'env-ev-1', type: 'events_api', accepts_response_payload: false, payload: mention });
    fake.socket.push({ envelope_id: 'env-ev-2', type: 'events_api', accepts_response_payload: false, retry_attempt: 1, retry_reason: 'timeout', payload: mention });
    await until('both acks', () => fake!.socket.acks.length === 3);
    await probe.quiet();
    expect(probe.events.map((x) => x.kind)).toEqual(['command', 'message']);
  });
});
