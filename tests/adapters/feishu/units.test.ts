/**
 * Pure parts of the Feishu adapter with small literals: the card JSON 2.0 renderer and its
 * limits, the normaliser (mention placeholders, post messages, bots, broken content), the
 * signature and decryption helpers, and the SDK log scrubber.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { actions, button, card, fields, note, text } from '../../../src/bot/card.ts';
import { FEISHU_LIMITS, parseButtonValue, renderCard, renderText } from '../../../src/adapters/feishu/card-json.ts';
import { feishuSdkLogger } from '../../../src/adapters/feishu/logger.ts';
import { normalizeMessage, resolveMentions } from '../../../src/adapters/feishu/normalize.ts';
import { decryptFeishu, feishuSignature, verifyFeishuSignature } from '../../../src/adapters/feishu/signature.ts';
import { buttonsOf, cardText } from '../../fakes/feishu/requests.ts';
import { checkCard } from '../../fakes/feishu/limits.ts';

type Json = Record<string, unknown>;

describe('card JSON 2.0', () => {
  it('renders header colour by tone, fields, notes and compact callback buttons', () => {
    const c = renderCard(
      card({ title: 'GMV below goal', tone: 'critical', blocks: [text('**us-main** _down_'), fields({ GMV: '$41,200', Goal: '$50,000' }), note('demo data'), actions(button('alert.ack', 'Acknowledge', 'alert-42', 'primary'))] }),
    );
    expect(c.schema).toBe('2.0');
    expect((c.header as Json).template).toBe('red');
    expect(JSON.stringify(c)).not.toContain('"tag":"action"');
    expect(buttonsOf(c)).toEqual([{ label: 'Acknowledge', value: { a: 'alert.ack', v: 'alert-42' } }]);
    const t = cardText(c);
    expect(t).toContain('**us-main** *down*');
    expect(t).toContain('**GMV**\n$41,200');
    expect(checkCard(c, new Set())).toBeNull();
    expect(((renderCard(card({ title: 'x', tone: 'warning', blocks: [] })).header as Json).template)).toBe('orange');
  });

  it('keeps within the limits: 20 buttons, 20 fields, 30 KB, and says what it dropped', () => {
    const many = card({
      title: '长'.repeat(300),
      blocks: [
        text('汉'.repeat(20_000)),
        fields(Array.from({ length: 60 }, (_, i) => ({ label: `f${i}`, value: 'v' }))),
        actions(...Array.from({ length: 30 }, (_, i) => button(`b.${i}`, `Button ${i}`, String(i)))),
      ],
    });
    const c = renderCard(many);
    expect(buttonsOf(c)).toHaveLength(FEISHU_LIMITS.buttons);
    // 60 fields → 20 shown in 10 two-column rows, "… +40" after them.
    expect(cardText(c)).toContain('… +40');
    expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThanOrEqual(30 * 1024);
    expect(Array.from(String(((c.header as Json).title as Json).content))).toHaveLength(FEISHU_LIMITS.headerTitle);
    expect(checkCard(c, new Set())).toBeNull();
    // 8,000 CJK characters is 24,000 bytes of markdown: a text message that long still fits.
    const long = renderText('字'.repeat(FEISHU_LIMITS.markdown));
    expect(cardText(long)).toBe('字'.repeat(FEISHU_LIMITS.markdown));
    expect(checkCard(long, new Set())).toBeNull();
  });

  it('reads its own button values back and nothing else', () => {
    expect(parseButtonValue({ a: 'alert.ack', v: '42' })).toEqual({ a: 'alert.ack', v: '42' });
    expect(parseButtonValue('{"a":"kpi.refresh"}')).toEqual({ a: 'kpi.refresh' });
    expect(parseButtonValue('plain')).toBeNull();
    expect(parseButtonValue({ cmd: 'ack' })).toBeNull();
    expect(parseButtonValue(null)).toBeNull();
  });
});

describe('normalising messages', () => {
  const BOT = 'ou_bot';
  const base = (message: Json, sender: Json = { sender_id: { open_id: 'ou_alice' }, sender_type: 'user', tenant_key: 't1' }) =>
    ({ event_id: 'e1', tenant_key: 't1', sender, message: { message_id: 'om_1', chat_id: 'oc_1', chat_type: 'group', ...message } }) as never;
  const ctx = { botOpenId: BOT, receivedAt: new Date(0) };

  it('resolves @_user_N placeholders, longest first', () => {
    const mentions = Array.from({ length: 10 }, (_, i) => ({ key: `@_user_${i + 1}`, id: { open_id: i === 0 ? BOT : `ou_${i + 1}` }, name: `P${i + 1}` }));
    expect(resolveMentions('@_user_1 ask @_user_10 and @_user_2', mentions, BOT, true)).toEqual({ text: 'ask @P10 and @P2', mentionedBot: true });
    // Without the bot's id, a group message is taken as addressed to the bot and a leading mention stripped.
    expect(resolveMentions('@_user_1 gmv', [{ key: '@_user_1', name: 'Bot' }], undefined, true)).toEqual({ text: 'gmv', mentionedBot: true });
  });

  it('reads post (rich text) messages and ignores apps, bad content and unknown types', () => {
    const post = JSON.stringify({ title: '', content: [[{ tag: 'at', user_id: BOT, user_name: 'Bot' }, { tag: 'text', text: 'gmv 7d' }]] });
    expect(normalizeMessage(base({ message_type: 'post', content: post }), ctx)).toMatchObject({ kind: 'message', mentionedBot: true });
    expect(normalizeMessage(base({ message_type: 'text', content: '{"text":"hi"}' }, { sender_id: { open_id: 'ou_x' }, sender_type: 'app' }), ctx)).toBeNull();
    expect(normalizeMessage(base({ message_type: 'text', content: 'not json' }), ctx)).toBeNull();
    expect(normalizeMessage(base({ message_type: 'sticker', content: '{}' }), ctx)).toBeNull();
    expect(normalizeMessage(base({ message_type: 'text', content: JSON.stringify({ text: 'x'.repeat(10_000) }) }), ctx)).toMatchObject({ text: 'x'.repeat(4000) });
  });
});

describe('signature and encryption', () => {
  it('verifies sha256(timestamp + nonce + key + body) on the raw bytes within ±5 min', () => {
    const body = Buffer.from('{"a": 1}');
    // Computed independently: sha256 of the concatenated string.
    const expected = createHash('sha256').update('1700000000n1key{"a": 1}').digest('hex');
    expect(feishuSignature('1700000000', 'n1', 'key', body)).toBe(expected);
    const ok = { encryptKey: 'key', timestamp: '1700000000', nonce: 'n1', signature: expected, rawBody: body };
    expect(verifyFeishuSignature({ ...ok, nowMs: 1_700_000_300_000 })).toEqual({ ok: true });
    expect(verifyFeishuSignature({ ...ok, nowMs: 1_700_000_301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyFeishuSignature({ ...ok, nowMs: 1_700_000_000_000, rawBody: Buffer.from('{"a":1}') })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyFeishuSignature({ ...ok, signature: 'zz', nowMs: 1_700_000_000_000 })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('decrypts base64(iv ‖ AES-256-CBC) with key = sha256(encryptKey), and refuses garbage', () => {
    const key = createHash('sha256').update('k').digest();
    const iv = Buffer.alloc(16, 7);
    const c = createCipheriv('aes-256-cbc', key, iv);
    const blob = Buffer.concat([iv, c.update('{"x":"你好"}'), c.final()]).toString('base64');
    expect(decryptFeishu(blob, 'k')).toBe('{"x":"你好"}');
    expect(decryptFeishu(blob, 'other')).not.toBe('{"x":"你好"}');
    expect(decryptFeishu('!!!', 'k')).toBeNull();
    expect(decryptFeishu(Buffer.alloc(20).toString('base64'), 'k')).toBeNull();
  });
});

describe('SDK log scrubbing', () => {
  it('drops request configs and masks tokens, secrets and connection tickets', () => {
    const lines: string[] = [];
    const log = feishuSdkLogger(pino({ level: 'trace' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) })), ['s3cr3t-app-secret']);
    const axiosLike = Object.assign(new Error('Request failed with status code 400'), {
      code: 'ERR_BAD_REQUEST',
      config: { headers: { Authorization: 'Bearer t-g1044abcdefghijklmnop' }, data: '{"app_secret":"s3cr3t-app-secret"}' },
      response: { status: 400, data: { code: 99991663, msg: 'Invalid access token' } },
    });
    log.error([axiosLike]);
    log.debug(['[ws]', 'get connect config success, ws url: wss://x/ws?device_id=1&ticket=abc123&access_key=zzz']);
    log.warn(['token t-g1044abcdefghijklmnop with s3cr3t-app-secret', { Authorization: 'Bearer t-g1044abcdefghijklmnop' }]);
    const all = lines.join('');
    expect(all).toContain('HTTP 400 code 99991663');
    expect(all).not.toContain('t-g1044abcdefghijklmnop');
    expect(all).not.toContain('s3cr3t-app-secret');
    expect(all).not.toContain('abc123');
    expect(all).not.toContain('zzz');
  });
});
