/**
 * FEISHU_MODE=ws: the SDK's WSClient long connection (no public URL needed). It asks
 * `${domain}/callback/ws/endpoint` for a WebSocket URL, then receives events and card callbacks as
 * protobuf frames and writes the handler's return value into the ACK frame — the same
 * EventDispatcher as the webhook route, no signature (the connection itself is authenticated).
 * Connection state goes to /readyz (reported, never gating). The SDK reconnects by itself.
 * Quirk: `start()` silently does nothing unless the appId matches /^cli_[0-9a-fA-F]{16}$/.
 */
import { LoggerLevel, WSClient } from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { Receiver } from '../types.ts';
import type { FeishuInbound } from './inbound.ts';
import { feishuSdkLogger } from './logger.ts';

export const APP_ID_PATTERN = /^cli_[0-9a-fA-F]{16}$/;

export type SocketState = 'up' | 'down' | 'connecting';

export function createWsReceiver(opts: {
  appId: string;
  appSecret: string;
  domain: string;
  inbound: FeishuInbound;
  logger: Logger;
  onState(state: SocketState): void;
  setSink(sink: Parameters<Extract<Receiver, { mode: 'socket' }>['start']>[0]): void;
  drainMs: number;
}): Extract<Receiver, { mode: 'socket' }> {
  let client: WSClient | undefined;
  return {
    mode: 'socket',
    async start(sink) {
      opts.setSink(sink);
      if (!APP_ID_PATTERN.test(opts.appId)) {
        opts.onState('down');
        opts.logger.error('feishu: FEISHU_APP_ID is not a cli_ + 16 hex app id; the long connection cannot start');
        return;
      }
      opts.onState('connecting');
      client = new WSClient({
        appId: opts.appId,
        appSecret: opts.appSecret,
        domain: opts.domain,
        logger: feishuSdkLogger(opts.logger, [opts.appSecret]),
        loggerLevel: LoggerLevel.warn,
        autoReconnect: true,
        onReady: () => opts.onState('up'),
        onReconnecting: () => opts.onState('connecting'),
        onReconnected: () => opts.onState('up'),
        onError: (err: Error) => {
          opts.onState('down');
          opts.logger.error({ reason: err.message.replace(/AppSecret=[^&\s]+/g, '') }, 'feishu: long connection gave up');
        },
      });
      await client.start({ eventDispatcher: opts.inbound.dispatcher });
    },
    async stop() {
      client?.close({ force: true });
      client = undefined;
      opts.onState('down');
      await opts.inbound.drain(opts.drainMs);
    },
  };
}
