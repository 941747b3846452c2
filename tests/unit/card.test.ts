import { describe, expect, it } from 'vitest';
import { actions, button, card, deriveFallback, fields, fromWire, image, note, plainText, text, toWire } from '../../src/bot/card.ts';

describe('card builders', () => {
  it('builds blocks and derives a readable text fallback', () => {
    const c = card({
      title: 'ACoS 超标 · us-main',
      tone: 'critical',
      blocks: [
        text('近7天 **ACoS 38.2 %**，目标 `30 %`'),
        fields({ 花费: '$1,204', 广告销售额: '$3,152' }),
        image({ imageId: 'abcdefghijklmnopqrstuv' }, 'ACoS 趋势图', 600, 340),
        actions(button('alert.ack', '确认', '12', 'primary'), button('alert.snooze', '稍后', '12')),
        note('数据截至 11/22'),
      ],
      mentions: ['carol'],
    });
    expect(c.fallbackText).toBe(
      ['ACoS 超标 · us-main', '近7天 ACoS 38.2 %，目标 30 %', '花费: $1,204', '广告销售额: $3,152', '[ACoS 趋势图]', '数据截至 11/22'].join('\n'),
    );
    expect(c.blocks[3]).toEqual({
      type: 'actions',
      buttons: [
        { actionId: 'alert.ack', label: '确认', value: '12', style: 'primary' },
        { actionId: 'alert.snooze', label: '稍后', value: '12' },
      ],
    });
    expect(c.mentions).toEqual(['carol']);
  });

  it('keeps an explicit fallback and omits empty mentions', () => {
    const c = card({ title: 'T', blocks: [], fallbackText: 'custom', mentions: [] });
    expect(c).toEqual({ title: 'T', blocks: [], fallbackText: 'custom' });
  });

  it('strips the markdown subset for plain text', () => {
    expect(plainText('**GMV** up _a lot_ in `us-main`')).toBe('GMV up a lot in us-main');
    expect(deriveFallback('T', [text('')])).toBe('T');
  });

  it('puts image URLs on the wire and reads them back', () => {
    const c = card({ title: 'chart', blocks: [image({ imageId: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'gmv', 600, 340)] });
    const wire = toWire({ kind: 'card', card: c }, (id) => `http://x/images/${id}.png`);
    expect(wire.kind === 'card' && wire.card.blocks[0]).toEqual({
      type: 'image',
      url: 'http://x/images/AAAAAAAAAAAAAAAAAAAAAA.png',
      alt: 'gmv',
      width: 600,
      height: 340,
    });
    expect(fromWire(JSON.parse(JSON.stringify(wire)))).toEqual({ kind: 'card', card: c });
  });

  it('refuses to put raw PNG bytes on the wire', () => {
    const c = card({ title: 'chart', blocks: [image({ png: new Uint8Array([1]) }, 'gmv', 1, 1)] });
    expect(() => toWire({ kind: 'card', card: c }, (id) => id)).toThrow(/store card images/);
  });
});
