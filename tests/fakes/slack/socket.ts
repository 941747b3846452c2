/**
 * Socket Mode on the fake Slack: `apps.connections.open` hands out a ws:// URL on loopback, and a
 * minimal WebSocket server (RFC 6455 handshake and text/ping/close frames, enough for the SDK's
 * undici client) says `hello`, pushes envelopes and records the acks the app sends back.
 * https://api.slack.com/apis/connections/socket
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface FakeSocketMode {
  /** Envelopes' acks as the app sent them (`{envelope_id, payload}`). */
  acks: Record<string, unknown>[];
  connected(): boolean;
  /** Pushes an envelope (`{envelope_id, type, payload, accepts_response_payload}`) to the app. */
  push(envelope: Record<string, unknown>): void;
  close(): void;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]);
  if (len >= 65_536) throw new Error('frame too large for the fake');
  return Buffer.concat([head, payload]);
}

/** Parses the masked client frames in `buf`; returns complete ones and the unused rest. */
function parse(buf: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  while (buf.length - at >= 6) {
    const opcode = buf[at]! & 0x0f;
    let len = buf[at + 1]! & 0x7f;
    let off = at + 2;
    if (len === 126) {
      if (buf.length - at < 8) break;
      len = buf.readUInt16BE(off);
      off += 2;
    } else if (len === 127) {
      if (buf.length - at < 14) break;
      len = Number(buf.readBigUInt64BE(off));
      off += 8;
    }
    if (buf.length < off + 4 + len) break;
    const mask = buf.subarray(off, off + 4);
    const payload = Buffer.from(buf.subarray(off + 4, off + 4 + len));
    for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    frames.push({ opcode, payload });
    at = off + 4 + len;
  }
  return { frames, rest: buf.subarray(at) };
}

export function attachSocketMode(http: Server): FakeSocketMode {
  let socket: Duplex | undefined;
  const acks: Record<string, unknown>[] = [];
  const send = (o: unknown) => socket?.write(frame(0x1, Buffer.from(JSON.stringify(o))));

  http.on('upgrade', (req, sock: Duplex) => {
    const key = req.headers['sec-websocket-key'];
    if (!req.url?.startsWith('/link') || typeof key !== 'string') return sock.destroy();
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket = sock;
    let pending: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      const { frames, rest } = parse(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) {
        if (f.opcode === 0x1) acks.push(JSON.parse(f.payload.toString('utf8')) as Record<string, unknown>);
        else if (f.opcode === 0x9) sock.write(frame(0xa, f.payload));
        else if (f.opcode === 0x8) sock.end(frame(0x8, Buffer.alloc(0)));
      }
    });
    sock.on('close', () => {
      if (socket === sock) socket = undefined;
    });
    sock.on('error', () => {});
    send({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0KPIBOT1' } });
  });

  return { acks, connected: () => socket !== undefined, push: (e) => void send(e), close: () => socket?.destroy() };
}
