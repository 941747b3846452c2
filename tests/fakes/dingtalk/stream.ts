/**
 * The Stream side of the fake DingTalk (platforms.md §3 a): the gateway hands out one-use tickets
 * for `ws://…/connect?ticket=…`, and this WebSocket server (the `ws` package the SDK itself uses)
 * pushes SYSTEM/EVENT/CALLBACK frames and records the client's response frames. It also counts
 * sockets, so a test can tell "reconnected" from "two sockets at once".
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

type Json = Record<string, unknown>;

/** The bits of `ws` used here (the package ships no types in this repo). */
interface WsSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number): void;
  terminate(): void;
  on(event: 'message', fn: (data: Buffer) => void): void;
  on(event: 'close', fn: () => void): void;
}
interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (o: { noServer: true }) => WsServer };

export interface StreamFrame {
  specVersion: string;
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK';
  headers: Json & { topic: string; messageId: string };
  data: string;
}

export interface FakeStream {
  /** Tickets the gateway issued and not used yet. */
  tickets: Set<string>;
  /** Response frames the client sent, parsed, in order. */
  acks: Json[];
  /** Sockets opened in total, open now, and the most ever open at once. */
  connections(): number;
  open(): number;
  maxOpen(): number;
  /** Sends a frame (or raw text) to the newest open socket; false when none is open. */
  push(frame: StreamFrame | string): boolean;
  /** Waits for the client's response to a frame; null after `timeoutMs`. */
  waitForAck(messageId: string, timeoutMs?: number): Promise<Json | null>;
  /** Resolves once `n` sockets have been opened in total. */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** SYSTEM disconnect, then the server closes the socket after `closeAfterMs`. */
  disconnect(closeAfterMs?: number): void;
  ping(): Promise<Json | null>;
  /** Drops every socket without a word (network loss); new connections still work. */
  dropAll(): void;
  close(): void;
}

let frameSeq = 0;
export const newFrameId = () => `frame-${Date.now().toString(36)}-${++frameSeq}`;

export function frameOf(type: StreamFrame['type'], topic: string, data: unknown, headers: Json = {}): StreamFrame {
  return {
    specVersion: '1.0',
    type,
    headers: { appId: 'fake-app', connectionId: 'fake-conn', contentType: 'application/json', time: String(Date.now()), topic, messageId: newFrameId(), ...headers },
    data: typeof data === 'string' ? data : JSON.stringify(data),
  };
}

export function attachStream(http: Server): FakeStream {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const sockets = new Set<WsSocket>();
  const acks: Json[] = [];
  let total = 0;
  let maxOpen = 0;
  let newest: WsSocket | undefined;

  http.on('upgrade', (req: IncomingMessage, sock: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    // A ticket works for one connection only (platforms.md §3 a).
    if (url.pathname !== '/connect' || !tickets.delete(ticket)) {
      sock.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return sock.destroy();
    }
    wss.handleUpgrade(req, sock, head, (ws) => {
      total++;
      sockets.add(ws);
      maxOpen = Math.max(maxOpen, sockets.size);
      newest = ws;
      ws.on('message', (data) => {
        try {
          acks.push(JSON.parse(data.toString('utf8')) as Json);
        } catch {
          acks.push({ unparsable: data.toString('utf8') });
        }
      });
      ws.on('close', () => {
        sockets.delete(ws);
        if (newest === ws) newest = [...sockets].at(-1);
      });
    });
  });

  const ackFor = (id: string) => acks.find((a) => (a.headers as Json | undefined)?.messageId === id);

  const stream: FakeStream = {
    tickets,
    acks,
    connections: () => total,
    open: () => sockets.size,
    maxOpen: () => maxOpen,
    push(frame) {
      if (!newest || newest.readyState !== 1) return false;
      newest.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      return true;
    },
    async waitForAck(messageId, timeoutMs = 3000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const a = ackFor(messageId);
        if (a) return a;
        if (Date.now() > end) return null;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async waitForConnections(n, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (total < n || !newest || newest.readyState !== 1) {
        if (Date.now() > end) throw new Error(`expected ${n} Stream connection(s), saw ${total}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    disconnect(closeAfterMs = 50) {
      const ws = newest;
      if (!ws) return;
      ws.send(JSON.stringify(frameOf('SYSTEM', 'disconnect', { reason: 'server maintenance' })));
      setTimeout(() => ws.close(1000), closeAfterMs);
    },
    async ping() {
      const f = frameOf('SYSTEM', 'ping', { opaque: `op-${frameSeq}` });
      stream.push(f);
      return stream.waitForAck(f.headers.messageId);
    },
    dropAll() {
      for (const s of sockets) s.terminate();
    },
    close() {
      for (const s of sockets) s.terminate();
      wss.close();
    },
  };
  return stream;
}
