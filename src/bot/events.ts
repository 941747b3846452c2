/**
 * What the bot receives, whatever the platform: one `InboundEvent` union, produced by each
 * adapter's pure normaliser. Refs are plain JSON so they survive a round trip through Postgres.
 */

/** Every chat surface, including the local web console. */
export type Platform = 'slack' | 'feishu' | 'dingtalk' | 'console';

/** A person as the platform knows them. */
export interface UserRef {
  platform: Platform;
  /** Platform user id (Slack `U…`, Feishu open_id, DingTalk staffId; the console's user id). */
  id: string;
  displayName?: string;
  /** Guest, Connect user, other tenant, external contact: gets a polite refusal and no data. */
  isExternal?: boolean;
  /** The bot itself (ignored by the `ignoreSelf` filter). */
  isBot?: boolean;
}

/** A chat: group or DM. `tenantKey` is the Slack team / Feishu tenant / DingTalk corp. */
export interface ConversationRef {
  platform: Platform;
  tenantKey: string;
  chatId: string;
  kind: 'direct' | 'group';
  threadId?: string;
  /** A shared or cross-organisation chat (Slack Connect, Feishu external group): no data, ever. */
  isExternal?: boolean;
}

/**
 * A sent message, enough to edit it later from any replica. `extra` holds what a platform needs
 * beyond the id (e.g. Slack's channel + ts are both needed for chat.update).
 */
export interface MessageRef {
  platform: Platform;
  chatId: string;
  messageId: string;
  extra?: Record<string, string>;
}

interface InboundBase {
  platform: Platform;
  /** Platform event id, the key for redelivery dedup. */
  eventId: string;
  user: UserRef;
  conversation: ConversationRef;
  receivedAt: Date;
  /**
   * Opaque handle for a direct reply (Slack response_url, DingTalk sessionWebhook, …); the bot
   * passes it back to the adapter untouched.
   */
  replyHandle?: string;
}

/**
 * A file someone sent to the bot (Slack file share, Feishu file message, DingTalk file). Only
 * metadata travels in the event; the bytes are fetched on demand through the binding's
 * `FileSource` (src/bot/ports.ts), size-limited, by the feature that wants them (data import).
 */
export interface InboundFile {
  /** Platform file id or download code (Slack `F…`, Feishu `file_key`, DingTalk `downloadCode`). */
  id: string;
  name: string;
  /** Bytes, when the platform says; checked again while downloading. */
  size?: number;
  mimeType?: string;
  /** What the platform needs beyond the id to fetch it (Feishu message id, DingTalk robot code). */
  extra?: Record<string, string>;
}

export type InboundEvent =
  /** A native slash command, or text the router parsed into one. */
  | (InboundBase & { kind: 'command'; name: string; args: string[]; text: string })
  /** A mention or DM, the mention already stripped. */
  | (InboundBase & { kind: 'message'; text: string; mentionedBot: boolean })
  /** A button click on a card the bot sent. */
  | (InboundBase & { kind: 'action'; actionId: string; value?: string; message: MessageRef })
  /** A file sent to the bot in a DM, or with a mention in a group; `text` is any caption. */
  | (InboundBase & { kind: 'file'; file: InboundFile; text: string; mentionedBot: boolean })
  /** The bot was added to or removed from a group. */
  | (InboundBase & { kind: 'membership'; change: 'added' | 'removed' });

export type InboundKind = InboundEvent['kind'];
