/**
 * The sink the contract hands a receiver: records every event, optionally never resolves (to
 * prove the ack does not wait for the work), and lets a test wait for events or for quiet.
 */
import type { InboundEvent } from '../../src/bot/events.ts';
import type { EventSink } from '../../src/bot/ports.ts';

/** After an input that must dispatch nothing, how long we watch for a late dispatch. */
export const QUIET_MS = 250;

export class SinkProbe {
  readonly events: InboundEvent[] = [];
  /** When true the sink records and then never resolves. */
  hang = false;

  readonly sink: EventSink = async (e) => {
    this.events.push(e);
    if (this.hang) await new Promise(() => {});
  };

  /** Resolves once `n` events arrived; fails after `timeoutMs`. */
  async waitFor(n: number, timeoutMs = 5000): Promise<InboundEvent[]> {
    const end = Date.now() + timeoutMs;
    while (this.events.length < n) {
      if (Date.now() > end) throw new Error(`expected ${n} dispatched event(s), got ${this.events.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.events;
  }

  /** Waits long enough for a dispatch that is already on its way to land. */
  async quiet(): Promise<void> {
    await new Promise((r) => setTimeout(r, QUIET_MS));
  }

  clear(): void {
    this.events.length = 0;
  }
}
