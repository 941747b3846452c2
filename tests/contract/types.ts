/**
 * The descriptor every platform hands the adapter contract (style.md §5): how to build its real
 * binding against a loopback fake, its recorded payloads, and the few platform-specific views the
 * runner needs (where the buttons are in a sent message, how a click on one looks).
 */
import type { ImageSource } from '../../src/bot/card.ts';
import type { ConversationRef, Platform } from '../../src/bot/events.ts';
import type { EventSink } from '../../src/bot/ports.ts';
import type { PlatformBinding } from '../../src/adapters/types.ts';

/** One message-level change the fake saw, in order. */
export interface RecordedPost {
  /** `post`: a new message; `edit`: an existing one replaced; `file`: an upload shared as its own message. */
  op: 'post' | 'edit' | 'file';
  chatId: string;
  messageId: string;
  /** The native payload as the fake received or stored it. */
  body: unknown;
}

/** Failures a fake can produce on the next outbound call, as the platform would. */
export type InjectableCode = 'rate_limited' | 'auth' | 'timeout' | 'unavailable';

/** The platform side, as seen by the runner. */
export interface ContractFake {
  /** Every post, edit and file share so far, oldest first. */
  posts(): Promise<RecordedPost[]>;
  /** Uploaded image bytes by upload id. */
  uploads(): Promise<{ id: string; bytes: Uint8Array }[]>;
  inject(code: InjectableCode): void;
  /** The next image upload fails (platforms that upload; see `canFailUploads`). */
  failNextUpload(): void;
  /** Payloads the fake refused for breaking the platform's documented limits. */
  violations(): string[];
}

export interface Delivery {
  status: number;
  /** Time until the HTTP answer (or the ack frame). */
  ms: number;
  body: string;
}

export interface DeliverOptions {
  /** Signed with the wrong secret (or, for token-protected receivers, the wrong token). */
  badSignature?: boolean;
  /** Marked as the platform's retry of an earlier delivery (Slack: X-Slack-Retry-Num). */
  redelivery?: boolean;
}

export interface ContractHarness {
  binding: PlatformBinding;
  fake: ContractFake;
  /** A group chat the bot may post into. */
  conversation: ConversationRef;
  /** Pushes a raw payload through the real receiver. */
  deliver(payload: unknown, opts?: DeliverOptions): Promise<Delivery>;
  /** Makes PNG bytes available the way the bot does before sending (src/bot/images.ts). */
  storeImage(png: Uint8Array, width: number, height: number): Promise<ImageSource>;
  teardown(): Promise<void>;
}

/** A recorded payload and what it must normalise to (checked with `toMatchObject`). */
export interface FixtureCase {
  payload: unknown;
  expect: Record<string, unknown>;
}

export interface AdapterContract {
  /** Shown in test names. */
  name: string;
  platform: Platform;
  /** The platform's ack deadline, or the receiver's own promise where there is none. */
  ackDeadlineMs: number;
  /** Builds a fresh binding wired to a fresh fake; events go to `sink`. */
  setup(sink: EventSink): Promise<ContractHarness>;
  fixtures: {
    mention: FixtureCase;
    directMessage: FixtureCase;
    command: FixtureCase;
    /** The bot's own message as the platform echoes it back; null when the platform never does. */
    selfMessage: unknown | null;
    /** Inputs that must dispatch nothing and answer 4xx or a polite 2xx. */
    malformed: unknown[];
  };
  /** Whether the platform redelivers (then a redelivery must dispatch once). */
  redelivers: boolean;
  injectableErrors: InjectableCode[];
  canFailUploads: boolean;
  /** The click the platform would send for this button of a sent message (closes the loop). */
  clickPayloadFor(post: RecordedPost, actionId: string): unknown;
  /** Action ids of the clickable buttons in a sent message. */
  buttonsIn(post: RecordedPost): string[];
  /** Everything a reader sees as text in a sent message. */
  textOf(post: RecordedPost): string;
  /** Upload ids a sent message shows. */
  imagesIn(post: RecordedPost): string[];
}
