/**
 * DingTalk payload shapes, as platforms.md §3 records them (developerpedia `learn/bot/message.md`,
 * `learn/stream/protocol.md`, dingtalk-stream-sdk-go `card/model.go`). Every field optional:
 * normalisers check what they use. These types never leave this folder.
 */

/** `data` of a `/v1.0/im/bot/messages/get` CALLBACK frame, and the body of an outgoing-robot POST. */
export interface RawRobotMessage {
  msgId?: string;
  msgtype?: string;
  conversationId?: string;
  /** "1" one-to-one, "2" group. */
  conversationType?: string;
  conversationTitle?: string;
  chatbotCorpId?: string;
  chatbotUserId?: string;
  senderNick?: string;
  senderStaffId?: string;
  senderId?: string;
  senderCorpId?: string;
  isAdmin?: boolean;
  isInAtList?: boolean;
  atUsers?: { dingtalkId?: string; staffId?: string }[];
  createAt?: number;
  robotCode?: string;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  text?: { content?: string };
  /** `file` messages: a download code to trade for a short-lived URL (robot/messageFiles/download). */
  content?: { downloadCode?: string; fileName?: string; fileSize?: number | string; fileType?: string };
}

/** `data` of a `/v1.0/card/instances/callback` CALLBACK frame. `content` is itself JSON. */
export interface RawCardCallback {
  outTrackId?: string;
  corpId?: string;
  userId?: string;
  userIdType?: number;
  spaceId?: string;
  spaceType?: string;
  type?: string;
  extension?: string;
  content?: string;
}

/** The parsed `content` of a card callback: the clicked button's params (our template sets them). */
export interface RawCardCallbackContent {
  cardPrivateData?: { actionIds?: string[]; params?: Record<string, unknown> };
}

/** `data` of an EVENT frame for group membership (群会话事件). Field names: see README [verify]. */
export interface RawChatMemberEvent {
  ChatId?: string;
  OpenConversationId?: string;
  openConversationId?: string;
  CorpId?: string;
  Operator?: string;
  UserId?: string[];
  EventType?: string;
}

/** Any downstream Stream frame. */
export interface RawStreamFrame {
  specVersion?: string;
  type?: string;
  headers?: {
    topic?: string;
    messageId?: string;
    eventType?: string;
    eventId?: string;
    eventCorpId?: string;
    [k: string]: unknown;
  };
  data?: string;
}
