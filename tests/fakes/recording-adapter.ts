/**
 * An in-memory ChatAdapter for tests of the bot and the outbox: records every call and can be
 * told to fail the next calls with chosen AdapterErrors or to hang. Not a fake of the code under
 * test: the outbox and the bot are real, this stands in for a remote platform.
 */
import type { OutboundMessage } from '../../src/bot/card.ts';
import { AdapterError, type AdapterErrorCode } from '../../src/bot/errors.ts';
import type { ConversationRef, InboundEvent, MessageRef, Platform } from '../../src/bot/events.ts';
import type { AdapterCapabilities, ChatAdapter, SendOptions } from '../../src/bot/ports.ts';

export interface Sent {
  op: 'send' | 'update' | 'reply';
  chatId: string;
  message: OutboundMessage;
  ref: MessageRef;
  at: number;
  idempotencyKey?: string;
}

export interface Failure {
  code: AdapterErrorCode;
  retryAfterSeconds?: number;
}

export class RecordingAdapter implements ChatAdapter {
  readonly sent: Sent[] = [];
  readonly failures: Failure[] = [];
  /** Resolves sends only when released (simulates a slow platform). */
  hold?: Promise<void>;
  /** Milliseconds every call takes (lets parallel workers overlap). */
  delayMs = 0;
  private n = 0;

  constructor(
    readonly platform: Platform = 'slack',
    readonly capabilities: AdapterCapabilities = {
      buttons: true,
      inlineImages: true,
      updateInPlace: true,
      ephemeral: false,
      idempotentSends: false,
      maxTextLength: 4000,
      maxButtons: 5,
    },
  ) {}

  failNext(...f: Failure[]): void {
    this.failures.push(...f);
  }

  private async gate(): Promise<void> {
    if (this.hold) await this.hold;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const f = this.failures.shift();
    if (f) throw new AdapterError(this.platform, f.code, `fake ${f.code}`, { retryAfterSeconds: f.retryAfterSeconds });
  }

  async send(to: ConversationRef, message: OutboundMessage, opts: SendOptions = {}): Promise<MessageRef> {
    await this.gate();
    const ref = { platform: this.platform, chatId: to.chatId, messageId: `msg-${++this.n}` };
    this.sent.push({ op: 'send', chatId: to.chatId, message, ref, at: performance.now(), idempotencyKey: opts.idempotencyKey });
    return ref;
  }

  async reply(to: InboundEvent, message: OutboundMessage): Promise<MessageRef> {
    await this.gate();
    const ref = { platform: this.platform, chatId: to.conversation.chatId, messageId: `msg-${++this.n}` };
    this.sent.push({ op: 'reply', chatId: to.conversation.chatId, message, ref, at: performance.now() });
    return ref;
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    await this.gate();
    this.sent.push({ op: 'update', chatId: ref.chatId, message, ref, at: performance.now() });
  }
}
