/**
 * FBA stock now, from POST /erp/sc/routing/fba/fbaStock/fbaList (FBA库存明细, bucket 3; `sid`
 * takes a comma-separated list). Glossary §2.2 I: on hand = fulfillable (可售) + reserved (待调仓 +
 * 调仓中 + 待发货); inbound = shipped (在途) + receiving (入库中), not the planned (计划入库);
 * unfulfillable = 不可售. Age buckets are kept only when they add up to on hand (the dataset
 * refuses them otherwise); 181–365 = 181–270 + 271–365. The stock is as of the pull: its
 * snapshot date is the pull's instant, which the importer turns into the store's local day.
 * Unique key (sid, msku, fnsku).
 */
import type { LingXingClient } from './client.ts';
import type { LingXingSettings } from './config.ts';
import { int, page, text, type Row } from './shape.ts';

export const FBA_PATH = '/erp/sc/routing/fba/fbaStock/fbaList';
/** The docs give the default (15) but no maximum for this endpoint. */
const FBA_PAGE = 100;

const AGES: [string, string[]][] = [
  ['age_0_30', ['inv_age_0_to_30_days']],
  ['age_31_60', ['inv_age_31_to_60_days']],
  ['age_61_90', ['inv_age_61_to_90_days']],
  ['age_91_180', ['inv_age_91_to_180_days']],
  ['age_181_365', ['inv_age_181_to_270_days', 'inv_age_271_to_365_days']],
  ['age_365_plus', ['inv_age_365_plus_days']],
];

type Out = Record<string, string | number | null>;

export async function pullInventory(client: LingXingClient, s: LingXingSettings, now: Date): Promise<Out[]> {
  const seen = new Map<string, Row>();
  const params = { sid: [...s.shops.keys()].join(',') };
  for await (const rows of client.pages(FBA_PATH, params, s.pageSize ?? FBA_PAGE, (env) => page(env, FBA_PATH, 'data.list', 'data.total'))) {
    for (const r of rows) {
      const sid = int(r, 'sid', FBA_PATH);
      if (s.shops.has(sid)) seen.set([sid, text(r, 'msku', FBA_PATH), r.fnsku ?? ''].join('\u0001'), r);
    }
  }
  const instant = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const n = (r: Row, f: string) => int(r, f, FBA_PATH, true);
  return [...seen.values()].map((r) => {
    const reserved = n(r, 'reserved_fc_transfers') + n(r, 'reserved_fc_processing') + n(r, 'reserved_customerorders');
    const onHand = n(r, 'afn_fulfillable_quantity') + reserved;
    const ages = AGES.map(([, fields]) => fields.reduce((a, f) => a + n(r, f), 0));
    const agesFit = ages.reduce((a, b) => a + b, 0) === onHand;
    const row: Out = {
      snapshot_date: instant, store_id: s.shops.get(int(r, 'sid', FBA_PATH))!, sku_id: text(r, 'msku', FBA_PATH), warehouse_id: text(r, 'wname', FBA_PATH),
      on_hand_units: onHand, reserved_units: reserved, unfulfillable_units: n(r, 'afn_unsellable_quantity'),
      inbound_units: n(r, 'afn_inbound_shipped_quantity') + n(r, 'afn_inbound_receiving_quantity'),
    };
    AGES.forEach(([col], i) => (row[col] = agesFit ? ages[i]! : null));
    return row;
  });
}
