/**
 * Card clicks answered inline (platforms.md §2 c): Feishu waits up to 3 s for the callback's
 * answer, which may carry a toast and the replacement card. While a click is open, the bot's
 * `update` of that very message and a text `reply` to the click are captured here and go back
 * in the answer instead of over the API. After the answer (or the budget) has gone out, updates
 * use PATCH — never before the ack is written: "updating before the ack can fail, or the card
 * snaps back".
 */
import type { RawCardResponse } from './raw-types.ts';

/** Time the bot gets to answer a click; Feishu gives up at 3 s. */
export const CLICK_BUDGET_MS = 2500;
/** After the handler returns, how long we still wait for its card update (the outbox sends it). */
export const UPDATE_GRACE_MS = 1000;
/** An update waits at most this long for the click's answer to be written. */
const ACK_WAIT_MS = 5000;

interface Pending {
  eventId: string;
  messageId: string;
  open: boolean;
  toast?: string;
  card?: Record<string, unknown>;
  settle(): void;
  acked: Promise<void>;
  markAcked(): void;
}

/** Shown with an inline card update when the handler said nothing itself. */
const DEFAULT_TOAST = { content: 'Updated', i18n: { en_us: 'Updated', zh_cn: '已更新' } };

export class PendingClicks {
  private readonly byMessage = new Map<string, Pending>();
  private readonly byEvent = new Map<string, Pending>();

  constructor(private readonly budgetMs = CLICK_BUDGET_MS, private readonly graceMs = UPDATE_GRACE_MS) {}

  /** Runs `work` for the click and resolves with the answer once it is known or the budget ran out. */
  async answer(eventId: string, messageId: string, work: Promise<unknown>): Promise<RawCardResponse> {
    let settle!: () => void;
    let markAcked!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const p: Pending = { eventId, messageId, open: true, settle, acked: new Promise<void>((r) => (markAcked = r)), markAcked };
    p.markAcked = () => {
      markAcked();
      if (this.byMessage.get(messageId) === p) this.byMessage.delete(messageId);
      this.byEvent.delete(eventId);
    };
    this.byMessage.set(messageId, p);
    this.byEvent.set(eventId, p);
    const timers: NodeJS.Timeout[] = [setTimeout(settle, this.budgetMs)];
    void work.finally(() => timers.push(setTimeout(settle, this.graceMs)));
    await settled;
    for (const t of timers) clearTimeout(t);
    p.open = false;
    // Safety net: an answer nobody reports as written is considered written soon after.
    setTimeout(() => p.markAcked(), ACK_WAIT_MS).unref();
    const response: RawCardResponse = {};
    if (p.toast) response.toast = { type: 'info', content: p.toast };
    if (p.card) {
      response.toast ??= { type: 'success', ...DEFAULT_TOAST };
      response.card = { type: 'raw', data: p.card };
    }
    return response;
  }

  /** The route (or the WS ack) has written the answer of this event. */
  acked(eventId: string): void {
    this.byEvent.get(eventId)?.markAcked();
  }

  /** Takes a replacement card for a message with an open click; false when it must go over the API. */
  offerCard(messageId: string, card: Record<string, unknown>): boolean {
    const p = this.byMessage.get(messageId);
    if (!p?.open) return false;
    p.card = card;
    p.settle();
    return true;
  }

  /** Takes a short text answer to an open click as its toast. */
  offerToast(eventId: string, text: string): boolean {
    const p = this.byEvent.get(eventId);
    if (!p?.open) return false;
    p.toast = text;
    return true;
  }

  /** Resolves once no click answer for this message is still on its way out. */
  async afterAck(messageId: string): Promise<void> {
    const p = this.byMessage.get(messageId);
    if (p && !p.open) await p.acked;
  }
}
