/**
 * Feishu / Lark payload shapes, as far as this adapter reads them (platforms.md §2 b–c; the
 * node-sdk's `types/index.d.ts`). The SDK's EventDispatcher hands handlers the v2 envelope
 * flattened, `{schema, ...header, ...event}`, so an event's own `token` (card callbacks: the
 * card-update token) overwrites `header.token`; the route checks the header before that happens.
 */

export interface RawUserId {
  union_id?: string;
  user_id?: string;
  open_id?: string;
}

export interface RawHeader {
  event_id?: string;
  event_type?: string;
  create_time?: string;
  token?: string;
  app_id?: string;
  tenant_key?: string;
}

/** The v2 envelope as it arrives on the wire (after decryption). */
export interface RawEnvelope {
  schema?: string;
  header?: RawHeader;
  event?: Record<string, unknown>;
  /** url_verification (no schema). */
  type?: string;
  challenge?: string;
  token?: string;
}

export interface RawMention {
  key?: string;
  id?: RawUserId;
  name?: string;
  tenant_key?: string;
}

export interface RawMessage {
  message_id?: string;
  root_id?: string;
  parent_id?: string;
  thread_id?: string;
  create_time?: string;
  chat_id?: string;
  chat_type?: string;
  message_type?: string;
  /** A JSON string: `{"text":"@_user_1 gmv"}`, `{"file_key","file_name"}`, … */
  content?: string;
  mentions?: RawMention[];
}

/** Flattened `im.message.receive_v1`. */
export interface RawMessageEvent extends RawHeader {
  schema?: string;
  sender?: { sender_id?: RawUserId; sender_type?: string; tenant_key?: string };
  message?: RawMessage;
}

/** Flattened `card.action.trigger`; `token` here is the card-update token. */
export interface RawCardAction extends RawHeader {
  schema?: string;
  operator?: RawUserId & { tenant_key?: string };
  action?: { value?: unknown; tag?: string; name?: string };
  host?: string;
  context?: { open_message_id?: string; open_chat_id?: string };
}

/** Flattened `im.chat.member.bot.added_v1` / `.deleted_v1`. */
export interface RawBotMembership extends RawHeader {
  schema?: string;
  chat_id?: string;
  operator_id?: RawUserId;
  external?: boolean;
  operator_tenant_key?: string;
  name?: string;
}

/** What a card callback may answer within 3 s (platforms.md §2 c). */
export interface RawCardResponse {
  toast?: { type: 'success' | 'error' | 'warning' | 'info'; content: string; i18n?: Record<string, string> };
  card?: { type: 'raw'; data: Record<string, unknown> };
}
