/**
 * Pure pieces of the DingTalk adapter, on small hand-made inputs: the markdown renderer and its
 * limits, the outgoing-robot sign, signed links, the normalisers, error mapping, the quota month,
 * the reconnect backoff, and the outbox's merge of low-priority pushes.
 */
import { describe, expect, it } from 'vitest';
import { actions, button, card, fields, note, text, toWire } from '../../../src/bot/card.ts';
import { AdapterError } from '../../../src/bot/errors.ts';
import { mergePayloads, mergeUnits } from '../../../src/bot/outbox/merge.ts';
import { quotaMonth } from '../../../src/bot/outbox/quota.ts';
import { DingTalkQuotaError, errcodeError, secondsUntilNextMonth, statusError } from '../../../src/adapters/dingtalk/errors.ts';
import { linkKey, signLink, verifyLink } from '../../../src/adapters/dingtalk/links.ts';
import { decodeReplyHandle, normalizeCardCallback, normalizeMemberEvent, normalizeRobotMessage } from '../../../src/adapters/dingtalk/normalize.ts';
import { MARKDOWN_MAX_BYTES, MAX_BUTTONS, MORE_HINT, TITLE_MAX, renderMarkdown } from '../../../src/adapters/dingtalk/render.ts';
import { dingtalkSign, verifyDingTalkSign } from '../../../src/adapters/dingtalk/signature.ts';
import { reconnectDelayMs } from '../../../src/adapters/dingtalk/stream.ts';

const at = new Date('2026-11-20T00:00:00Z');

