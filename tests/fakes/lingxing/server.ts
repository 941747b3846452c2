/**
 * A loopback LingXing OpenAPI (apidoc.lingxing.com) for the connector's end-to-end tests: the
 * documented token issue/refresh (multipart, `code` "200", one-use refresh tokens), signature
 * check (its own implementation of 接入指南 §4: sorted params, MD5 upper-cased, AES-ECB with the
 * AppID; a wrong sign → 2001006, a sign older than 2 minutes → 2001007), the global error codes,
 * the per AppID + URL token bucket (a request holds a token until it completes; an empty bucket
 * → 3001008), offset/length paging and the five endpoints the connector reads. Knobs simulate
 * expiry, revocation, other clients holding the bucket, a page served twice and broken answers.
 */
import { createDecipheriv, createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Row = Record<string, unknown>;

export interface FakeData {
  shops: Row[];
  /** asinDailyLists source rows: sid, r_date, seller_sku, asin, currency_code, sales, units, orders. */
  sales: Row[];
  /** 利润统计-MSKU records (documented field names). */
  profit: Row[];
  /** spProductAdReports rows plus `sid`. */
  ads: Row[];
  /** fbaList rows. */
  fba: Row[];
}

/** Token bucket capacities from each endpoint's 接口信息 table. */
export const BUCKETS: Record<string, number> = {
  '/api/auth-server/oauth/access-token': 100,
  '/api/auth-server/oauth/refresh': 100,
  '/erp/sc/data/seller/lists': 1,
  '/erp/sc/data/sales_report/asinDailyLists': 5,
  '/bd/profit/statistics/open/msku/list': 10,
  '/pb/openapi/newad/spProductAdReports': 10,
  '/erp/sc/routing/fba/fbaStock/fbaList': 3,
};

function canonical(params: Row): string {
  const sortDeep = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortDeep) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortDeep(x)])) : v;
  return Object.keys(params).sort().filter((k) => params[k] !== '' && params[k] !== undefined)
    .map((k) => `${k}=${params[k] !== null && typeof params[k] === 'object' ? JSON.stringify(sortDeep(params[k])) : String(params[k])}`).join('&');
}

function signOk(params: Row, sign: string, appId: string): boolean {
  try {
    const d = createDecipheriv('aes-128-ecb', Buffer.from(appId), null);
    const md5 = Buffer.concat([d.update(Buffer.from(sign, 'base64')), d.final()]).toString('utf8');
    return md5 === createHash('md5').update(canonical(params)).digest('hex').toUpperCase();
  } catch {
    return false;
  }
}

export interface CallRecord {
  path: string;
  code: string;
  offset?: number;
  body?: Row;
}

export class LingXingFake {
  readonly calls: CallRecord[] = [];
  readonly maxInFlight: Record<string, number> = {};
  url = '';
  private server: Server | null = null;
  private readonly inFlight: Record<string, number> = {};
  private readonly access = new Map<string, number>();
  private readonly refresh = new Map<string, number>();
  private busy: Record<string, number> = {};
  private broken: Record<string, string> = {};
  private duplicated = new Set<string>();
  private secret: string;
  /** Every token is refused (2001005), even fresh ones: an app whose access was withdrawn. */
  refuseAllTokens = false;

