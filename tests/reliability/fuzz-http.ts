/**
 * Raw HTTP/1.1 over a socket for the route fuzzer: the request line, headers and body bytes go out
 * exactly as generated (no URL normalisation or validation, so `..`, `%zz` and latin-1 bytes reach
 * the server's parser as sent), one connection per request (`Connection: close`), and the answer
 * is read to the end whatever it is, so a body sent with a refused HEAD cannot confuse a client.
 */
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent as is: may hold `..`, bad percent escapes and bytes 0x80-0xff (sent as latin-1). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the request tries, for the failure message (e.g. "json body, garbage auth"). */
  kind: string;
}

export interface RawResponse {
  /** 0: no answer at all (the connection closed or timed out before a status line). */
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
  /** The connection was cut while the request was still being written (e.g. after a 413). */
  cut: boolean;
}

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = Number.parseInt(raw.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parse(raw: Buffer, started: number, cut: boolean): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end < 0 ? raw : raw.subarray(0, end)).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: status ? Number(status[1]) : 0, headers, body: body.toString('utf8'), ms: performance.now() - started, cut };
}

/** Sends one request and reads the whole answer; no answer within `timeoutMs` is status 0. */
export function send(base: string, r: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const url = new URL(base);
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let cut = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), started, cut));
    };
    const socket = connect(Number(url.port), url.hostname === 'localhost' ? '127.0.0.1' : url.hostname);
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => {
      cut = true;
      // The server may have answered before it stopped reading (413): keep what arrived.
      setTimeout(finish, 50);
    });
    const lines = [`${r.method} ${r.path} HTTP/1.1`, `host: ${url.host}`, 'connection: close'];
    for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
    if (r.body) lines.push(`content-length: ${r.body.length}`);
    socket.write(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
    if (r.body) socket.write(r.body);
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
