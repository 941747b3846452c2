/**
 * The pure mapping steps of the Amazon connectors, on documented shapes: marketplace time zones
 * for return dates (Tokyo is UTC+9 with no DST), SKU rows summed per key, and malformed
 * documents refused with a classified error.
 */
import { describe, expect, it } from 'vitest';
import { AD_PRODUCTS, adRows } from '../../src/ingest/connectors/amazon-ads/mappers.ts';
import { MARKETPLACES } from '../../src/ingest/connectors/amazon-sp/marketplaces.ts';
import { returnsRows, salesAndTrafficRows } from '../../src/ingest/connectors/amazon-sp/mappers.ts';
import { ConnectorError } from '../../src/ingest/connectors/types.ts';

const HEADER = 'return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\tdetailed-disposition\treason\tstatus';

describe('Amazon mappers', () => {
  it('dates JP returns in Asia/Tokyo: 2026-11-01T15:30Z is 00:30 on 11-02 there', () => {
    const jp = MARKETPLACES.A1VC38T7YXB528!;
    expect(jp).toEqual({ country: 'JP', region: 'fe', timeZone: 'Asia/Tokyo', currency: 'JPY' });
    const tsv = [HEADER, '2026-11-01T14:59:59+00:00\t250-1\tJ-1\tB0J\tX0J\tJ\t1\tNRT1\tSELLABLE\tUNWANTED\tok', '2026-11-01T15:30:00+00:00\t250-2\tJ-1\tB0J\tX0J\tJ\t3\tNRT1\tSELLABLE\tUNWANTED\tok'].join('\n');
    // 14:59:59Z = 23:59:59 JST on 11-01; 15:30Z = 00:30 JST on 11-02.
    expect(returnsRows(tsv, { timeZone: jp.timeZone, from: '2026-11-01', to: '2026-11-02' })).toEqual([
      { date: '2026-11-01', sku_id: 'J-1', units_returned: 1 },
      { date: '2026-11-02', sku_id: 'J-1', units_returned: 3 },
    ]);
  });

  it('sums Sales and Traffic entries of one SKU (two child ASINs) without float drift', () => {
    const doc = { salesAndTrafficByAsin: [
      { childAsin: 'B1', sku: 'S', salesByAsin: { unitsOrdered: 1, orderedProductSales: { amount: 0.1, currencyCode: 'EUR' }, totalOrderItems: 1 }, trafficByAsin: { sessions: 2, pageViews: 3 } },
      { childAsin: 'B2', sku: 'S', salesByAsin: { unitsOrdered: 2, orderedProductSales: { amount: 0.2, currencyCode: 'EUR' }, totalOrderItems: 1 }, trafficByAsin: { sessions: 4, pageViews: 5 } },
    ] };
    // 0.1 + 0.2 in decimals is 0.3, not 0.30000000000000004.
    expect(salesAndTrafficRows(JSON.stringify(doc), '2026-11-01')).toEqual([
      { date: '2026-11-01', sku_id: 'S', units_ordered: 3, order_count: 2, sales_amount: '0.3', currency: 'EUR', sessions: 6, page_views: 8 },
    ]);
  });

  it('refuses documents that do not match the documented shape', () => {
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof ConnectorError ? err.code : 'other';
      }
      return 'accepted';
    };
    expect(bad(() => salesAndTrafficRows('<html>', '2026-11-01'))).toBe('malformed_response');
    expect(bad(() => salesAndTrafficRows('{"salesAndTrafficByAsin":[{"sku":"S","salesByAsin":{"unitsOrdered":-1}}]}', '2026-11-01'))).toBe('malformed_response');
    expect(bad(() => returnsRows('sku\tquantity\nS\t1', { timeZone: 'UTC', from: '2026-11-01', to: '2026-11-01' }))).toBe('malformed_response');
    expect(bad(() => returnsRows(`${HEADER}\nyesterday\t1\tS\tB\tX\tP\t1\tF\tD\tR\tS`, { timeZone: 'UTC', from: '2026-11-01', to: '2026-11-01' }))).toBe('malformed_response');
    expect(bad(() => adRows('{"rows": []}', AD_PRODUCTS.sp, { accountTimezone: null, currency: null }))).toBe('malformed_response');
    expect(bad(() => adRows('[{"date": "11/01/2026", "campaignId": 1}]', AD_PRODUCTS.sp, { accountTimezone: null, currency: null }))).toBe('malformed_response');
  });
});
