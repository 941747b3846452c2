/**
 * A TCP proxy the database outage test controls, between the service and Postgres: it accepts on
 * a loopback port and pipes each connection to the upstream. `cut()` destroys every live
 * connection (both sides) and, until `restore()`, either blackholes new ones (accepted, never
 * answered: a network partition, the worst case for hangs) or resets them at once (a database
 * restarting). Only connections through this proxy are touched: other Postgres backends and test
 * workers never notice.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type CutMode = 'blackhole' | 'refuse';

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string;
  cut(mode?: CutMode): void;
  restore(): void;
  readonly isCut: boolean;
  /** Connections piped to the upstream right now. */
  live(): number;
  /** Counters since start: connections accepted, destroyed by cut, blackholed, refused. */
  readonly stats: { accepted: number; destroyed: number; blackholed: number; refused: number };
  close(): Promise<void>;
}

export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; server: Socket }>();
  const held = new Set<Socket>();
  const stats = { accepted: 0, destroyed: 0, blackholed: 0, refused: 0 };
  let mode: CutMode | undefined;

  const server: Server = createServer((client) => {
    stats.accepted++;
    client.on('error', () => {});
    if (mode === 'refuse') {
      stats.refused++;
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') {
      // Accepted and never answered: the peer's connect succeeds, its startup packet vanishes.
      stats.blackholed++;
      client.pause();
      held.add(client);
      client.on('close', () => held.delete(client));
      return;
    }
    const upstreamSocket = connect(upstream.port, upstream.host);
    upstreamSocket.setNoDelay(true);
    client.setNoDelay(true);
    const pair = { client, server: upstreamSocket };
    pairs.add(pair);
    upstreamSocket.on('error', () => client.destroy());
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstreamSocket.destroy();
    };
    client.on('close', drop);
    upstreamSocket.on('close', drop);
    client.pipe(upstreamSocket);
    upstreamSocket.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  const port = address.port;

  return {
    port,
    rewrite(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut(m = 'blackhole') {
      mode = m;
      for (const pair of [...pairs]) {
        stats.destroyed++;
        // A reset, as when the database host goes away: the service sees ECONNRESET, not a clean FIN.
        pair.client.resetAndDestroy();
        pair.server.destroy();
        pairs.delete(pair);
      }
    },
    restore() {
      mode = undefined;
      // Connections stuck in the blackhole never got a byte back: reset them so their owners retry.
      for (const s of held) s.resetAndDestroy();
      held.clear();
    },
    get isCut() {
      return mode !== undefined;
    },
    live: () => pairs.size,
    stats,
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      for (const s of held) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
