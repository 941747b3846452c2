/**
 * The `block_actions` payload Slack sends when someone clicks a button of a message the bot
 * posted: tests/fixtures/slack/action-ack.json with the message, its button and a fresh
 * response_url filled in.
 */
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;
const TEMPLATE = JSON.parse(readFileSync(new URL('../../fixtures/slack/action-ack.json', import.meta.url), 'utf8')) as Json;

export function clickPayload(
  message: { channel: string; ts: string; text?: unknown; blocks?: Json[] },
  actionId: string,
  responseUrl: string,
  user = 'U0ALICE01',
): Json {
  const element = (message.blocks ?? [])
    .flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : []))
    .find((e) => String(e.action_id).split('#')[0] === actionId);
  if (!element) throw new Error(`no ${actionId} button in message ${message.ts}`);
  const click = structuredClone(TEMPLATE);
  click.user = { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0001' };
  click.container = { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false };
  click.channel = { id: message.channel, name: 'general' };
  click.message = { type: 'message', ts: message.ts, bot_id: 'BBOT0001', text: message.text, blocks: message.blocks };
  click.actions = [{ ...element, block_id: 'b1', action_ts: (Date.now() / 1000).toFixed(6) }];
  click.response_url = responseUrl;
  return click;
}
