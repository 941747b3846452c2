/**
 * SP-API documents → template rows. Sales and Traffic (schemas/reports/sellerSalesAndTrafficReport.json)
 * aggregates `salesAndTrafficByAsin` over the whole requested range — it has no date — so the
 * connector asks for one day per report and stamps that day here. Ordered product sales is the
 * price as shown (VAT-inclusive in Europe), so it maps to `sales_amount` and the orders dataset
 * takes the tax out per the store's settings. Flat files (FBA customer returns) are TSV with a
 * header row; their timestamps are turned into the marketplace's local day. Rows are summed per
 * natural key here because the importer keeps only the last row of a duplicated key.
 */
import { addDecimals } from '../../values/decimal.ts';
import { localDay } from '../../values/dates.ts';
import { ConnectorError } from '../types.ts';

type Row = Record<string, string | number>;

const bad = (what: string): never => {
  throw new ConnectorError('malformed_response', `the ${what} does not match the documented shape`);
};

const int = (v: unknown, what: string): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : v === undefined || v === null ? 0 : bad(what));

function money(v: unknown, what: string): { amount: string; currency: string | null } {
  if (v === undefined || v === null) return { amount: '0', currency: null };
  const m = v as { amount?: unknown; currencyCode?: unknown };
  if (typeof m.amount !== 'number' || !Number.isFinite(m.amount) || typeof m.currencyCode !== 'string') bad(what);
  return { amount: String(m.amount), currency: m.currencyCode as string };
}

/** One day's Sales and Traffic document (asinGranularity SKU) → orders rows per SKU. */
export function salesAndTrafficRows(text: string, day: string): Row[] {
  let doc: { salesAndTrafficByAsin?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    return bad('Sales and Traffic report (not JSON)');
  }
  if (!doc || typeof doc !== 'object') return bad('Sales and Traffic report');
  const list = doc.salesAndTrafficByAsin ?? [];
  if (!Array.isArray(list)) return bad('Sales and Traffic report (salesAndTrafficByAsin)');
  const bySku = new Map<string, Row>();
  for (const e of list as Record<string, unknown>[]) {
    const sku = e?.sku;
    if (typeof sku !== 'string' || sku === '') bad('Sales and Traffic report (an entry without sku)');
    const s = (e.salesByAsin ?? {}) as Record<string, unknown>;
    const t = (e.trafficByAsin ?? {}) as Record<string, unknown>;
    const sales = money(s.orderedProductSales, 'Sales and Traffic report (orderedProductSales)');
    const row = bySku.get(sku as string) ?? { date: day, sku_id: sku as string, units_ordered: 0, order_count: 0, sales_amount: '0', sessions: 0, page_views: 0 };
    row.units_ordered = (row.units_ordered as number) + int(s.unitsOrdered, 'Sales and Traffic report (unitsOrdered)');
    row.order_count = (row.order_count as number) + int(s.totalOrderItems, 'Sales and Traffic report (totalOrderItems)');
    row.sales_amount = addDecimals(row.sales_amount as string, sales.amount);
    if (sales.currency) row.currency = sales.currency;
    row.sessions = (row.sessions as number) + int(t.sessions, 'Sales and Traffic report (sessions)');
    row.page_views = (row.page_views as number) + int(t.pageViews, 'Sales and Traffic report (pageViews)');
    bySku.set(sku as string, row);
  }
  return [...bySku.values()];
}

/** A tab-separated flat file → objects keyed by its header names. */
export function parseTsv(text: string, what: string, required: string[]): Record<string, string>[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = lines[0]!.split('\t').map((h) => h.trim().toLowerCase());
  for (const r of required) if (!header.includes(r)) bad(`${what} (no "${r}" column)`);
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

/** FBA customer returns (one line per returned item) → units returned per local day and SKU, inside [from, to]. */
export function returnsRows(text: string, o: { timeZone: string; from: string; to: string }): Row[] {
  const what = 'FBA customer returns report';
  const byKey = new Map<string, Row>();
  for (const r of parseTsv(text, what, ['return-date', 'sku', 'quantity'])) {
    const at = new Date(r['return-date']!);
    const qty = Number(r.quantity);
    if (Number.isNaN(at.getTime()) || !r.sku || !Number.isInteger(qty) || qty < 0) bad(`${what} (line for "${(r.sku ?? '').slice(0, 40)}")`);
    const day = localDay(at, o.timeZone);
    if (day < o.from || day > o.to) continue;
    const key = `${day}\u0000${r.sku}`;
    const row = byKey.get(key) ?? { date: day, sku_id: r.sku!, units_returned: 0 };
    row.units_returned = (row.units_returned as number) + qty;
    byKey.set(key, row);
  }
  return [...byKey.values()];
}

interface InventorySummary {
  sellerSku?: unknown;
  inventoryDetails?: {
    fulfillableQuantity?: unknown;
    inboundWorkingQuantity?: unknown;
    inboundShippedQuantity?: unknown;
    inboundReceivingQuantity?: unknown;
    reservedQuantity?: { totalReservedQuantity?: unknown };
    researchingQuantity?: { totalResearchingQuantity?: unknown };
    unfulfillableQuantity?: { totalUnfulfillableQuantity?: unknown };
  };
}

/**
 * FBA inventory summaries (getInventorySummaries, details=true) → one snapshot row per SKU. On
 * hand = what sits in Amazon's fulfilment centres: fulfillable + reserved + unfulfillable +
 * researching; inbound = working + shipped + receiving (totalQuantity = on hand + inbound).
 */
export function inventoryRow(s: InventorySummary, snapshotDate: string): Row {
  const what = 'FBA inventory summary';
  if (typeof s?.sellerSku !== 'string' || s.sellerSku === '') return bad(`${what} (no sellerSku)`);
  const d = s.inventoryDetails ?? {};
  const reserved = int(d.reservedQuantity?.totalReservedQuantity, what);
  const unfulfillable = int(d.unfulfillableQuantity?.totalUnfulfillableQuantity, what);
  return {
    snapshot_date: snapshotDate,
    sku_id: s.sellerSku,
    warehouse_id: 'FBA',
    on_hand_units: int(d.fulfillableQuantity, what) + reserved + unfulfillable + int(d.researchingQuantity?.totalResearchingQuantity, what),
    reserved_units: reserved,
    unfulfillable_units: unfulfillable,
    inbound_units: int(d.inboundWorkingQuantity, what) + int(d.inboundShippedQuantity, what) + int(d.inboundReceivingQuantity, what),
  };
}
