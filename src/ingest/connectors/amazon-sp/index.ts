/**
 * Amazon Selling Partner API connector (one marketplace = one store): daily Sales and Traffic by
 * SKU and FBA customer returns into `orders`, FBA inventory into `inventory`. LWA refresh-token
 * auth with the `x-amz-access-token` header only — SP-API stopped requiring AWS SigV4 on
 * 2023-10-02 (developer-docs.amazon.com/sp-api/changelog/sp-api-will-no-longer-require-aws-iam-or-aws-signature-version-4).
 * Re-pulls 14 days because returns arrive for weeks; every batch replaces its natural keys, so a
 * re-pull never double counts.
 */
import { jsonRows } from '../../push/json-rows.ts';
import { localDay, zonedInstant } from '../../values/dates.ts';
import { LWA_TOKEN_URL } from '../amazon-lwa.ts';
import { ConnectorError, type ConfigField, type ConnectorDefinition, type PullContext, type PulledBatch } from '../types.ts';
import { AmazonHttp } from './http.ts';
import { MARKETPLACES, SP_HOSTS, type SpRegion } from './marketplaces.ts';
import { inventoryRow, returnsRows, salesAndTrafficRows } from './mappers.ts';
import { fetchReport } from './reports.ts';
import { daysOf, field, list, lwaFields, num, overrideFields, str, url } from './settings.ts';

const REPORTS = ['sales', 'returns', 'inventory'] as const;

const CONFIG: ConfigField[] = [
  field('marketplaceId', 'Marketplace id', '站点 Marketplace ID', { required: true, help: 'e.g. ATVPDKIKX0DER (US), A1PA6795UKMFR9 (DE), A1VC38T7YXB528 (JP)' }),
  ...lwaFields({ en: 'seller', zh: '卖家' }),
  field('region', 'Region (na, eu, fe)', '区域 (na, eu, fe)', { help: 'defaults from the marketplace id' }),
  field('reports', 'Reports to pull', '拉取的报告', { kind: 'string[]', help: 'sales, returns, inventory (default all)' }),
  ...overrideFields('SP-API'),
];

