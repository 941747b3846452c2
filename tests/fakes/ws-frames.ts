/**
 * The two halves of RFC 6455 framing the loopback fakes need (Slack Socket Mode, Feishu long
 * connection): unmasked server frames out, masked client frames in. Just enough for SDK clients
 * on loopback: no fragmentation, no extensions.
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Completes the opening handshake when the path fits; otherwise drops the socket. False when dropped. */
export function acceptUpgrade(req: IncomingMessage, sock: Duplex, pathPrefix: string): boolean {
  const key = req.headers['sec-websocket-key'];
  if (!req.url?.startsWith(pathPrefix) || typeof key !== 'string') {
    sock.destroy();
    return false;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  return true;
}

export function wsFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let head: Buffer;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65_536) head = Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]);
  else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Masked client frames in `buf`; complete ones and the unused rest. */
export function parseClientFrames(buf: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
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
