/**
 * Shops of the LingXing account (GET /erp/sc/data/seller/lists, token bucket 1, no paging):
 * `sid` is LingXing's shop id used by every other endpoint; status 1 is normal, 0 sync stopped,
 * 2 authorisation broken, 3 suspended for arrears.
 */
import { ConnectorError } from '../types.ts';
import type { LingXingClient } from './client.ts';
import type { LingXingSettings } from './config.ts';
import { int, page, text } from './shape.ts';

export const SHOPS_PATH = '/erp/sc/data/seller/lists';

export interface Shop {
  sid: number;
  name: string;
  status: number;
}

export async function listShops(client: LingXingClient): Promise<Shop[]> {
  const { rows } = page(await client.call('GET', SHOPS_PATH, {}), SHOPS_PATH, 'data', null);
  return rows.map((r) => ({ sid: int(r, 'sid', SHOPS_PATH), name: text(r, 'name', SHOPS_PATH), status: int(r, 'status', SHOPS_PATH, true) }));
}

/** The mapped shops LingXing knows; a mapped sid it does not know is a configuration error. */
export async function mappedShops(client: LingXingClient, s: LingXingSettings): Promise<{ shops: Shop[]; detail: string }> {
  const all = await listShops(client);
  const known = new Map(all.map((x) => [x.sid, x]));
  const missing = [...s.shops.keys()].filter((sid) => !known.has(sid));
  if (missing.length) throw new ConnectorError('invalid_config', `shopMap names sid ${missing.join(', ')}, which this LingXing account does not have (it has ${all.map((x) => x.sid).join(', ') || 'none'})`);
  const shops = [...s.shops.keys()].map((sid) => known.get(sid)!);
  const unmapped = all.filter((x) => !s.shops.has(x.sid)).map((x) => x.sid);
  const detail = `${all.length} LingXing shop(s); mapped ${shops.map((x) => `${x.sid}→${s.shops.get(x.sid)}`).join(', ')}${unmapped.length ? `; not mapped: ${unmapped.join(', ')}` : ''}`;
  return { shops, detail };
}
