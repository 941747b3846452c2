/**
 * Cell parsing of the importer: dates in the formats sellers' files use, amounts with currency
 * marks and separators, signs (negative counts refused, costs flipped positive), formulas refused,
 * exact decimal sums, and header normalisation and detection with a confidence.
 */
import { describe, expect, it } from 'vitest';
import { datasetById } from '../../src/ingest/datasets/index.ts';
import { BUILTIN_PROFILES } from '../../src/ingest/headers/builtin-profiles.ts';
import { detectHeader, templateProfile } from '../../src/ingest/headers/detect.ts';
import { normalizeHeader } from '../../src/ingest/headers/profile.ts';
import { parseCell, type Kind } from '../../src/ingest/values/cells.ts';
import { parseDay, parseInstant } from '../../src/ingest/values/dates.ts';
import { addDecimals, taxInside } from '../../src/ingest/values/decimal.ts';

const env = { dateOrder: 'mdy' as const, timeZone: 'America/Los_Angeles' };
const p = (raw: string, kind: Kind) => parseCell(raw, kind, env);

describe('dates', () => {
  it.each([
    ['2026-11-01', '2026-11-01'],
    ['2026/11/1', '2026-11-01'],
    ['2026.11.01', '2026-11-01'],
    ['20261101', '2026-11-01'],
    ['2026年11月1日', '2026-11-01'],
    ['11/01/2026', '2026-11-01'],
    ['01.11.2026', '2026-11-01'],
    ['Nov 1, 2026', '2026-11-01'],
    ['1-Nov-2026', '2026-11-01'],
    ['46327', '2026-11-01'],
    ['2026-11-01 23:59:59', '2026-11-01'],
    ['11/01/2026 10:15:00 PM', '2026-11-01'],
    // 03:00 UTC is 20:00 the evening before in Los Angeles (PDT, UTC−7).
    ['2026-11-01T03:00:00+00:00', '2026-10-31'],
    ['2026-11-01T03:00:00Z', '2026-10-31'],
  ])('%s → %s', (raw, day) => {
    expect(parseDay(raw, { order: 'mdy', timeZone: 'America/Los_Angeles' })).toEqual({ ok: true, value: day });
  });

  it('reads day/month/year when told, and says so when a date does not fit the order', () => {
    expect(parseDay('13/11/2026', { order: 'dmy' })).toEqual({ ok: true, value: '2026-11-13' });
    const r = parseDay('13/11/2026', { order: 'mdy' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/dateOrder=dmy/);
    expect(parseDay('2026-02-30', { order: 'mdy' }).ok).toBe(false);
    expect(parseDay('yesterday', { order: 'mdy' }).ok).toBe(false);
  });

  it('reads a bare time in the given zone and an offset as written', () => {
    expect(parseInstant('2026-11-01 08:00', { order: 'mdy', timeZone: 'Asia/Shanghai' })).toEqual({ ok: true, value: new Date('2026-11-01T00:00:00Z') });
    expect(parseInstant('2026-11-01T08:00:00+09:00', { order: 'mdy', timeZone: 'UTC' })).toEqual({ ok: true, value: new Date('2026-10-31T23:00:00Z') });
  });
});

describe('cells', () => {
  it('reads amounts with currency marks, thousands and decimal commas, parentheses', () => {
    expect(p('$1,234.50', { type: 'money' })).toEqual({ ok: true, value: '1234.50' });
    expect(p('¥ 12 000', { type: 'money' })).toEqual({ ok: true, value: '12000' });
    expect(p('1.234,56 €', { type: 'money' })).toEqual({ ok: true, value: '1234.56' });
    expect(p('12,5', { type: 'money' })).toEqual({ ok: true, value: '12.5' });
    expect(p('(3.20)', { type: 'money', sign: 'abs' })).toEqual({ ok: true, value: '3.20' });
    expect(p('1.5E+3', { type: 'money' })).toEqual({ ok: true, value: '1500' });
  });

  it('refuses negative counts and sales, flips negative costs', () => {
    expect(p('-1', { type: 'int' })).toEqual({ ok: false, reason: 'a count cannot be negative' });
    expect(p('-10.00', { type: 'money' })).toEqual({ ok: false, reason: 'an amount cannot be negative' });
    expect(p('-10.00', { type: 'money', sign: 'abs' })).toEqual({ ok: true, value: '10.00' });
    expect(p('2.5', { type: 'int' }).ok).toBe(false);
  });

  it('never takes a formula, in text or number columns', () => {
    for (const kind of [{ type: 'text' }, { type: 'id' }, { type: 'money' }, { type: 'day' }] as Kind[]) {
      const r = p('=HYPERLINK("http://evil","click")', kind);
      expect(r.ok).toBe(false);
    }
    expect(p('@SUM(A1)', { type: 'id' }).ok).toBe(false);
    expect(p('+cmd', { type: 'text' }).ok).toBe(false);
    expect(p('-5', { type: 'money', sign: 'any' })).toEqual({ ok: true, value: '-5' });
  });

  it('reads yes/no, enums with aliases, percentages and multipliers', () => {
    expect(p('是', { type: 'bool' })).toEqual({ ok: true, value: true });
    expect(p('自发货', { type: 'enum', values: ['fba', 'fbm'], aliases: { 自发货: 'fbm' } })).toEqual({ ok: true, value: 'fbm' });
    expect(p('19%', { type: 'decimal', percent: true })).toEqual({ ok: true, value: '0.19' });
    expect(p('acos=1.3; tacos=1.2', { type: 'multipliers' })).toEqual({ ok: true, value: { acos: 1.3, tacos: 1.2 } });
  });

  it('adds decimals exactly and takes tax out of a tax-inclusive amount', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(taxInside('119', '0.19')).toBe('19');
    expect(taxInside('100', '0.1')).toBe('9.090909');
  });
});

describe('header detection', () => {
  const orders = datasetById('orders');
  const profiles = [templateProfile(orders), ...BUILTIN_PROFILES.filter((x) => x.dataset === 'orders')];

  it('normalises headers across languages, widths and punctuation', () => {
    expect(normalizeHeader('Order ID')).toBe(normalizeHeader('order_id'));
    expect(normalizeHeader('销售额（含税）')).toBe(normalizeHeader('销售额(含税)'));
    expect(normalizeHeader('ＳＫＵ')).toBe('sku');
  });

  it('skips a title line and picks the template for its own columns', () => {
    const d = detectHeader(orders, [{ row: 1, cells: ['销售报表 2026-11'] }, { row: 2, cells: ['date', 'store_id', 'sku_id', 'gross_sales', 'extra'] }], profiles, { hasDefaultStore: false });
    expect(d).toMatchObject({ headerRow: 2, confidence: 0.9 }); // 0.5 + 0.5 × 4/5 recognised
    expect(d.profile.id).toBe('template');
  });

  it('recognises the TikTok Shop export and needs the store for it', () => {
    const header = ['Order ID', 'Order Status', 'Seller SKU', 'Quantity', 'SKU Subtotal Before Discount', 'SKU Seller Discount', 'Taxes', 'Created Time', 'Buyer Username'];
    expect(() => detectHeader(orders, [{ row: 1, cells: header }], profiles, { hasDefaultStore: false })).toThrow(/matches no known orders layout/);
    const d = detectHeader(orders, [{ row: 1, cells: header }], profiles, { hasDefaultStore: true });
    expect(d).toMatchObject({ confidence: 1 });
    expect(d.profile.id).toBe('tiktok_shop_orders');
  });
});