function setup(ctx: PullContext) {
  const marketplaceId = str(ctx, 'marketplaceId', { required: true })!;
  const known = Object.hasOwn(MARKETPLACES, marketplaceId) ? MARKETPLACES[marketplaceId] : undefined;
  const region = (str(ctx, 'region') ?? known?.region) as SpRegion | undefined;
  if (!region || !Object.hasOwn(SP_HOSTS, region)) throw new ConnectorError('invalid_config', `unknown marketplace "${marketplaceId.slice(0, 20)}": set region to na, eu or fe`);
  const http = new AmazonHttp(ctx, {
    provider: 'Selling Partner API',
    base: url(ctx, 'endpoint', SP_HOSTS[region]),
    lwa: { endpoint: url(ctx, 'lwaEndpoint', LWA_TOKEN_URL), clientId: str(ctx, 'clientId', { required: true })!, clientSecret: str(ctx, 'clientSecret', { required: true, secret: true })!, refreshToken: str(ctx, 'refreshToken', { required: true, secret: true })! },
    authHeaders: (token) => ({ 'x-amz-access-token': token }),
  });
  return { marketplaceId, timeZone: known?.timeZone ?? ctx.timeZone, http, maxPolls: num(ctx, 'maxPolls', 20), reports: list(ctx, 'reports', REPORTS) };
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function previousDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function startOf(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return zonedInstant(y, m, d, 0, 0, 0, timeZone);
}

export const amazonSp: ConnectorDefinition = {
  kind: 'amazon_sp',
  label: { en: 'Amazon Selling Partner API', zh: '亚马逊卖家 API (SP-API)' },
  datasets: ['orders', 'inventory'],
  source: 'api',
  configSchema: CONFIG,
  repullDays: 14,

  async test(ctx) {
    const { marketplaceId, http } = setup(ctx);
    const res = await http.json<{ payload?: { marketplace?: { id?: unknown; countryCode?: unknown } }[] }>('getMarketplaceParticipations', '/sellers/v1/marketplaceParticipations');
    if (!Array.isArray(res?.payload)) throw new ConnectorError('malformed_response', 'getMarketplaceParticipations answered without a payload');
    const hit = res.payload.find((p) => p?.marketplace?.id === marketplaceId);
    if (!hit) throw new ConnectorError('invalid_config', `the seller does not sell on marketplace ${marketplaceId.slice(0, 20)}`);
    return { ok: true, detail: `authorised for ${String(hit.marketplace?.countryCode ?? marketplaceId)}` };
  },

  async *pull(ctx): AsyncGenerator<PulledBatch> {
    const { marketplaceId, timeZone, http, maxPolls, reports } = setup(ctx);
    const days = daysOf(ctx.from, ctx.to);

    if (reports.includes('sales')) {
      const rows = [];
      // salesAndTrafficByAsin has no date: one report per day is the only way to a daily grain.
      for (const day of days) {
        const text = await fetchReport(ctx, http, { reportType: 'GET_SALES_AND_TRAFFIC_REPORT', marketplaceIds: [marketplaceId], dataStartTime: day, dataEndTime: day, reportOptions: { dateGranularity: 'DAY', asinGranularity: 'SKU' } }, maxPolls);
        if (text !== null) rows.push(...salesAndTrafficRows(text, day));
      }
      ctx.log('amazon sales and traffic pulled', { days: days.length, rows: rows.length });
      if (rows.length > 0) yield { dataset: 'orders', rows: jsonRows(rows) };
    }

    if (reports.includes('returns')) {
      const start = startOf(ctx.from, timeZone);
      const end = new Date(startOf(nextDay(ctx.to), timeZone).getTime() - 1000);
      const text = await fetchReport(ctx, http, { reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA', marketplaceIds: [marketplaceId], dataStartTime: start.toISOString(), dataEndTime: end.toISOString() }, maxPolls);
      const rows = text === null ? [] : returnsRows(text, { timeZone, from: ctx.from, to: ctx.to });
      ctx.log('amazon returns pulled', { rows: rows.length });
      if (rows.length > 0) yield { dataset: 'orders', rows: jsonRows(rows) };
    }

    // The inventory API only knows "now". The daily run (early morning, window ending yesterday)
    // records it as yesterday's end-of-day stock; a window ending today records it as today's; an
    // older window has no snapshot to give.
    const today = localDay(ctx.now(), timeZone);
    const snapshot = ctx.to >= today ? today : ctx.to === previousDay(today) ? ctx.to : null;
    if (reports.includes('inventory') && snapshot !== null && snapshot >= ctx.from) {
      const bySku = new Map<string, Record<string, string | number>>();
      const seen = new Set<string>();
      let nextToken: string | undefined;
      do {
        const q = new URLSearchParams({ details: 'true', granularityType: 'Marketplace', granularityId: marketplaceId, marketplaceIds: marketplaceId });
        if (nextToken) q.set('nextToken', nextToken);
        const page = await http.json<{ payload?: { inventorySummaries?: unknown }; pagination?: { nextToken?: unknown } }>('getInventorySummaries', `/fba/inventory/v1/summaries?${q}`);
        const items = page?.payload?.inventorySummaries;
        if (!Array.isArray(items)) throw new ConnectorError('malformed_response', 'getInventorySummaries answered without inventorySummaries');
        // A page served twice (a retried request) repeats SKUs: keyed by SKU, it counts once.
        for (const s of items) {
          const row = inventoryRow(s as Parameters<typeof inventoryRow>[0], snapshot);
          bySku.set(row.sku_id as string, row);
        }
        const token = page.pagination?.nextToken;
        nextToken = typeof token === 'string' && token !== '' ? token : undefined;
        if (nextToken && seen.has(nextToken)) throw new ConnectorError('malformed_response', 'getInventorySummaries returned the same nextToken twice');
        if (nextToken) seen.add(nextToken);
      } while (nextToken);
      ctx.log('amazon inventory pulled', { rows: bySku.size });
      if (bySku.size > 0) yield { dataset: 'inventory', rows: jsonRows([...bySku.values()]) };
    }
  },
};
