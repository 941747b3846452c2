/**
 * A tiny semaphore. Rendering is CPU-bound (vega layout + librsvg), so more than ~2 at once on a
 * 2-core machine only adds memory; a bounded queue makes a burst fail fast into the text fallback
 * instead of piling up PNGs in memory.
 */

export class QueueFullError extends Error {
  readonly code = 'overloaded';
  constructor(max: number) {
    super(`render queue full (${max} waiting)`);
    this.name = 'QueueFullError';
  }
}

export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(concurrency: number, maxQueue = Infinity): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (active < concurrency) active++;
      else {
        if (queue.length >= maxQueue) throw new QueueFullError(maxQueue);
        // The finishing task hands its slot straight over, so no newcomer can jump in between.
        await new Promise<void>((resolve) => queue.push(resolve));
      }
      try {
        return await fn();
      } finally {
        const waiter = queue.shift();
        if (waiter) waiter();
        else active--;
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
