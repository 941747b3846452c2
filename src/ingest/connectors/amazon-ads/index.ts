/**
 * Amazon Ads API connector (one advertising profile = one store's ad account): Sponsored
 * Products by advertised SKU and Sponsored Brands by campaign, daily, through reporting v3
 * (POST /reporting/reports → poll until COMPLETED → download the gzipped JSON from `url`). LWA
 * refresh-token auth against the region's token host, with the `Amazon-Advertising-API-ClientId`
 * and `Amazon-Advertising-API-Scope: <profileId>` headers. Attribution settles over 14 days
 * (glossary §2.2 A: "re-pull the last 14 days daily and replace"), so repullDays is 14.
 */
import { jsonRows } from '../../push/json-rows.ts';
import { AmazonHttp, pollReport } from '../amazon-sp/http.ts';
import { daysOf, field, list, lwaFields, num, overrideFields, str, url } from '../amazon-sp/settings.ts';
import { ConnectorError, type ConfigField, type ConnectorDefinition, type PullContext, type PulledBatch } from '../types.ts';
import { AD_PRODUCTS, adRows } from './mappers.ts';

/** advertising.amazon.com/API/docs/en-us/reference/api-overview#api-endpoints and the LWA host per region. */
const REGIONS = {
  na: { api: 'https://advertising-api.amazon.com', lwa: 'https://api.amazon.com/auth/o2/token' },
  eu: { api: 'https://advertising-api-eu.amazon.com', lwa: 'https://api.amazon.co.uk/auth/o2/token' },
  fe: { api: 'https://advertising-api-fe.amazon.com', lwa: 'https://api.amazon.co.jp/auth/o2/token' },
} as const;

/** Reporting v3: "Maximum date range 31 days" for spAdvertisedProduct and sbCampaigns. */
const MAX_RANGE_DAYS = 31;
const REPORT_CONTENT_TYPE = 'application/vnd.createasyncreportrequest.v3+json';

const CONFIG: ConfigField[] = [
  field('profileId', 'Advertising profile id', '广告 Profile ID', { required: true, help: 'GET /v2/profiles lists them; one per marketplace' }),
  field('region', 'Region (na, eu, fe)', '区域 (na, eu, fe)', { help: 'default na' }),
  ...lwaFields({ en: 'advertiser', zh: '广告账户' }),
  field('adProducts', 'Ad products', '广告类型', { kind: 'string[]', help: 'sp, sb (default both)' }),
  ...overrideFields('Ads API'),
];

function setup(ctx: PullContext) {
  const profileId = str(ctx, 'profileId', { required: true })!;
  const region = (str(ctx, 'region') ?? 'na') as keyof typeof REGIONS;
  if (!Object.hasOwn(REGIONS, region)) throw new ConnectorError('invalid_config', 'region must be na, eu or fe');
  const clientId = str(ctx, 'clientId', { required: true })!;
  const http = new AmazonHttp(ctx, {
    provider: 'Amazon Ads API',
    base: url(ctx, 'endpoint', REGIONS[region].api),
    lwa: { endpoint: url(ctx, 'lwaEndpoint', REGIONS[region].lwa), clientId, clientSecret: str(ctx, 'clientSecret', { required: true, secret: true })!, refreshToken: str(ctx, 'refreshToken', { required: true, secret: true })! },
    authHeaders: (token) => ({ authorization: `Bearer ${token}`, 'amazon-advertising-api-clientid': clientId, 'amazon-advertising-api-scope': profileId }),
  });
  return { profileId, http, maxPolls: num(ctx, 'maxPolls', 30), products: list(ctx, 'adProducts', ['sp', 'sb']) as ('sp' | 'sb')[] };
}

async function profile(http: AmazonHttp, profileId: string): Promise<{ timezone: string | null; currency: string | null; country: string | null }> {
  const profiles = await http.json<unknown>('getProfiles', '/v2/profiles');
  if (!Array.isArray(profiles)) throw new ConnectorError('malformed_response', 'GET /v2/profiles did not answer a list');
  const p = (profiles as Record<string, unknown>[]).find((x) => String(x?.profileId) === profileId);
  if (!p) throw new ConnectorError('invalid_config', `profile ${profileId.slice(0, 30)} is not among the authorised advertising profiles`);
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return { timezone: s(p.timezone), currency: s(p.currencyCode), country: s(p.countryCode) };
}

function chunks(days: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < days.length; i += MAX_RANGE_DAYS) {
    const part = days.slice(i, i + MAX_RANGE_DAYS);
    out.push([part[0]!, part[part.length - 1]!]);
  }
  return out;
}

export const amazonAds: ConnectorDefinition = {
  kind: 'amazon_ads',
  label: { en: 'Amazon Ads API', zh: '亚马逊广告 API' },
  datasets: ['ads'],
  source: 'api',
  configSchema: CONFIG,
  repullDays: 14,

  async test(ctx) {
    const { profileId, http } = setup(ctx);
    const p = await profile(http, profileId);
    return { ok: true, detail: `profile ${profileId} (${p.country ?? '?'}, ${p.currency ?? '?'})` };
  },

  async *pull(ctx): AsyncGenerator<PulledBatch> {
    const { profileId, http, maxPolls, products } = setup(ctx);
    const account = await profile(http, profileId);
    const rows = [];
    for (const key of products) {
      const spec = AD_PRODUCTS[key];
      for (const [startDate, endDate] of chunks(daysOf(ctx.from, ctx.to))) {
        const created = await http.json<{ reportId?: unknown }>('createReport', '/reporting/reports', {
          method: 'POST',
          headers: { 'content-type': REPORT_CONTENT_TYPE },
          body: {
            name: `kpibot ${spec.reportTypeId} ${startDate}..${endDate}`, startDate, endDate,
            configuration: { adProduct: spec.adProduct, groupBy: spec.groupBy, columns: spec.columns, reportTypeId: spec.reportTypeId, timeUnit: 'DAILY', format: 'GZIP_JSON' },
          },
        });
        if (typeof created?.reportId !== 'string') throw new ConnectorError('malformed_response', 'createReport answered without a reportId');
        const reportId = created.reportId;
        const done = await pollReport(ctx, {
          what: spec.reportTypeId,
          maxPolls,
          status: () => http.json<{ status?: unknown; url?: unknown; failureReason?: unknown }>('getReport', `/reporting/reports/${encodeURIComponent(reportId)}`),
          done: (s) => s?.status === 'COMPLETED' || s?.status === 'FAILED',
        });
        if (done.status === 'FAILED') throw new ConnectorError('provider_unavailable', `Amazon Ads could not produce the ${spec.reportTypeId} report (${String(done.failureReason ?? 'FAILED').slice(0, 120)})`);
        if (typeof done.url !== 'string') throw new ConnectorError('malformed_response', `the ${spec.reportTypeId} report is COMPLETED without a url`);
        const text = await http.download(spec.reportTypeId, done.url, true);
        rows.push(...adRows(text, spec, { accountTimezone: account.timezone, currency: account.currency }).filter((r) => (r.date as string) >= ctx.from && (r.date as string) <= ctx.to));
      }
    }
    ctx.log('amazon ads pulled', { rows: rows.length, products: products.join(',') });
    if (rows.length > 0) yield { dataset: 'ads', rows: jsonRows(rows) };
  },
};
