/**
 * The Slack adapter's pure parts: Block Kit rendering within Slack's limits, mrkdwn escaping,
 * text normalising, signature checks, public-URL detection and error classification. Expected
 * values are written from Slack's documented limits, not read back from the implementation.
 */
import { readFileSync } from 'node:fs';
import { WebAPIPlatformError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { actions, button, card, fields, note, text } from '../../src/bot/card.ts';
import { carriesNoData } from '../../src/adapters/slack/adapter.ts';
import { isPublicUrl } from '../../src/adapters/public-url.ts';
import { chunkText, clip, renderCard, toMrkdwn } from '../../src/adapters/slack/block-kit.ts';
import { classifySlackError } from '../../src/adapters/slack/errors.ts';
import { cleanSlackText, normalizeBlockActions, normalizeSlashCommand } from '../../src/adapters/slack/normalize.ts';
import { slackSignature, verifySlackSignature } from '../../src/adapters/slack/signature.ts';

type Block = { type: string; text?: { text: string }; fields?: unknown[]; elements?: unknown[] };

describe('slack block kit', () => {
  it('chunks 60 fields into sections of 10 and 40 buttons into actions of 25 and 15', () => {
    const c = card({
      title: 'KPIs',
      blocks: [
        fields(Array.from({ length: 60 }, (_, i) => ({ label: `m${i}`, value: String(i) }))),
        actions(...Array.from({ length: 40 }, (_, i) => button(`a.${i}`, `B${i}`))),
      ],
    });
    const blocks = renderCard(c).blocks as Block[];
    expect(blocks.filter((b) => b.type === 'section').map((b) => b.fields!.length)).toEqual([10, 10, 10, 10, 10, 10]);
    expect(blocks.filter((b) => b.type === 'actions').map((b) => b.elements!.length)).toEqual([25, 15]);
  });

  it('splits long text at line breaks into sections of at most 3000 characters, losing nothing', () => {
    const lines = Array.from({ length: 70 }, (_, i) => `${String(i).padStart(2, '0')} ${'x'.repeat(95)}`);
    const blocks = renderCard(card({ title: 't', blocks: [text(lines.join('\n'))] })).blocks as Block[];
    const sections = blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
    expect(sections.length).toBe(3); // 70 lines × 99 chars = 6,929 characters
    expect(sections.every((s) => s.length <= 3000)).toBe(true);
    expect(sections.join('\n')).toBe(lines.join('\n'));
  });

  it('keeps at most 50 blocks, the buttons among them, and says what was cut', () => {
    const c = card({ title: 't', blocks: [...Array.from({ length: 70 }, (_, i) => note(`n${i}`)), actions(button('alert.ack', 'Ack', '1'))] });
    const blocks = renderCard(c).blocks as Block[];
    expect(blocks).toHaveLength(50);
    expect(blocks.some((b) => b.type === 'actions')).toBe(true);
    expect(JSON.stringify(blocks.at(-1))).toContain('did not fit');
  });

  it('cuts a header to 150 characters without splitting an emoji', () => {
    const header = (renderCard(card({ title: '📈'.repeat(200), blocks: [] })).blocks as Block[])[0]!;
    expect(Array.from(header.text!.text)).toHaveLength(150);
    expect(clip('ab📈cd', 3)).toBe('ab…');
  });

  it('converts the markdown subset and escapes Slack control characters', () => {
    expect(toMrkdwn('**GMV** up & <b> `x`')).toBe('*GMV* up &amp; &lt;b&gt; `x`');
    expect(chunkText('一二三四五六', 4)).toEqual(['一二三四', '五六']);
  });

  it('calls replies without data quiet (ephemeral) and data loud', () => {
    expect(carriesNoData({ kind: 'text', markdown: 'usage: gmv 7d' })).toBe(true);
    expect(carriesNoData({ kind: 'card', card: card({ title: 'Help', blocks: [text('x'), note('y')] }) })).toBe(true);
    expect(carriesNoData({ kind: 'card', card: card({ title: 'GMV', blocks: [fields({ GMV: '1' })] }) })).toBe(false);
  });
});

describe('slack normalising', () => {
  it('strips the bot mention and turns Slack markup into plain words', () => {
    expect(cleanSlackText('<@UBOT> gmv <@U123|bob> in <#C1|general> see <https://x.io|the doc> &amp; <!here>', 'UBOT')).toEqual({
      text: 'gmv @U123 in #general see the doc & @here',
      mentionedBot: true,
    });
  });

  it('drops a command without trigger_id or user, and splits a good one', () => {
    const base = { command: '/kpi', text: ' goal  set gmv 1.2m ', team_id: 'T1', channel_id: 'C1', user_id: 'U1', trigger_id: 't.1' };
    const at = new Date();
    expect(normalizeSlashCommand({ ...base, trigger_id: undefined }, {}, at)).toBeNull();
    expect(normalizeSlashCommand({ ...base, user_id: '' }, {}, at)).toBeNull();
    expect(normalizeSlashCommand(base, {}, at)).toMatchObject({ kind: 'command', name: 'goal', args: ['set', 'gmv', '1.2m'], text: 'goal set gmv 1.2m', eventId: 'cmd:t.1' });
    expect(normalizeSlashCommand({ ...base, channel_id: 'D1', channel_name: 'directmessage' }, {}, at)).toMatchObject({ conversation: { kind: 'direct' } });
  });

  it('maps a suffixed duplicate button id back to its action', () => {
    const e = normalizeBlockActions(
      { type: 'block_actions', user: { id: 'U1', team_id: 'T1' }, team: { id: 'T1' }, container: { message_ts: '1.2', channel_id: 'C1' }, actions: [{ action_id: 'alert.snooze#2', value: '4h', action_ts: '9.9' }] },
      {},
      new Date(),
    );
    expect(e).toMatchObject({ kind: 'action', actionId: 'alert.snooze', value: '4h', message: { platform: 'slack', chatId: 'C1', messageId: '1.2' } });
  });
});

describe('slack signatures', () => {
  const body = Buffer.from('token=x&command=%2Fkpi');
  const ts = '1700000000';
  const nowMs = 1_700_000_000_000;
  it('accepts the right HMAC and rejects tampering, bad shapes and the wrong window', () => {
    const signature = slackSignature('s3cret', ts, body);
    expect(verifySlackSignature({ secret: 's3cret', timestamp: ts, signature, rawBody: body, nowMs })).toEqual({ ok: true });
    expect(verifySlackSignature({ secret: 's3cret', timestamp: ts, signature, rawBody: Buffer.from(`${body}&a=1`), nowMs })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySlackSignature({ secret: 's3cret', timestamp: ts, signature: 'v0=abc', rawBody: body, nowMs })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySlackSignature({ secret: 's3cret', timestamp: '17e8', signature, rawBody: body, nowMs })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySlackSignature({ secret: 's3cret', timestamp: undefined, signature, rawBody: body, nowMs })).toEqual({ ok: false, reason: 'missing' });
    expect(verifySlackSignature({ secret: 's3cret', timestamp: ts, signature, rawBody: body, nowMs: nowMs + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySlackSignature({ secret: 's3cret', timestamp: ts, signature, rawBody: body, nowMs: nowMs - 301_000 })).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('slack misc', () => {
  it('ships a manifest that matches what the adapter serves and calls', () => {
    const manifest = readFileSync(new URL('../../src/adapters/slack/manifest.yaml', import.meta.url), 'utf8');
    // One Request URL for the command, the events and interactivity.
    expect(manifest.match(/^\s*(url|request_url): https:\/\/kpi\.example\.com\/slack\/events$/gm)).toHaveLength(3);
    expect(manifest).toMatch(/- command: \/kpi$/m);
    for (const event of ['app_mention', 'message.im']) expect(manifest).toMatch(new RegExp(`^\\s*- ${event.replace('.', '\\.')}$`, 'm'));
    // Scopes for chat.postMessage/update, uploads, users.info, mentions, DMs and the command.
    for (const scope of ['app_mentions:read', 'chat:write', 'commands', 'files:write', 'im:history', 'users:read']) {
      expect(manifest).toMatch(new RegExp(`^\\s*- ${scope}\\b`, 'm'));
    }
  });

  it('knows which PUBLIC_URLs Slack can fetch images from', () => {
    const yes = ['https://kpi.example.com', 'http://bot.acme.cn:8080'];
    const no = ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://10.1.2.3', 'http://192.168.1.9', 'http://172.20.0.4', 'http://kpibot', 'http://[::1]:3000', 'http://nas.local'];
    expect(yes.map(isPublicUrl)).toEqual(yes.map(() => true));
    expect(no.map(isPublicUrl)).toEqual(no.map(() => false));
  });

  it('classifies Slack platform errors into adapter codes', () => {
    const code = (error: string) => classifySlackError(new WebAPIPlatformError({ ok: false, error }), 'chat.postMessage').code;
    expect(['invalid_auth', 'missing_scope', 'channel_not_found', 'invalid_blocks', 'ratelimited', 'internal_error', 'something_new'].map(code)).toEqual([
      'auth',
      'permission',
      'not_found',
      'invalid_payload',
      'rate_limited',
      'unavailable',
      'unknown',
    ]);
  });
});
