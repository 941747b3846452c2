/**
 * `createDingTalkBinding(config, deps)` → adapter, Stream receiver, file source and HTTP routes
 * (`POST /dingtalk/events` for outgoing robots, `GET /links/:token` for signed action links).
 * Wiring only; see README.md in this folder.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DingtalkConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import type { Platform } from '../../bot/events.ts';
import { countApiCalls, holdTenant } from '../../bot/outbox/quota.ts';
import type { PlatformBinding } from '../types.ts';
import { createDingTalkAdapter } from './adapter.ts';
import { createDingTalkClient } from './client.ts';
import { createDispatcher } from './dispatch.ts';
import { createFileSource } from './files.ts';
import { linkKey } from './links.ts';
import { dingtalkRoutes } from './routes.ts';
import { createStreamConnection, type SocketState, type StreamConnection } from './stream.ts';

export { dingtalkSign } from './signature.ts';
export { signLink, linkKey } from './links.ts';

export interface DingTalkBindingDeps {
  logger: Logger;
  publicUrl: string;
  loadImage(id: string): Promise<Uint8Array | null>;
  database: Database;
  onSocketState?: (platform: Platform, state: SocketState) => void;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
  /** Reconnect backoff base (tests use a few ms). */
  reconnectBaseMs?: number;
  /** Mount `POST /dingtalk/events` (outgoing-robot HTTP mode) besides Stream. Default true. */
  outgoingRobot?: boolean;
  /** How long stop() waits for events still being handled (default 10 s). */
  drainMs?: number;
  /** Open the Stream connection (default true; HTTP-only deployments may turn it off). */
  stream?: boolean;
}

/** Until the first event names the corp, calls are counted under this key. */
export const UNKNOWN_TENANT = 'unknown';

export function createDingTalkBinding(config: DingtalkConfig, deps: DingTalkBindingDeps): PlatformBinding & { stream: StreamConnection } {
  const logger = deps.logger.child({ platform: 'dingtalk' });
  const now = deps.now ?? Date.now;
  let homeTenant = UNKNOWN_TENANT;
  const client = createDingTalkClient({
    config,
    logger,
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
    now,
    countCall: (tenant) => countApiCalls(deps.database, 'dingtalk', tenant, 1, new Date(now())),
    onQuotaExhausted: (tenant, until) => holdTenant(deps.database, 'dingtalk', tenant, until, new Date(now())),
  });
  const key = linkKey(config.clientSecret);
  const adapter = createDingTalkAdapter({
    client,
    robotCode: config.robotCode,
    cardTemplateId: config.cardTemplateId,
    publicUrl: deps.publicUrl,
    loadImage: deps.loadImage,
    linkKey: key,
    logger,
    homeTenant: () => homeTenant,
    now,
  });
  // Learn the corp from the first event: the app is an internal app of one organisation.
  const dispatcher = createDispatcher(logger, {
    now,
    drainMs: deps.drainMs,
    onEvent: (event) => {
      if (homeTenant === UNKNOWN_TENANT) homeTenant = event.conversation.tenantKey;
    },
  });
  const stream = createStreamConnection({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    robotCode: config.robotCode,
    apiUrl: config.apiUrl,
    logger,
    dispatcher,
    onState: (s) => deps.onSocketState?.('dingtalk', s),
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
    reconnectBaseMs: deps.reconnectBaseMs,
  });
  const streamOn = deps.stream !== false;

  return {
    adapter,
    stream,
    files: createFileSource(client, config.robotCode),
    receiver: {
      mode: 'socket',
      async start(sink) {
        dispatcher.setSink(sink);
        if (streamOn) await stream.start();
      },
      async stop() {
        await stream.stop();
      },
    },
    async routes(app: FastifyInstance, sink) {
      dispatcher.setSink(sink);
      await app.register(dingtalkRoutes, { appSecret: config.clientSecret, linkKey: key, database: deps.database, dispatcher, outgoingRobot: deps.outgoingRobot !== false, now });
    },
  };
}
