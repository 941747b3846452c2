/**
 * A loopback Selling Partner API: LWA token exchange, Sellers getMarketplaceParticipations,
 * Reports API 2021-06-30 (createReport → getReport IN_QUEUE / IN_PROGRESS / DONE → getReportDocument
 * → gzipped document behind a presigned-style URL), and FBA inventory summaries paged by nextToken.
 * createReport follows its documented usage plan (rate 0.0167/s, burst 15; smaller bursts in
 * tests) and answers 429 without a rate header, as the models say; successful answers carry
 * `x-amzn-RateLimit-Limit`. An expired access token gets the documented 403 Unauthorized.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock, FakeLwa, gz, json, serve, TokenBucket, type Served } from './common.ts';

const FIX = join(import.meta.dirname, '../../fixtures/amazon');
export const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');

export const SP_APP = { clientId: 'amzn1.application-oa2-client.sp-fake', clientSecret: 'sp-client-secret-DO-NOT-LOG', refreshToken: 'Atzr|sp-refresh-DO-NOT-LOG' };
export const US = 'ATVPDKIKX0DER';

export interface SpFakeOptions {
  /** getReport answers before DONE (3: IN_QUEUE, IN_PROGRESS, DONE); Infinity never completes. */
  pollsUntilDone?: number;
  /** Sales and Traffic documents by day (default: the fixtures). */
  salesDocs?: Record<string, string>;
  returnsTsv?: string;
  inventoryPages?: string[];
  createReport?: { rate: number; burst: number };
  /** Expire every issued access token once this many authorised calls were served. */
  expireTokensAfter?: number;
}

interface Report { id: string; type: string; start: string; polls: number; docId: string }

export class FakeSpApi {
  readonly lwa: FakeLwa;
  readonly createBucket: TokenBucket;
  readonly calls: { method: string; path: string; status: number; at: number }[] = [];
  readonly downloadsWithToken: number[] = [];
  readonly reportRequests: Record<string, unknown>[] = [];
  private readonly reports = new Map<string, Report>();
  private authorised = 0;
  private server!: Served;

  constructor(
    readonly clock: FakeClock,
    readonly o: SpFakeOptions = {},
  ) {
    this.lwa = new FakeLwa(clock, SP_APP);
    const plan = o.createReport ?? { rate: 0.0167, burst: 15 };
    this.createBucket = new TokenBucket(clock, plan.rate, plan.burst);
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await serve((req, body, res) => {
      const url = new URL(req.url!, 'http://x');
      const path = url.pathname;
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        this.calls.push({ method: req.method!, path, status, at: this.clock.ms });
        json(res, status, payload, headers);
      };
      if (path === '/auth/o2/token' && req.method === 'POST') return this.lwa.handle(body, res);
      if (path.startsWith('/s3/')) {
        // A presigned S3 URL: our access token must not travel there.
        if (req.headers['x-amz-access-token']) this.downloadsWithToken.push(this.clock.ms);
        const r = this.reports.get(path.slice(4));
        if (!r) return reply(404, { message: 'NoSuchKey' });
        this.calls.push({ method: 'GET', path, status: 200, at: this.clock.ms });
        if (r.type === 'GET_SALES_AND_TRAFFIC_REPORT') return gz(res, this.o.salesDocs?.[r.start] ?? fixture(`sales-${r.start}.json`), 'application/json');
        return gz(res, this.o.returnsTsv ?? fixture('fba-customer-returns.tsv'), 'text/tab-separated-values;charset=UTF-8');
      }
      const token = req.headers['x-amz-access-token'];
      if (!this.lwa.valid(typeof token === 'string' ? token : undefined)) {
        return reply(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided has expired.' }] });
      }
      if (this.o.expireTokensAfter !== undefined && ++this.authorised === this.o.expireTokensAfter) this.lwa.expireAll();
      if (path === '/sellers/v1/marketplaceParticipations') {
        return reply(200, { payload: [{ marketplace: { id: US, countryCode: 'US', name: 'Amazon.com', defaultCurrencyCode: 'USD', defaultLanguageCode: 'en_US', domainName: 'www.amazon.com' }, participation: { isParticipating: true, hasSuspendedListings: false } }] });
      }
      if (path === '/reports/2021-06-30/reports' && req.method === 'POST') {
        if (!this.createBucket.take()) return reply(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
        const spec = JSON.parse(body) as { reportType: string; dataStartTime: string; marketplaceIds: string[] };
        this.reportRequests.push(spec);
        if (!Array.isArray(spec.marketplaceIds) || spec.marketplaceIds[0] !== US) return reply(400, { errors: [{ code: 'InvalidInput', message: 'Invalid marketplaceIds', details: '' }] });
        const id = String(50000 + this.reports.size + 1);
        this.reports.set(id, { id, type: spec.reportType, start: spec.dataStartTime.slice(0, 10), polls: 0, docId: `amzn1.spdoc.1.4.na.${id}` });
        return reply(202, { reportId: id }, { 'x-amzn-ratelimit-limit': String(this.createBucket.rate) });
      }
      const report = /^\/reports\/2021-06-30\/reports\/(\w+)$/.exec(path);
      if (report && req.method === 'GET') {
        const r = this.reports.get(report[1]!);
        if (!r) return reply(404, { errors: [{ code: 'NotFound', message: 'Report not found', details: '' }] });
        r.polls++;
        const done = r.polls >= (this.o.pollsUntilDone ?? 3);
        const status = done ? 'DONE' : r.polls === 1 ? 'IN_QUEUE' : 'IN_PROGRESS';
        return reply(200, { reportId: r.id, reportType: r.type, marketplaceIds: [US], processingStatus: status, createdTime: new Date(this.clock.ms).toISOString(), ...(done ? { reportDocumentId: r.docId } : {}) }, { 'x-amzn-ratelimit-limit': '2.0' });
      }
      const doc = /^\/reports\/2021-06-30\/documents\/(.+)$/.exec(path);
      if (doc) {
        const r = [...this.reports.values()].find((x) => x.docId === doc[1]);
        if (!r) return reply(404, { errors: [{ code: 'NotFound', message: 'Document not found', details: '' }] });
        return reply(200, { reportDocumentId: r.docId, url: `${this.url}/s3/${r.id}`, compressionAlgorithm: 'GZIP' }, { 'x-amzn-ratelimit-limit': '0.0167' });
      }
      if (path === '/fba/inventory/v1/summaries') {
        if (url.searchParams.get('granularityId') !== US || url.searchParams.get('details') !== 'true') return reply(400, { errors: [{ code: 'InvalidInput', message: 'bad granularity', details: '' }] });
        const pages = this.o.inventoryPages ?? [fixture('inventory-page-1.json'), fixture('inventory-page-2.json')];
        const next = url.searchParams.get('nextToken');
        const index = next === null ? 0 : Number(next.replace('page-', '')) - 1;
        const page = pages[index];
        if (page === undefined) return reply(400, { errors: [{ code: 'InvalidInput', message: 'Invalid nextToken', details: '' }] });
        return reply(200, JSON.parse(page), { 'x-amzn-ratelimit-limit': '2.0' });
      }
      reply(404, { errors: [{ code: 'NotFound', message: `no route ${req.method} ${path}`, details: '' }] });
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
