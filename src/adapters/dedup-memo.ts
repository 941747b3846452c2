/**
 * Ids seen within a window: each adapter's in-process check for platform redeliveries, before the
 * bot's `inbound_dedup` table (which covers other replicas). Bounded: when full, expired entries
 * and then the oldest go first, so a flood can cost at most `max` entries of memory.
 */
export class DedupMemo {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `id` is seen within the window (and remembers it from now). */
  first(id: string): boolean {
    const t = this.now();
    const at = this.seen.get(id);
    if (at !== undefined && t - at < this.windowMs) return false;
    if (this.seen.size >= this.max) {
      // Insertion order is arrival order: drop from the oldest until a tenth is free.
      for (const [k, v] of this.seen) {
        if (t - v < this.windowMs && this.seen.size < this.max * 0.9) break;
        this.seen.delete(k);
      }
    }
    this.seen.delete(id);
    this.seen.set(ownCopy(id), t);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/**
 * An id cut out of a request body (Slack's `cmd:${trigger_id}`) is a V8 sliced or cons string
 * that keeps the whole body alive: under the load test 50,000 remembered ids held tens of MiB of
 * slash-command bodies (heap snapshot, 2026-11-23). A copy holds only its own characters.
 */
function ownCopy(id: string): string {
  return Buffer.from(id, 'utf8').toString('utf8');
}
