/**
 * The Bolt app behind both transports (the Fastify route and Socket Mode): one set of
 * listeners that ack first, normalise, drop redeliveries and hand the event to the sink without
 * waiting for it. Bolt gives us the routing of bodies to listeners, the ack contract and its
 * `ignoreSelf` filter; outbound calls go through our own client (client.ts), never `app.client`.
 */
import { App, type Receiver as BoltReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { InboundEvent } from '../../bot/events.ts';
import { DedupMemo } from '../dedup-memo.ts';
import type { EventSink } from '../../bot/ports.ts';
import { normalizeBlockActions, normalizeEventEnvelope, normalizeFileShares, normalizeSlashCommand } from './normalize.ts';
import type { AppIdentity, createUserDirectory } from './identity.ts';
import { slackLogger } from './logger.ts';
import type { RawBlockActions, RawEventEnvelope, RawSlashCommand } from './raw-types.ts';

/** Slack retries an event up to 3 times over ~5 minutes (platforms.md §1 d); remember ids longer. */
export const DEDUP_WINDOW_MS = 10 * 60_000;
const DEDUP_MAX = 50_000;
/** authorize() may wait this long for auth.test before answering with the token alone. */
const IDENTITY_WAIT_MS = 500;

export interface SlackDispatch {
  /** Events handed to the sink and not finished yet (drained on close). */
  readonly inFlight: Set<Promise<void>>;
  /** Waits for in-flight work, at most `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

export function createBoltApp(opts: {
  receiver: BoltReceiver;
  botToken: string;
  identity: AppIdentity;
  users: ReturnType<typeof createUserDirectory>;
  sink: () => EventSink | undefined;
  logger: Logger;
  now?: () => number;
}): { app: App; dispatch: SlackDispatch } {
  const { identity, users, logger } = opts;
  const now = opts.now ?? Date.now;
  const events = new DedupMemo(DEDUP_WINDOW_MS, DEDUP_MAX, now);
  const inFlight = new Set<Promise<void>>();

  const app = new App({
    receiver: opts.receiver,
    logger: slackLogger(logger),
    // A custom authorize: no auth.test in the constructor, none per event, never blocks an ack for long.
    authorize: async () => {
      const id = await identity.get(IDENTITY_WAIT_MS);
      return { botToken: opts.botToken, botId: id.botId, botUserId: id.botUserId, teamId: id.teamId };
    },
    ignoreSelf: true,
    convoStore: false,
  });

  /** After the ack: dedup here (one process), then the bot's own dedup in Postgres (all replicas). */
  function emit(event: InboundEvent | null): void {
    const sink = opts.sink();
    if (!event || !sink) return;
    if (!events.first(event.eventId)) {
      logger.debug({ eventId: event.eventId }, 'slack: redelivery dropped');
      return;
    }
    const work = users
      .enrich(event)
      .then(sink)
      .catch((err: unknown) => logger.error({ err, eventId: event.eventId }, 'slack: event handling failed'));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  // One listener per kind of body: Bolt runs every listener's matchers on every request.
  app.event(/^(app_mention|message)$/, async ({ body }) => {
    // A message with files is a file share (data import); its text is only the caption.
    const files = normalizeFileShares(body as RawEventEnvelope, identity.current(), new Date());
    if (files.length) for (const f of files) emit(f);
    else emit(normalizeEventEnvelope(body as RawEventEnvelope, identity.current(), new Date()));
  });
  app.command(/.*/, async ({ ack, body }) => {
    await ack();
    emit(normalizeSlashCommand(body as RawSlashCommand, identity.current(), new Date()));
  });
  app.action(/.*/, async ({ ack, body }) => {
    await ack();
    emit(normalizeBlockActions(body as RawBlockActions, identity.current(), new Date()));
  });
  app.error(async (err) => {
    logger.warn({ code: err.code }, `slack: bolt error: ${err.message}`);
  });

  return {
    app,
    dispatch: {
      inFlight,
      async drain(timeoutMs) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
      },
    },
  };
}
