/**
 * The SDK `EventDispatcher` behind both transports (the webhook route and the long connection):
 * one handler per event type that normalises, drops redeliveries and hands the event to the sink
 * without waiting for it — except card clicks, whose answer (toast, replacement card) is what
 * the handler returns, within the 3 s budget (clicks.ts). The route verifies requests itself and
 * calls `invoke(data, {needCheck: false})`; the long connection needs no check at all.
 */
import { EventDispatcher, LoggerLevel } from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { InboundEvent } from '../../bot/events.ts';
import type { EventSink } from '../../bot/ports.ts';
import type { FeishuClient } from './client.ts';
import { DedupMemo } from '../dedup-memo.ts';
import { PendingClicks } from './clicks.ts';
import { feishuSdkLogger } from './logger.ts';
import { normalizeBotMembership, normalizeCardAction, normalizeMessage, type NormalizeContext } from './normalize.ts';
import type { RawBotMembership, RawCardAction, RawCardResponse, RawMessageEvent } from './raw-types.ts';

/** Feishu retries a push ~15 s, 5 min, 1 h and 6 h later; ids are remembered past the 5-min retry. */
export const DEDUP_WINDOW_MS = 10 * 60_000;
const DEDUP_MAX = 50_000;
/** A second click of the same button by the same person this soon is a double click. */
export const DOUBLE_CLICK_MS = 3000;
/** How long a normalisation may wait for the bot's own open_id (asked once, in the background). */
const IDENTITY_WAIT_MS = 500;
/** Chat facts (p2p or group, external) are cached this long. */
const CHAT_TTL_MS = 10 * 60_000;
const CHAT_CACHE_MAX = 10_000;

/** The event types this adapter handles; anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = ['im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.added_v1', 'im.chat.member.bot.deleted_v1'] as const;

export interface FeishuInbound {
  dispatcher: EventDispatcher;
  clicks: PendingClicks;
  readonly inFlight: Set<Promise<void>>;
  drain(timeoutMs: number): Promise<void>;
}

export function createInbound(opts: {
  client: FeishuClient;
  logger: Logger;
  appSecret: string;
  sink: () => EventSink | undefined;
  clicks?: PendingClicks;
  now?: () => number;
}): FeishuInbound {
  const { client, logger } = opts;
  const now = opts.now ?? Date.now;
  const events = new DedupMemo(DEDUP_WINDOW_MS, DEDUP_MAX, now);
  const doubleClicks = new DedupMemo(DOUBLE_CLICK_MS, 10_000, now);
  const clicks = opts.clicks ?? new PendingClicks();
  const inFlight = new Set<Promise<void>>();
  const chats = new Map<string, { at: number; mode: string; external: boolean }>();
  let botOpenId: string | undefined;

  async function context(): Promise<NormalizeContext> {
    if (!botOpenId) {
      let timer: NodeJS.Timeout | undefined;
      botOpenId = await Promise.race([client.botOpenId(), new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), IDENTITY_WAIT_MS)))]);
      clearTimeout(timer);
    }
    return { botOpenId, receivedAt: new Date(now()) };
  }

  /** p2p or group and "external" from the chat itself (cached); unknown facts stay as they were. */
  async function enrich(e: InboundEvent): Promise<InboundEvent> {
    const needed = e.kind === 'action' || (e.conversation.kind === 'group' && e.kind !== 'membership');
    if (!needed) return e;
    const chatId = e.conversation.chatId;
    let facts = chats.get(chatId);
    if (!facts || now() - facts.at > CHAT_TTL_MS) {
      try {
        facts = { at: now(), ...(await client.chat(chatId)) };
      } catch (err) {
        // Remembered too (e.g. im:chat:readonly not granted): one failing call per chat per TTL, not per message.
        logger.debug({ code: (err as { code?: string }).code }, 'feishu: chat lookup failed');
        facts = { at: now(), mode: 'unknown', external: false };
      }
      if (chats.size >= CHAT_CACHE_MAX) chats.delete(chats.keys().next().value!);
      chats.set(chatId, facts);
    }
    if (facts.mode === 'unknown') return e;
    const conversation = { ...e.conversation, kind: facts.mode === 'p2p' ? ('direct' as const) : ('group' as const), ...(facts.external ? { isExternal: true } : {}) };
    return { ...e, conversation };
  }

  /** Hands an event over after the ack; resolves when the sink is done with it. */
  function emit(event: InboundEvent | null): Promise<void> {
    const sink = opts.sink();
    if (!event || !sink) return Promise.resolve();
    if (!events.first(event.eventId)) {
      logger.debug({ eventId: event.eventId }, 'feishu: redelivery dropped');
      return Promise.resolve();
    }
    const work = enrich(event)
      .then(sink)
      .catch((err: unknown) => logger.error({ err, eventId: event.eventId }, 'feishu: event handling failed'));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  }

  const dispatcher = new EventDispatcher({ logger: feishuSdkLogger(logger, [opts.appSecret]), loggerLevel: LoggerLevel.warn }).register({
    'im.message.receive_v1': async (d: RawMessageEvent) => {
      void emit(normalizeMessage(d, await context()));
    },
    'im.chat.member.bot.added_v1': async (d: RawBotMembership) => {
      void emit(normalizeBotMembership(d, 'added', await context()));
    },
    'im.chat.member.bot.deleted_v1': async (d: RawBotMembership) => {
      void emit(normalizeBotMembership(d, 'removed', await context()));
    },
    'card.action.trigger': async (d: RawCardAction): Promise<RawCardResponse> => {
      const e = normalizeCardAction(d, await context());
      if (!e || e.kind !== 'action') return {};
      if (!doubleClicks.first(`${e.message.messageId}:${e.user.id}:${e.actionId}:${e.value ?? ''}`)) return {};
      const answer = await clicks.answer(e.eventId, e.message.messageId, emit(e));
      // The long connection writes the ACK frame right after this returns (the route reports its own write).
      setTimeout(() => clicks.acked(e.eventId), 0);
      return answer;
    },
  });

  return {
    dispatcher,
    clicks,
    inFlight,
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}
