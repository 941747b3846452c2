/** Scope tokens, @mentions and key:value options: the argument primitives every feature uses. */
import { describe, expect, it } from 'vitest';
import { parseMention, parseOptions, parseScopeToken } from '../../../src/bot/parse/index.ts';
import type { ScopeRef } from '../../../src/bot/parse/types.ts';

const SCOPES: [string, ScopeRef][] = [
  ['store:us-main', { dim: 'store', text: 'us-main' }], ['店铺:美国主店', { dim: 'store', text: '美国主店' }], ['店铺：美国主店', { dim: 'store', text: '美国主店' }],
  ['Store:US-Main', { dim: 'store', text: 'US-Main' }], ['store: us-main', { dim: 'store', text: 'us-main' }],
  ['team:amazon-us', { dim: 'team', text: 'amazon-us' }], ['团队:亚马逊美国', { dim: 'team', text: '亚马逊美国' }], ['组:广告组A', { dim: 'team', text: '广告组A' }],
  ['sku:SKU-1', { dim: 'sku', text: 'SKU-1' }], ['asin:B0ABC', { dim: 'sku', text: 'B0ABC' }], ['SKU:ab-1', { dim: 'sku', text: 'ab-1' }],
  ['campaign:sp-auto', { dim: 'campaign', text: 'sp-auto' }], ['活动:黑五', { dim: 'campaign', text: '黑五' }], ['广告活动:sp-auto', { dim: 'campaign', text: 'sp-auto' }],
  ['site:US', { dim: 'marketplace', text: 'US' }], ['marketplace:DE', { dim: 'marketplace', text: 'DE' }], ['站点：日本', { dim: 'marketplace', text: '日本' }],
  ['platform:amazon', { dim: 'platform', text: 'amazon' }], ['平台:虾皮', { dim: 'platform', text: '虾皮' }],
  ['category:kitchen', { dim: 'category', text: 'kitchen' }], ['类目:厨房', { dim: 'category', text: '厨房' }], ['品类:厨房', { dim: 'category', text: '厨房' }],
  ['owner:@carol', { dim: 'owner', text: 'carol' }], ['负责人:@李强', { dim: 'owner', text: '李强' }], ['负责人：李强', { dim: 'owner', text: '李强' }],
  ['warehouse:fba-us', { dim: 'warehouse', text: 'fba-us' }], ['仓库:深圳仓', { dim: 'warehouse', text: '深圳仓' }],
  ['ad_group:g1', { dim: 'ad_group', text: 'g1' }], ['广告组:g1', { dim: 'ad_group', text: 'g1' }],
  ['@carol', { dim: 'owner', text: 'carol' }], ['<@U123|carol>', { dim: 'owner', text: 'U123' }],
  ['store:us\u202e-main', { dim: 'store', text: 'us-main' }],
];

describe('parseScopeToken', () => {
  it.each(SCOPES)('%s', (token, scope) => expect(parseScopeToken(token)).toEqual(scope));
  it.each(['store:', 'foo:bar', 'gmv', ':us-main', '', '@', `store:${'x'.repeat(101)}`])('refuses %j', (t) => expect(parseScopeToken(t)).toBeUndefined());
});

describe('parseMention', () => {
  it.each([
    ['@carol', 'carol'], ['@李强', '李强'], ['＠李强', '李强'], ['@carol,', 'carol'], ['@李强，', '李强'], ['<@U123>', 'U123'], ['<@U123|bob>', 'U123'],
    ['@_user_1', '_user_1'], ['@ou_abc123', 'ou_abc123'],
  ])('%s → %s', (t, v) => expect(parseMention(t)).toBe(v));
  it.each(['carol', '@', '@a b', 'a@b', '<@>', '@\u202ecarol', ''])('refuses %j', (t) => expect(parseMention(t)).toBeUndefined());
});

describe('parseOptions', () => {
  const KEYS = { owner: ['负责人'], reason: ['原因'], note: ['备注'], cause: ['原因类型'] };

  it('reads key:value, 键：值, key: value and key value, keeping the rest in order', () => {
    expect(parseOptions(['g1', 'reason:stockout', 'x', '负责人：@李强', 'note', 'sold out early', 'y'], KEYS)).toEqual({
      options: { reason: 'stockout', owner: '@李强', note: 'sold out early' },
      rest: ['g1', 'x', 'y'],
    });
    expect(parseOptions(['cause:', 'stockout'], KEYS)).toEqual({ options: { cause: 'stockout' }, rest: [] });
    expect(parseOptions(['REASON:Price'], KEYS)).toEqual({ options: { reason: 'Price' }, rest: [] });
    expect(parseOptions(['原因:断货', '原因:调价'], KEYS)).toEqual({ options: { reason: '调价' }, rest: [] });
  });

  it('leaves undeclared keys and a trailing bare key in rest', () => {
    expect(parseOptions(['store:us-main', 'note'], KEYS)).toEqual({ options: {}, rest: ['store:us-main', 'note'] });
    expect(parseOptions([], KEYS)).toEqual({ options: {}, rest: [] });
  });
});
