import { describe, expect, it } from 'vitest';
import { DedupMemo } from '../../src/adapters/dedup-memo.ts';

describe('DedupMemo', () => {
  it('answers true once per id within the window, and again after it', () => {
    let t = 1_000;
    const memo = new DedupMemo(600, 100, () => t);
    expect(memo.first('Ev1')).toBe(true);
    expect(memo.first('Ev1')).toBe(false);
    expect(memo.first('Ev2')).toBe(true);
    t += 599;
    expect(memo.first('Ev1')).toBe(false);
    t += 1;
    expect(memo.first('Ev1')).toBe(true);
    expect(memo.first('Ev1')).toBe(false);
  });

  it('matches ids by their characters, however they were built', () => {
    const body = 'command=%2Fkpi&trigger_id=123.456.abc&text=gmv';
    const memo = new DedupMemo(60_000, 10);
    const cut = body.slice(body.indexOf('trigger_id=') + 11, body.indexOf('&text'));
    expect(memo.first(`cmd:${cut}`)).toBe(true);
    expect(memo.first('cmd:123.456.abc')).toBe(false);
  });

  it('never holds more than its maximum: the oldest go first, recent ids stay remembered', () => {
    let t = 0;
    const memo = new DedupMemo(60_000, 10, () => t);
    for (let i = 0; i < 25; i++) {
      t += 1;
      expect(memo.first(`id-${i}`)).toBe(true);
      expect(memo.size).toBeLessThanOrEqual(10);
    }
    expect(memo.first('id-24')).toBe(false);
    expect(memo.first('id-23')).toBe(false);
    // id-0 was dropped to make room, so a late repeat of it is taken as new.
    expect(memo.first('id-0')).toBe(true);
  });

  it('drops expired ids before live ones when full', () => {
    let t = 0;
    const memo = new DedupMemo(100, 4, () => t);
    memo.first('old-1');
    memo.first('old-2');
    t = 50;
    memo.first('live-1');
    memo.first('live-2');
    t = 120; // old-1, old-2 expired; live-1, live-2 are 70 ms old
    expect(memo.first('new-1')).toBe(true);
    expect(memo.first('live-1')).toBe(false);
    expect(memo.first('live-2')).toBe(false);
  });
});
