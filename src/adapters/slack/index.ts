/**
 * `createSlackBinding(config, deps)` → `{adapter, receiver, files}`: the Slack adapter on `@slack/bolt`.
 * HTTP mode mounts `POST /slack/events`; with SLACK_APP_TOKEN the same Bolt listeners run over
 * Socket Mode instead (no public URL needed). Wiring only; see README.md in this folder.
 */
import { SocketModeReceiver } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { SlackConfig } from '../../config.ts';
import type { EventSink } from '../../bot/ports.ts';
import type { PlatformBinding } from '../types.ts';
import { createSlackAdapter } from './adapter.ts';
import { createBoltApp } from './bolt-app.ts';
import { createSlackClient } from './client.ts';
import { createSlackFiles } from './files.ts';
import { createAppIdentity, createUserDirectory } from './identity.ts';
import { slackLogger } from './logger.ts';
import { DRAIN_MS, FastifyBoltReceiver, slackRoutes } from './receiver.ts';

export { slackSignature, verifySlackSignature } from './signature.ts';

export interface SlackBindingDeps {
  logger: Logger;
  /** PUBLIC_URL: charts are inline `image_url`s when Slack can reach it. */
  publicUrl: string;
  loadImage(id: string): Promise<Uint8Array | null>;
  /** Web API call timeout (tests use a short one). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Clock for the signature window (tests). */
  now?: () => number;
  /** How long close() waits for events still being handled (default DRAIN_MS). */
  drainMs?: number;
}

export function createSlackBinding(config: SlackConfig, deps: SlackBindingDeps): PlatformBinding {
  const logger = deps.logger.child({ platform: 'slack' });
  const client = createSlackClient({ botToken: config.botToken, apiUrl: config.apiUrl, logger, timeoutMs: deps.timeoutMs, fetch: deps.fetch });
  const adapter = createSlackAdapter({ client, publicUrl: deps.publicUrl, loadImage: deps.loadImage, logger });
  const identity = createAppIdentity(client, logger);
  const users = createUserDirectory(client, logger);
  const files = createSlackFiles(client);
  let sink: EventSink | undefined;

  if (config.appToken) {
    const socket = new SocketModeReceiver({
      appToken: config.appToken,
      logger: slackLogger(logger),
      // apps.connections.open goes to the same API base (a fake in tests).
      installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } },
    });
    const { app, dispatch } = createBoltApp({ receiver: socket, botToken: config.botToken, identity, users, sink: () => sink, logger });
    return {
      adapter,
      files,
      receiver: {
        mode: 'socket',
        async start(s) {
          sink = s;
          await app.start();
        },
        async stop() {
          await app.stop();
          await dispatch.drain(deps.drainMs ?? DRAIN_MS);
        },
      },
    };
  }

  const receiver = new FastifyBoltReceiver();
  const { dispatch } = createBoltApp({ receiver, botToken: config.botToken, identity, users, sink: () => sink, logger });
  return {
    adapter,
    files,
    receiver: {
      mode: 'http',
      async register(app: FastifyInstance, s: EventSink) {
        sink = s;
        await app.register(slackRoutes, { receiver, signingSecret: config.signingSecret, dispatch, now: deps.now, drainMs: deps.drainMs });
      },
    },
  };
}
