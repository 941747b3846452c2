/**
 * The fake's long-connection side (platforms.md §2 e): `POST /callback/ws/endpoint` hands out a
 * ws:// URL on loopback, and a minimal WebSocket server (RFC 6455 handshake, binary/ping/close
 * frames) speaks protobuf `pbbp2.Frame` — encoded here by hand from the field table (1 SeqID,
 * 2 LogID, 3 service, 4 method, 5 headers{1 key, 2 value}, 6 payloadEncoding, 7 payloadType,
 * 8 payload, 9 LogIDNew), independently of the SDK's generated codec. It answers pings with a
 * pong carrying ClientConfig, pushes `type=event` data frames and collects the client's ACKs
 * (`{"code":200,"data":"<base64 JSON>"}`), matched by the `message_id` header.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { acceptUpgrade, parseClientFrames, wsFrame } from '../ws-frames.ts';

export const SERVICE_ID = 7;

export interface PbFrame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Buffer;
  LogIDNew?: string;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

const key = (field: number, wire: number) => varint(field * 8 + wire);
const bytesField = (field: number, b: Buffer) => Buffer.concat([key(field, 2), varint(b.length), b]);

export function encodeFrame(f: PbFrame): Buffer {
  const parts = [key(1, 0), varint(f.SeqID), key(2, 0), varint(f.LogID), key(3, 0), varint(f.service), key(4, 0), varint(f.method)];
  for (const h of f.headers) parts.push(bytesField(5, Buffer.concat([bytesField(1, Buffer.from(h.key)), bytesField(2, Buffer.from(h.value))])));
  if (f.payloadEncoding !== undefined) parts.push(bytesField(6, Buffer.from(f.payloadEncoding)));
  if (f.payloadType !== undefined) parts.push(bytesField(7, Buffer.from(f.payloadType)));
  if (f.payload !== undefined) parts.push(bytesField(8, f.payload));
  if (f.LogIDNew !== undefined) parts.push(bytesField(9, Buffer.from(f.LogIDNew)));
  return Buffer.concat(parts);
}

function reader(buf: Buffer) {
  let at = 0;
  const readVarint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = buf[at++];
      if (b === undefined) throw new Error('truncated varint');
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
  };
  return {
    done: () => at >= buf.length,
    varint: readVarint,
    bytes: () => {
      const len = readVarint();
      const out = buf.subarray(at, at + len);
      at += len;
      return Buffer.from(out);
    },
  };
}

function decodeFields(buf: Buffer, onField: (field: number, r: ReturnType<typeof reader>, wire: number) => void): void {
  const r = reader(buf);
  while (!r.done()) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire !== 0 && wire !== 2) throw new Error(`unexpected wire type ${wire}`);
    onField(field, r, wire);
  }
}

export function decodeFrame(buf: Buffer): PbFrame {
  const f: PbFrame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  decodeFields(buf, (field, r, wire) => {
    if (wire === 0) {
      const v = r.varint();
      if (field === 1) f.SeqID = v;
      else if (field === 2) f.LogID = v;
      else if (field === 3) f.service = v;
      else if (field === 4) f.method = v;
      return;
    }
    const b = r.bytes();
    if (field === 5) {
      const h = { key: '', value: '' };
      decodeFields(b, (hf, hr) => {
        const s = hr.bytes().toString('utf8');
        if (hf === 1) h.key = s;
        else if (hf === 2) h.value = s;
      });
      f.headers.push(h);
    } else if (field === 6) f.payloadEncoding = b.toString('utf8');
    else if (field === 7) f.payloadType = b.toString('utf8');
    else if (field === 8) f.payload = b;
    else if (field === 9) f.LogIDNew = b.toString('utf8');
  });
  return f;
}


export interface WsAck {
  messageId: string;
  code: number;
  /** The handler's answer, decoded from base64 JSON; undefined when it returned nothing. */
  data?: unknown;
}

