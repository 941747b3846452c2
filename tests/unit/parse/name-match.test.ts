/** Matching typed names to workspace objects (pure part of src/bot/resolve.ts). */
import { describe, expect, it } from 'vitest';
import { foldName, matchName, type NameCandidate } from '../../../src/bot/parse/name-match.ts';

const STORES: NameCandidate[] = [
  { id: 'us-main', label: 'Amazon US 主店', names: ['Amazon US 主店'] },
  { id: 'us-outlet', label: 'Amazon US 奥特莱斯店', names: ['Amazon US 奥特莱斯店'] },
  { id: 'de-main', label: 'Amazon DE 德国站', names: ['Amazon DE 德国站'] },
  { id: 'shopee-sg', label: 'Shopee 新加坡', names: ['Shopee 新加坡'] },
];

describe('matchName', () => {
  it.each([
    ['us-main', 'us-main'], ['US-MAIN', 'us-main'], ['Amazon US 主店', 'us-main'], ['amazon us 主店', 'us-main'], ['amazonus主店', 'us-main'],
    ['美国主店', 'us-main'], ['亚马逊美国主店', 'us-main'], ['us-o', 'us-outlet'], ['奥特莱斯', 'us-outlet'], ['德国站', 'de-main'], ['虾皮新加坡', 'shopee-sg'],
  ])('%s → %s', (text, id) => expect(matchName(text, STORES)).toEqual({ ok: true, id, label: STORES.find((s) => s.id === id)!.label }));

  it('refuses an ambiguous prefix and lists the tied ones', () => {
    expect(matchName('us', STORES)).toEqual({ ok: false, suggestions: ['us-main', 'us-outlet'] });
    expect(matchName('Amazon US', STORES)).toEqual({ ok: false, suggestions: ['us-main', 'us-outlet'] });
  });

  it('suggests the nearest ids for a typo, and nothing for nonsense', () => {
    expect(matchName('us-mian', STORES)).toEqual({ ok: false, suggestions: ['us-main'] });
    expect(matchName('zzzzzz', STORES)).toEqual({ ok: false, suggestions: [] });
    expect(matchName('', STORES)).toEqual({ ok: false, suggestions: [] });
    expect(matchName('us-main', [])).toEqual({ ok: false, suggestions: [] });
  });

  it('folds case, spaces and Chinese site and platform words', () => {
    expect(foldName('Amazon US 主店')).toBe('amazonus主店');
    expect(foldName('亚马逊 美国站')).toBe('amazonus');
  });
});
