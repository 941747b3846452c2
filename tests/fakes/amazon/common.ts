/**
 * Pieces both Amazon fakes share: a loopback HTTP server, a clock the connector's `sleep` moves
 * (so report polling and throttling backoff cost no real time and the fake can measure them), a
 * Login with Amazon token endpoint, and the token bucket Amazon's usage plans describe
 * (rate = requests per second, burst = bucket size).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export class FakeClock {
  constructor(public ms: number) {}
  now = (): Date => new Date(this.ms);
  sleep = async (ms: number): Promise<void> => {
    this.ms += ms;
  };
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;

export async function serve(handler: Handler): Promise<Served> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, Buffer.concat(chunks).toString('utf8'), res)).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(err) }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export function gz(res: ServerResponse, text: string, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType }).end(gzipSync(Buffer.from(text, 'utf8')));
}

/** Amazon usage plan: `burst` requests at once, refilled at `rate` per second (of the fake clock). */
export class TokenBucket {
  private tokens: number;
  private at: number;
  readonly log: { at: number; ok: boolean }[] = [];
  constructor(
    private readonly clock: FakeClock,
    readonly rate: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
    this.at = clock.ms;
  }
  take(): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((this.clock.ms - this.at) / 1000) * this.rate);
    this.at = this.clock.ms;
    const ok = this.tokens >= 1;
    if (ok) this.tokens -= 1;
    this.log.push({ at: this.clock.ms, ok });
    return ok;
  }
}

/**
 * POST /auth/o2/token, grant_type=refresh_token (developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api).
 * A revoked refresh token answers 400 invalid_grant, as LWA does.
 */
export class FakeLwa {
  revoked = false;
  requests = 0;
  readonly issued: string[] = [];
  private readonly expiry = new Map<string, number>();
  constructor(
    private readonly clock: FakeClock,
    readonly app: { clientId: string; clientSecret: string; refreshToken: string },
    private readonly lifetimeSeconds = 3600,
  ) {}

  handle(body: string, res: ServerResponse): void {
    this.requests++;
    const p = new URLSearchParams(body);
    if (p.get('grant_type') !== 'refresh_token') return json(res, 400, { error: 'unsupported_grant_type', error_description: 'grant_type must be refresh_token' });
    if (p.get('client_id') !== this.app.clientId || p.get('client_secret') !== this.app.clientSecret) return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    if (this.revoked || p.get('refresh_token') !== this.app.refreshToken) return json(res, 400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
    const token = `Atza|fake-access-${this.issued.length + 1}-${Math.random().toString(36).slice(2)}`;
    this.issued.push(token);
    this.expiry.set(token, this.clock.ms + this.lifetimeSeconds * 1000);
    json(res, 200, { access_token: token, refresh_token: this.app.refreshToken, token_type: 'bearer', expires_in: this.lifetimeSeconds });
  }

  valid(token: string | undefined): boolean {
    return token !== undefined && (this.expiry.get(token) ?? 0) > this.clock.ms;
  }

  /** Server-side expiry of every token issued so far (the "expired token" case). */
  expireAll(): void {
    for (const t of this.expiry.keys()) this.expiry.set(t, 0);
  }
}
