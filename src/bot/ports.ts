/**
 * The outbound port every platform adapter implements: three methods and honest capability
 * flags. No optional method throws "not implemented": when a capability is false the adapter
 * uses its documented fallback (style.md §4).
 */
import type { OutboundMessage } from './card.ts';
import type { ConversationRef, InboundEvent, InboundFile, MessageRef, Platform } from './events.ts';

export interface AdapterCapabilities {
  /** Buttons on cards. false → the adapter renders signed links or a text hint. */
  buttons: boolean;
  /** Images inside cards. false → posted as a separate message, or a fields/table fallback. */
  inlineImages: boolean;
  /** Existing messages can be edited (alert cards updated on every copy). */
  updateInPlace: boolean;
  /** Replies visible only to the asker. */
  ephemeral: boolean;
  /** The platform takes an idempotency key, so a timed-out send may be retried (Feishu `uuid`). */
  idempotentSends: boolean;
  /** Longest plain text the platform accepts in one message, in characters. */
  maxTextLength: number;
  /** Most buttons rendered on one card before the adapter chunks or truncates. */
  maxButtons: number;
}

export interface SendOptions {
  /** Our delivery's idempotency key, passed to platforms that dedupe on one. */
  idempotencyKey?: string;
}

export interface ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  /**
   * Posts a new message into a conversation.
   *
   * DMs by user: a ConversationRef with `kind: 'direct'` and `chatId: 'user:<platform user id>'`
   * means "the DM with this user" (the bot only knows who asked, not the DM's channel id). The
   * adapter opens or looks up that DM (Slack conversations.open, Feishu receive_id_type=open_id,
   * DingTalk one-to-one robot send, console `@<user>`) and returns the real chat id in the ref.
   */
  send(to: ConversationRef, message: OutboundMessage, opts?: SendOptions): Promise<MessageRef>;
  /** Answers an inbound event directly (response_url, session webhook, …; else a plain send). */
  reply(to: InboundEvent, message: OutboundMessage): Promise<MessageRef | undefined>;
  /** Replaces a message the bot sent earlier. */
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
}

/** Where receivers hand normalised events. Resolves when the bot has finished with the event. */
export type EventSink = (event: InboundEvent) => Promise<void>;

/**
 * Downloads the bytes of a file a user sent (an `InboundEvent` of kind `file`). Separate from the
 * three-method port because only platforms that deliver files implement it; a binding without
 * one simply never emits file events.
 */
export interface FileSource {
  /**
   * Resolves the whole file, or rejects with AdapterError `invalid_payload` when it is larger
   * than `maxBytes` (checked while streaming, not after), `not_found`/`permission` when the
   * platform refuses.
   */
  download(file: InboundFile, event: Extract<InboundEvent, { kind: 'file' }>, maxBytes: number): Promise<Uint8Array>;
}