describe('markdown renderer', () => {
  it('puts one KPI per line, no table, DingTalk italics and hard line breaks', () => {
    const m = renderMarkdown({
      kind: 'card',
      card: card({ title: 'GMV 7d', tone: 'warning', blocks: [text('_last 7 days_ `us-main`\nsecond line'), fields({ GMV: '$41,200', Orders: '812' }), note('Data through 11-19')], mentions: ['carol-staff'] }),
    });
    expect(m.text).toBe('### ⚠️ GMV 7d\n\n*last 7 days* us-main  \nsecond line\n\n**GMV**: $41,200  \n**Orders**: 812\n\n> Data through 11-19\n\n@carol-staff');
    expect(m.text).not.toContain('|');
    expect(m.title).toBe('GMV 7d');
  });

  it('cuts long text at the byte limit with a "more" hint, and keeps 4,000 CJK characters whole', () => {
    const long = renderMarkdown({ kind: 'text', markdown: 'x'.repeat(20_000) });
    expect(Buffer.byteLength(long.text)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(long.text.endsWith(MORE_HINT)).toBe(true);
    // 4,000 × 3 bytes = 12,000 = the limit: nothing cut.
    const cjk = renderMarkdown({ kind: 'text', markdown: '长'.repeat(4000) });
    expect(cjk.text).toBe('长'.repeat(4000));
    // One more character is cut on a character boundary (no broken UTF-8).
    const over = renderMarkdown({ kind: 'text', markdown: '长'.repeat(4001) });
    expect(over.text.endsWith(MORE_HINT)).toBe(true);
    expect(over.text).not.toContain('\uFFFD');
  });

  it('shortens titles and buttons to DingTalk’s maxima', () => {
    const m = renderMarkdown({
      kind: 'card',
      card: card({ title: '标题'.repeat(50), blocks: [actions(...Array.from({ length: 8 }, (_, i) => button(`a.${i}`, `Button number ${i} with a long label`, String(i))))] }),
    });
    expect([...m.title]).toHaveLength(TITLE_MAX);
    expect(m.buttons).toHaveLength(MAX_BUTTONS);
    expect(m.buttons.every((b) => [...b.label].length <= 20)).toBe(true);
  });
});

describe('outgoing-robot sign', () => {
  // printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
  const SIGN = 'jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=';
  it('matches the documented recipe and allows an hour of skew', () => {
    expect(dingtalkSign('SECabc', '1700000000000')).toBe(SIGN);
    expect(verifyDingTalkSign({ secret: 'SECabc', timestamp: '1700000000000', sign: SIGN, nowMs: 1700000000000 + 59 * 60_000 })).toEqual({ ok: true });
    expect(verifyDingTalkSign({ secret: 'SECabc', timestamp: '1700000000000', sign: SIGN, nowMs: 1700000000000 - 61 * 60_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyDingTalkSign({ secret: 'SECxyz', timestamp: '1700000000000', sign: SIGN, nowMs: 1700000000000 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyDingTalkSign({ secret: 'SECabc', timestamp: 'abc', sign: SIGN })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDingTalkSign({ secret: 'SECabc', timestamp: undefined, sign: SIGN })).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('signed links', () => {
  const key = linkKey('app-secret');
  const claims = { actionId: 'alert.ack', value: 'alert-42', tenantKey: 'corp', chatId: 'cid1', messageId: 'kpi-1' };
  it('round-trips and expires', () => {
    const token = signLink(key, { ...claims, expiresAt: at.getTime() + 1000 });
    expect(verifyLink(key, token, at.getTime())).toMatchObject({ ok: true, claims: { ...claims, expiresAt: at.getTime() + 1000 } });
    expect(verifyLink(key, token, at.getTime() + 2000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLink(linkKey('other-secret'), token, at.getTime())).toEqual({ ok: false, reason: 'forged' });
    // The key is derived, not the secret itself: a MAC keyed by the raw secret does not verify.
    expect(key.equals(Buffer.from('app-secret'))).toBe(false);
  });
  it('gives each link its own nonce', () => {
    const a = verifyLink(key, signLink(key, claims, at.getTime()), at.getTime());
    const b = verifyLink(key, signLink(key, claims, at.getTime()), at.getTime());
    expect(a.ok && b.ok && a.claims.nonce !== b.claims.nonce).toBe(true);
  });
});

describe('normalisers', () => {
  const base = { msgId: 'm1', msgtype: 'text', conversationId: 'cid1', conversationType: '2', chatbotCorpId: 'corp', senderCorpId: 'corp', senderStaffId: 'u1', senderNick: 'U', text: { content: '  gmv   7d ' }, sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=s', sessionWebhookExpiredTime: 1700005400000 };
  it('strips the mention gap and keeps the webhook expiry in the reply handle', () => {
    const e = normalizeRobotMessage(base, at);
    expect(e).toMatchObject({ kind: 'message', text: 'gmv 7d', mentionedBot: true, conversation: { chatId: 'cid1', kind: 'group', tenantKey: 'corp' } });
    expect(decodeReplyHandle(e!.replyHandle)).toEqual({ url: base.sessionWebhook, expiresAt: 1700005400000 });
  });
  it('marks people of another organisation, and their group, as external', () => {
    const e = normalizeRobotMessage({ ...base, senderCorpId: 'other', senderStaffId: undefined, senderId: '$:LWCP_v1:$x' }, at);
    expect(e).toMatchObject({ user: { isExternal: true }, conversation: { isExternal: true } });
  });
  it('reads card clicks in groups and DMs; drops broken content', () => {
    const content = JSON.stringify({ cardPrivateData: { params: { actionId: 'alert.ack', value: 'a1' } } });
    expect(normalizeCardCallback({ outTrackId: 't1', corpId: 'corp', userId: 'u1', spaceType: 'IM_ROBOT', spaceId: 'x', content }, 'f1', at)).toMatchObject({
      kind: 'action', actionId: 'alert.ack', value: 'a1', conversation: { kind: 'direct', chatId: 'user:u1' }, message: { chatId: 'user:u1', messageId: 't1' },
    });
    expect(normalizeCardCallback({ outTrackId: 't1', corpId: 'corp', userId: 'u1', spaceType: 'IM_GROUP', spaceId: 'dtv1.card//IM_GROUP.cid9', content }, 'f1', at)).toMatchObject({ conversation: { chatId: 'cid9' } });
    expect(normalizeCardCallback({ outTrackId: 't1', corpId: 'corp', userId: 'u1', content: '{' }, 'f1', at)).toBeNull();
  });
  it('takes membership events only when they name the robot', () => {
    const robot = { robotCode: 'ding1', botUserIds: new Set<string>() };
    expect(normalizeMemberEvent('chat_add_member', 'e1', 'corp', { OpenConversationId: 'cid', UserId: ['someone'] }, robot, at)).toBeNull();
    expect(normalizeMemberEvent('chat_remove_member', 'e1', 'corp', { OpenConversationId: 'cid', UserId: ['ding1'] }, robot, at)).toMatchObject({ kind: 'membership', change: 'removed' });
  });
});

describe('errors and quota', () => {
  it('maps errcodes and statuses to AdapterError codes', () => {
    const tooFast = errcodeError(130101, 'send too fast', 'send', at);
    expect({ code: tooFast.code, retryAfter: tooFast.retryAfterSeconds, retryable: tooFast.retryable }).toEqual({ code: 'rate_limited', retryAfter: 600, retryable: true });
    expect(errcodeError(90020, undefined, 'send', at)).toBeInstanceOf(DingTalkQuotaError);
    expect(statusError(403, { code: 'Forbidden.AccessDenied.ApiCountLimitForOrg' }, 'send', at)).toBeInstanceOf(DingTalkQuotaError);
    expect(statusError(400, { code: 'param.cardInstanceNotExist' }, 'update', at).code).toBe('not_found');
    expect(statusError(401, null, 'x', at).code).toBe('auth');
    expect(statusError(503, null, 'x', at).code).toBe('unavailable');
    expect(statusError(400, { code: 'InvalidParameter' }, 'x', at)).toBeInstanceOf(AdapterError);
  });
  it('counts the month in China time and waits until its end', () => {
    expect(quotaMonth(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
    expect(quotaMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    // Nov 16 00:00 in Shanghai → Dec 1 00:00: 15 days = 1,296,000 s.
    expect(secondsUntilNextMonth(new Date('2026-11-15T16:00:00Z'))).toBe(1_296_000);
    // One second before the month turns: at least an hour, so a held tenant is not retried at once.
    expect(secondsUntilNextMonth(new Date('2026-11-30T15:59:59Z'))).toBe(3600);
  });
});

describe('reconnect backoff', () => {
  it('doubles from the base with jitter over the upper half, capped at a minute', () => {
    expect(reconnectDelayMs(0, 1000, () => 0)).toBe(500);
    expect(reconnectDelayMs(0, 1000, () => 1)).toBe(1000);
    expect(reconnectDelayMs(3, 1000, () => 0)).toBe(4000);
    expect(reconnectDelayMs(20, 1000, () => 1)).toBe(60_000);
  });
});

describe('merging low-priority pushes', () => {
  const to = (chatId: string) => ({ platform: 'dingtalk' as const, tenantKey: 'c', chatId, kind: 'group' as const });
  const row = (id: number, chatId: string, priority: number, withButton = false) => ({
    id, kind: 'push' as const, priority, target: to(chatId),
    payload: toWire({ kind: 'card', card: card({ title: `T${id}`, blocks: [text(`line ${id}`), ...(withButton ? [actions(button('x.y', 'Go'))] : [])] }) }, (i) => `/images/${i}.png`),
  });
  it('folds digests for one chat, keeps alerts and buttons apart', () => {
    const rows = [row(1, 'a', 50), row(2, 'a', 90), row(3, 'a', 10), row(4, 'b', 50), row(5, 'a', 50, true)];
    expect(mergeUnits(rows, () => true).map((u) => u.map((r) => r.id))).toEqual([[1, 2], [3], [4], [5]]);
    expect(mergeUnits(rows, () => false)).toHaveLength(5);
    const merged = mergePayloads([rows[0]!.payload, rows[1]!.payload]);
    expect(merged).toMatchObject({ kind: 'card', card: { title: 'T1 (+1)', blocks: [{ markdown: '**T1**' }, { markdown: 'line 1' }, { markdown: '**T2**' }, { markdown: 'line 2' }] } });
  });
});
