/**
 * `createFeishuBinding(config, deps)` → `{adapter, receiver, files}`: the Feishu / Lark adapter on
 * `@larksuiteoapi/node-sdk`. Webhook mode mounts `POST /feishu/events`; FEISHU_MODE=ws keeps the
 * SDK's long connection open instead. Wiring only; see README.md in this folder.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { FeishuConfig } from '../../config.ts';
import { AdapterError } from '../../bot/errors.ts';
import type { Platform } from '../../bot/events.ts';
import type { EventSink, FileSource } from '../../bot/ports.ts';
import type { PlatformBinding } from '../types.ts';
import { createFeishuAdapter } from './adapter.ts';
import { createFeishuClient } from './client.ts';
import { PendingClicks } from './clicks.ts';
import { createFeishuDirectory } from './directory.ts';
import { createInbound } from './inbound.ts';
import { DRAIN_MS, feishuRoutes } from './receiver.ts';
import { createWsReceiver } from './ws.ts';

export { feishuSignature, verifyFeishuSignature, decryptFeishu } from './signature.ts';

export interface FeishuBindingDeps {
  logger: Logger;
  loadImage(id: string): Promise<Uint8Array | null>;
  /** Long-connection state for /readyz. */
  onSocketState?(platform: Platform, state: 'up' | 'down' | 'connecting'): void;
  /** Open API call timeout (tests use a short one). */
  timeoutMs?: number;
  /** Clock for the signature window (tests). */
  now?: () => number;
  /** How long close() waits for events still being handled (default DRAIN_MS). */
  drainMs?: number;
  /** Click answer budget (default CLICK_BUDGET_MS; tests shorten it). */
  clickBudgetMs?: number;
}

export function createFeishuBinding(config: FeishuConfig, deps: FeishuBindingDeps): PlatformBinding {
  const logger = deps.logger.child({ platform: 'feishu' });
  const client = createFeishuClient({ appId: config.appId, appSecret: config.appSecret, domain: config.domain, logger, timeoutMs: deps.timeoutMs });
  const clicks = new PendingClicks(deps.clickBudgetMs);
  let sink: EventSink | undefined;
  const inbound = createInbound({ client, logger, appSecret: config.appSecret, sink: () => sink, clicks, now: deps.now });
  const adapter = createFeishuAdapter({ client, clicks, loadImage: deps.loadImage, logger, directory: (t) => createFeishuDirectory(client, t) });
  const files: FileSource = {
    async download(file, event, maxBytes) {
      const messageId = file.extra?.messageId ?? event.replyHandle;
      if (!messageId) throw new AdapterError('feishu', 'invalid_payload', 'file without its message id');
      return client.download(messageId, file.id, maxBytes);
    },
  };
  const drainMs = deps.drainMs ?? DRAIN_MS;

  if (config.mode === 'ws') {
    const receiver = createWsReceiver({
      appId: config.appId,
      appSecret: config.appSecret,
      domain: config.domain,
      inbound,
      logger,
      onState: (s) => deps.onSocketState?.('feishu', s),
      setSink: (s) => (sink = s),
      drainMs,
    });
    return { adapter, receiver, files };
  }

  return {
    adapter,
    files,
    receiver: {
      mode: 'http',
      async register(app: FastifyInstance, s: EventSink) {
        sink = s;
        await app.register(feishuRoutes, { inbound, verificationToken: config.verificationToken, encryptKey: config.encryptKey, now: deps.now, drainMs });
      },
    },
  };
}
