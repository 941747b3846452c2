/**
 * A loopback Amazon Ads API: LWA token exchange, GET /v2/profiles, reporting v3
 * (POST /reporting/reports with the v3 content type → GET /reporting/reports/{id} PENDING /
 * PROCESSING / COMPLETED with `url` → gzipped JSON rows for the requested dates). Every call
 * must carry `Authorization: Bearer`, `Amazon-Advertising-API-ClientId` and, for reports,
 * `Amazon-Advertising-API-Scope`. createReport is throttled by a token bucket and answers 429
 * with `Retry-After`, per the Ads API rate-limiting guide.
 */
import { FakeClock, FakeLwa, gz, json, serve, TokenBucket, type Served } from './common.ts';
import { fixture } from './sp-api.ts';

export const ADS_APP = { clientId: 'amzn1.application-oa2-client.ads-fake', clientSecret: 'ads-client-secret-DO-NOT-LOG', refreshToken: 'Atzr|ads-refresh-DO-NOT-LOG' };
export const PROFILE_ID = '3456789012345678';

export interface AdsFakeOptions {
  pollsUntilDone?: number;
  rows?: Record<string, string>;
  createReport?: { rate: number; burst: number; retryAfter: number };
}

interface Report { id: string; type: string; start: string; end: string; polls: number }

export class FakeAdsApi {
  readonly lwa: FakeLwa;
  readonly createBucket: TokenBucket;
  readonly calls: { method: string; path: string; status: number; at: number }[] = [];
  readonly reportRequests: { startDate: string; endDate: string; configuration: Record<string, unknown> }[] = [];
  readonly downloadsWithToken: number[] = [];
  private readonly reports = new Map<string, Report>();
  private server!: Served;

  constructor(
    readonly clock: FakeClock,
    readonly o: AdsFakeOptions = {},
  ) {
    this.lwa = new FakeLwa(clock, ADS_APP);
    const plan = o.createReport ?? { rate: 0.1, burst: 10, retryAfter: 10 };
    this.createBucket = new TokenBucket(clock, plan.rate, plan.burst);
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await serve((req, body, res) => {
      const path = new URL(req.url!, 'http://x').pathname;
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        this.calls.push({ method: req.method!, path, status, at: this.clock.ms });
        json(res, status, payload, headers);
      };
      if (path === '/auth/o2/token' && req.method === 'POST') return this.lwa.handle(body, res);
      if (path.startsWith('/s3/')) {
        if (req.headers.authorization) this.downloadsWithToken.push(this.clock.ms);
        const r = this.reports.get(path.slice(4));
        if (!r) return reply(404, { message: 'NoSuchKey' });
        this.calls.push({ method: 'GET', path, status: 200, at: this.clock.ms });
        const all = JSON.parse(this.o.rows?.[r.type] ?? fixture(r.type === 'spAdvertisedProduct' ? 'ads-sp-advertised-product.json' : 'ads-sb-campaigns.json')) as { date: string }[];
        // The fixture holds a 2026-10-31 row outside every test window: the connector must drop days it did not ask for.
        return gz(res, JSON.stringify(all), 'application/json');
      }
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!this.lwa.valid(auth) || req.headers['amazon-advertising-api-clientid'] !== ADS_APP.clientId) {
        return reply(401, { code: 'UNAUTHORIZED', details: 'Not authorized to access scope' });
      }
      if (path === '/v2/profiles' && req.method === 'GET') {
        return reply(200, [{ profileId: Number(PROFILE_ID), countryCode: 'US', currencyCode: 'USD', dailyBudget: 999999999, timezone: 'America/Los_Angeles', accountInfo: { marketplaceStringId: 'ATVPDKIKX0DER', id: 'A2FAKESELLER', type: 'seller', name: 'Fake seller', validPaymentMethod: true } }]);
      }
      if (req.headers['amazon-advertising-api-scope'] !== PROFILE_ID) return reply(403, { code: 'UNAUTHORIZED', details: 'Invalid scope' });
      if (path === '/reporting/reports' && req.method === 'POST') {
        if (req.headers['content-type'] !== 'application/vnd.createasyncreportrequest.v3+json') return reply(415, { code: '415', detail: 'Unsupported Media Type' });
        if (!this.createBucket.take()) return reply(429, { code: '429', detail: 'Too Many Requests' }, { 'retry-after': String(this.o.createReport?.retryAfter ?? 10) });
        const spec = JSON.parse(body) as { startDate: string; endDate: string; configuration: { reportTypeId: string; timeUnit: string; columns: string[]; format: string } };
        this.reportRequests.push(spec);
        const c = spec.configuration;
        if (c.timeUnit !== 'DAILY' || !c.columns.includes('date') || c.format !== 'GZIP_JSON') return reply(400, { code: '400', detail: 'configuration is invalid' });
        const days = (Date.parse(spec.endDate) - Date.parse(spec.startDate)) / 86_400_000 + 1;
        if (!(days >= 1 && days <= 31)) return reply(400, { code: '400', detail: 'Date range must be 31 days or less' });
        const id = `rep-${this.reports.size + 1}-${c.reportTypeId}`;
        this.reports.set(id, { id, type: c.reportTypeId, start: spec.startDate, end: spec.endDate, polls: 0 });
        return reply(200, { reportId: id, status: 'PENDING', name: 'x', startDate: spec.startDate, endDate: spec.endDate, configuration: c, url: null, failureReason: null });
      }
      const m = /^\/reporting\/reports\/([\w-]+)$/.exec(path);
      if (m && req.method === 'GET') {
        const r = this.reports.get(m[1]!);
        if (!r) return reply(404, { code: '404', detail: 'Report not found' });
        r.polls++;
        const done = r.polls >= (this.o.pollsUntilDone ?? 3);
        const status = done ? 'COMPLETED' : r.polls === 1 ? 'PENDING' : 'PROCESSING';
        return reply(200, { reportId: r.id, status, startDate: r.start, endDate: r.end, url: done ? `${this.url}/s3/${r.id}` : null, urlExpiresAt: null, fileSize: null, failureReason: null });
      }
      reply(404, { code: '404', detail: `no route ${req.method} ${path}` });
    });
    return this;
  }

  count(method: string, pattern: RegExp, status?: number): number {
    return this.calls.filter((c) => c.method === method && pattern.test(c.path) && (status === undefined || c.status === status)).length;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
