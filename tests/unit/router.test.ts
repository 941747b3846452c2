import { describe, expect, it } from 'vitest';
import { CommandRegistry, tokenize } from '../../src/bot/router.ts';
import { detectLanguage, pickLocale } from '../../src/bot/language.ts';
import { ignoreSelf, requireMentionInGroups } from '../../src/bot/filters.ts';
import type { InboundEvent } from '../../src/bot/events.ts';

const noop = async () => {};

function registry(): CommandRegistry {
  const r = new CommandRegistry();
  r.register({ name: 'help', aliases: ['帮助', '?'], summary: { en: 'h', 'zh-CN': '帮' }, run: noop });
  r.register({ name: 'goal', aliases: ['目标'], summary: { en: 'g', 'zh-CN': '目' }, run: noop });
  return r;
}

describe('command parsing', () => {
  it('tokenises with ASCII and Chinese quotes', () => {
    expect(tokenize('alert ack 12 note "price war" 跟进 “降价 清库存”')).toEqual(['alert', 'ack', '12', 'note', 'price war', '跟进', '降价 清库存']);
  });

  it('accepts /kpi prefixes, aliases and any case', () => {
    const r = registry();
    expect(r.parse('/kpi HELP')).toMatchObject({ kind: 'command', spec: { name: 'help' }, args: [] });
    expect(r.parse('目标 设定 GMV 120万')).toMatchObject({ kind: 'command', spec: { name: 'goal' }, args: ['设定', 'GMV', '120万'] });
    expect(r.parse('   ')).toEqual({ kind: 'empty' });
    expect(r.parse('/kpi')).toEqual({ kind: 'empty' });
  });

  it('suggests the closest command for typos, and nothing for unrelated words', () => {
    const r = registry();
    expect(r.parse('hlep')).toEqual({ kind: 'unknown', word: 'hlep', suggestion: 'help' });
    expect(r.parse('gaol list')).toMatchObject({ kind: 'unknown', suggestion: 'goal' });
    expect(r.parse('banana')).toEqual({ kind: 'unknown', word: 'banana', suggestion: undefined });
  });

  it('refuses a word registered twice', () => {
    const r = registry();
    expect(() => r.register({ name: 'assist', aliases: ['Help'], summary: { en: '', 'zh-CN': '' }, run: noop })).toThrow(/twice/);
  });
});

describe('language', () => {
  it('detects the asker language; GMV inside Chinese text is still Chinese', () => {
    expect(detectLanguage('本周 GMV 按店铺')).toBe('zh-CN');
    expect(detectLanguage('gmv 7d by store')).toBe('en');
    expect(detectLanguage('7 30')).toBeNull();
    expect(pickLocale('zh-CN', null, '7')).toBe('zh-CN');
    expect(pickLocale('zh-CN', 'en', undefined)).toBe('en');
    expect(pickLocale('en', 'en', '帮助')).toBe('zh-CN');
  });
});

describe('filters', () => {
  const base = {
    platform: 'slack' as const,
    eventId: 'e',
    user: { platform: 'slack' as const, id: 'U1' },
    conversation: { platform: 'slack' as const, tenantKey: 'T', chatId: 'C', kind: 'group' as const },
    receivedAt: new Date(),
  };
  it('drops the bot’s own messages and unmentioned group chatter, keeps the rest', () => {
    const msg = (over: Partial<InboundEvent> & object) => ({ ...base, kind: 'message', text: 'hi', mentionedBot: false, ...over }) as InboundEvent;
    expect(ignoreSelf(msg({ user: { platform: 'slack', id: 'B', isBot: true } }))).toBe(false);
    expect(requireMentionInGroups(msg({}))).toBe(false);
    expect(requireMentionInGroups(msg({ mentionedBot: true } as never))).toBe(true);
    expect(requireMentionInGroups(msg({ conversation: { ...base.conversation, kind: 'direct' } }))).toBe(true);
    expect(requireMentionInGroups(msg({ platform: 'console' }))).toBe(true);
  });
});
