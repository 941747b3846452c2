/**
 * How a platform binding plugs into the server: its outbound adapter and its receiver, either
 * HTTP routes (Slack, Feishu webhooks, console) or a socket it keeps open (DingTalk Stream,
 * Feishu long connection, Slack Socket Mode). The only adapter-level file that knows Fastify.
 */
import type { FastifyInstance } from 'fastify';
import type { ChatAdapter, EventSink, FileSource } from '../bot/ports.ts';

export type Receiver =
  | { mode: 'http'; register(app: FastifyInstance, sink: EventSink): Promise<void> }
  | { mode: 'socket'; start(sink: EventSink): Promise<void>; stop(): Promise<void> };

export interface PlatformBinding {
  adapter: ChatAdapter;
  receiver?: Receiver;
  /** Present when the platform delivers files to the bot (kind `file` events). */
  files?: FileSource;
  /** HTTP routes a socket-mode binding also serves (DingTalk: outgoing robots, signed action links). */
  routes?(app: FastifyInstance, sink: EventSink): Promise<void>;
}