  constructor(private readonly o: { appId: string; appSecret: string; data: FakeData; now: () => Date }) {
    this.secret = o.appSecret;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** Issued access tokens expire now (the next call gets 2001003). */
  expireTokens(): void {
    for (const k of this.access.keys()) this.access.set(k, 0);
  }
  /** The seller regenerated the AppSecret: the old one is refused (2001002), tokens too. */
  rotateSecret(): void {
    this.secret = `${this.secret}-rotated`;
    this.access.clear();
    this.refresh.clear();
  }
  /** Other clients of the AppID hold all of `path`'s tokens for the next `n` requests. */
  holdBucket(path: string, n: number): void {
    this.busy[path] = n;
  }
  /** The next answer on `path` is this raw body. */
  breakNext(path: string, body: string): void {
    this.broken[path] = body;
  }
  /** `path` serves its first page twice (rows shifted under the reader): total grows by a page. */
  duplicateFirstPage(path: string): void {
    this.duplicated.add(path);
  }
  count(path: string): number {
    return this.calls.filter((c) => c.path === path).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const send = (body: unknown, code: string, offset?: number, rawBody?: Row) => {
      this.calls.push({ path, code, offset, body: rawBody });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const err = (code: string, msg: string) => send({ code, msg, message: msg, data: null }, code);
    this.inFlight[path] = (this.inFlight[path] ?? 0) + 1;
    this.maxInFlight[path] = Math.max(this.maxInFlight[path] ?? 0, this.inFlight[path]!);
    try {
      await new Promise((r) => setImmediate(r));
      if ((this.busy[path] ?? 0) > 0 || this.inFlight[path]! > (BUCKETS[path] ?? 1)) {
        if (this.busy[path]) this.busy[path]!--;
        return err('3001008', 'requests too frequently. please request later.');
      }
      if (this.broken[path] !== undefined) {
        const b = this.broken[path]!;
        delete this.broken[path];
        return send(b, 'broken');
      }
      if (path.startsWith('/api/auth-server/oauth/')) return await this.auth(req, raw, path, send, err);
      const q = Object.fromEntries(url.searchParams);
      const { access_token: token, app_key: appKey, timestamp, sign } = q;
      if (!token || !appKey || !timestamp || !sign) return err('3001001', 'missing query param(access_token,sign,timestamp,app_key)');
      if (appKey !== this.o.appId) return err('2001001', 'app not exist');
      const body: Row = req.method === 'POST' ? (JSON.parse(raw.toString('utf8') || '{}') as Row) : Object.fromEntries([...url.searchParams].filter(([k]) => !['access_token', 'app_key', 'timestamp', 'sign'].includes(k)));
      if (!signOk({ ...body, access_token: token, app_key: appKey, timestamp }, sign, this.o.appId)) return err('2001006', 'api sign not correct');
      if (Math.abs(this.o.now().getTime() / 1000 - Number(timestamp)) > 120) return err('2001007', 'api sign has expired');
      const expires = this.access.get(token);
      if (this.refuseAllTokens) return err('2001005', 'access token not match');
      if (expires === undefined || expires <= this.o.now().getTime()) return err('2001003', 'access token is missing or expire');
      const offsetIsPage = path.startsWith('/pb/openapi/newad/') && req.headers['x-api-version'] !== '2';
      const r = this.route(path, body, offsetIsPage);
      if (!r) return send({ code: 400, message: '服务不存在', error_details: [], data: [], total: 0 }, '400');
      return send(r, '0', Number(body.offset ?? 0), body);
    } finally {
      this.inFlight[path]!--;
    }
  }

  private async auth(req: IncomingMessage, raw: Buffer, path: string, send: (b: unknown, c: string) => void, err: (c: string, m: string) => void): Promise<void> {
    if (!String(req.headers['content-type']).startsWith('multipart/form-data')) return err('400', 'multipart/form-data expected');
    const form = await new Request('http://x', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: raw }).formData();
    if (form.get('appId') !== this.o.appId) return err('2001001', 'app not exist');
    if (path.endsWith('/access-token')) {
      if (form.get('appSecret') !== this.secret) return err('2001002', 'app secret not correct');
    } else {
      const rt = String(form.get('refreshToken') ?? '');
      const exp = this.refresh.get(rt);
      if (exp === undefined) return err('2001009', 'refresh token is invalid');
      this.refresh.delete(rt);
      if (exp <= this.o.now().getTime()) return err('2001008', 'refresh token expired. please get access token again');
    }
    const access = randomUUID();
    const refresh = randomUUID();
    this.access.set(access, this.o.now().getTime() + 7199_000);
    this.refresh.set(refresh, this.o.now().getTime() + 7200_000);
    send({ code: '200', msg: 'OK', data: { access_token: access, refresh_token: refresh, expires_in: 7199 } }, '200');
  }

  private paged(path: string, rows: Row[], body: Row, offsetIsPage = false): { list: Row[]; total: number } {
    const length = Number(body.length ?? 15);
    const all = this.duplicated.has(path) ? [...rows.slice(0, length), ...rows] : rows;
    const offset = offsetIsPage ? (Number(body.offset ?? 1) - 1) * length : Number(body.offset ?? 0);
    return { list: all.slice(offset, offset + length), total: all.length };
  }

  private route(path: string, body: Row, offsetIsPage: boolean): unknown {
    const d = this.o.data;
    const ok = { code: 0, message: 'success', error_details: [], request_id: randomUUID(), response_time: '2026-11-03 10:00:00' };
    switch (path) {
      case '/erp/sc/data/seller/lists':
        return { ...ok, data: d.shops };
      case '/erp/sc/data/sales_report/asinDailyLists': {
        const field = ({ 1: 'sales', 2: 'units', 3: 'orders' } as Record<string, string>)[String(body.type ?? 1)]!;
        const rows = d.sales.filter((r) => r.sid === body.sid && r.r_date === body.event_date && body.asin_type === 2)
          .map((r) => ({ sid: r.sid, r_date: r.r_date, currency_code: r.currency_code, seller_sku: r.seller_sku, asin: r.asin, product_name: 'x', map_value: r[field] }));
        return { ...ok, data: this.paged(path, rows, body).list };
      }
      case '/bd/profit/statistics/open/msku/list': {
        const span = (Date.parse(String(body.endDate)) - Date.parse(String(body.startDate))) / 86_400_000;
        if (!(span >= 0 && span <= 6)) return { code: 1, msg: '开始结束时间间隔最长不能跨度7天', data: null };
        const sids = body.sids as number[];
        const rows = d.profit.filter((r) => sids.includes(Number(r.sid)) && String(r.dataDate) >= String(body.startDate) && String(r.dataDate) <= String(body.endDate));
        const p = this.paged(path, rows, body);
        return { code: 0, msg: null, data: { total: p.total, records: p.list } };
      }
      case '/pb/openapi/newad/spProductAdReports': {
        const rows = d.ads.filter((r) => r.sid === body.sid && r.report_date === body.report_date).map(({ sid: _sid, ...r }) => r);
        const p = this.paged(path, rows, body, offsetIsPage);
        return { ...ok, total: p.total, data: p.list };
      }
      case '/erp/sc/routing/fba/fbaStock/fbaList': {
        const sids = String(body.sid).split(',').map(Number);
        const p = this.paged(path, d.fba.filter((r) => sids.includes(Number(r.sid))), body);
        return { ...ok, data: { total: p.total, list: p.list } };
      }
      default:
        return null;
    }
  }
}
