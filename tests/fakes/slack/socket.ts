/**
 * Socket Mode on the fake Slack: `apps.connections.open` hands out a ws:// URL on loopback, and a
 * minimal WebSocket server (RFC 6455 handshake and text/ping/close frames, enough for the SDK's
 * undici client) says `hello`, pushes envelopes and records the acks the app sends back.
 * https://api.slack.com/apis/connections/socket
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { acceptUpgrade, parseClientFrames, wsFrame } from '../ws-frames.ts';


export interface FakeSocketMode {
  /** Envelopes' acks as the app sent them (`{envelope_id, payload}`). */
  acks: Record<string, unknown>[];
  connected(): boolean;
  /** Pushes an envelope (`{envelope_id, type, payload, accepts_response_payload}`) to the app. */
  push(envelope: Record<string, unknown>): void;
  close(): void;
}


export function attachSocketMode(http: Server): FakeSocketMode {
  let socket: Duplex | undefined;
  const acks: Record<string, unknown>[] = [];
  const send = (o: unknown) => socket?.write(wsFrame(0x1, Buffer.from(JSON.stringify(o))));

  http.on('upgrade', (req, sock: Duplex) => {
    if (!acceptUpgrade(req, sock, '/link')) return;
    socket = sock;
    let pending: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      const { frames, rest } = parseClientFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) {
        if (f.opcode === 0x1) acks.push(JSON.parse(f.payload.toString('utf8')) as Record<string, unknown>);
        else if (f.opcode === 0x9) sock.write(wsFrame(0xa, f.payload));
        else if (f.opcode === 0x8) sock.end(wsFrame(0x8, Buffer.alloc(0)));
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