export interface FakeLongConnection {
  /** Answer of `POST /callback/ws/endpoint`. */
  endpoint(body: Record<string, unknown>): Record<string, unknown>;
  connected(): boolean;
  waitConnected(timeoutMs?: number): Promise<void>;
  pings: number;
  acks: WsAck[];
  /** Pushes a v2 envelope as an event frame; resolves with the client's ACK. */
  push(envelope: unknown, timeoutMs?: number): Promise<WsAck>;
  /** Pushes raw bytes as a binary frame (broken input). */
  pushRaw(bytes: Buffer): void;
  close(): void;
}

export function attachLongConnection(http: Server, o: { origin: string; appId: string; appSecret: string }): FakeLongConnection {
  let socket: Duplex | undefined;
  const waiters = new Map<string, (a: WsAck) => void>();
  const state = { pings: 0, acks: [] as WsAck[] };
  const clientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };
  const write = (f: PbFrame) => socket?.write(wsFrame(0x2, encodeFrame(f)));

  function onFrame(f: PbFrame): void {
    const h = Object.fromEntries(f.headers.map((x) => [x.key, x.value]));
    if (f.method === 0 && h.type === 'ping') {
      state.pings++;
      write({ SeqID: 0, LogID: 0, service: SERVICE_ID, method: 0, headers: [{ key: 'type', value: 'pong' }], payload: Buffer.from(JSON.stringify(clientConfig)) });
      return;
    }
    if (f.method === 1 && h.message_id) {
      const body = JSON.parse((f.payload ?? Buffer.from('{}')).toString('utf8')) as { code: number; data?: string };
      const ack: WsAck = { messageId: h.message_id, code: body.code, ...(body.data ? { data: JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) as unknown } : {}) };
      state.acks.push(ack);
      waiters.get(h.message_id)?.(ack);
      waiters.delete(h.message_id);
    }
  }

  http.on('upgrade', (req, sock: Duplex) => {
    if (!acceptUpgrade(req, sock, '/ws?')) return;
    socket = sock;
    let pending: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      const { frames, rest } = parseClientFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const fr of frames) {
        if (fr.opcode === 0x2) onFrame(decodeFrame(fr.payload));
        else if (fr.opcode === 0x9) sock.write(wsFrame(0xa, fr.payload));
        else if (fr.opcode === 0x8) sock.end(wsFrame(0x8, Buffer.alloc(0)));
      }
    });
    sock.on('close', () => {
      if (socket === sock) socket = undefined;
    });
    sock.on('error', () => {});
  });

  return Object.assign(state, {
    endpoint(body: Record<string, unknown>) {
      if (body.AppID !== o.appId || body.AppSecret !== o.appSecret) return { code: 514, msg: 'auth failed' };
      const ticket = randomBytes(8).toString('hex');
      return { code: 0, msg: 'ok', data: { URL: `${o.origin.replace('http:', 'ws:')}/ws?device_id=dev1&service_id=${SERVICE_ID}&ticket=${ticket}`, ClientConfig: clientConfig } };
    },
    connected: () => socket !== undefined,
    async waitConnected(timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (!socket) {
        if (Date.now() > end) throw new Error('the client did not open the long connection');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    push(envelope: unknown, timeoutMs = 15_000) {
      const messageId = `msg-${randomBytes(6).toString('hex')}`;
      const done = new Promise<WsAck>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ACK for ${messageId}`)), timeoutMs);
        waiters.set(messageId, (a) => {
          clearTimeout(timer);
          resolve(a);
        });
      });
      write({
        SeqID: 0,
        LogID: 0,
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: 'trace-1' },
        ],
        payload: Buffer.from(JSON.stringify(envelope)),
      });
      return done;
    },
    pushRaw: (bytes: Buffer) => void socket?.write(wsFrame(0x2, bytes)),
    close: () => socket?.destroy(),
  });
}
