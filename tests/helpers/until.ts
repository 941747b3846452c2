/** Polls `fn` until it returns a value, failing with `what` after `timeoutMs` (tests waiting on fakes). */
export function untilWithin(timeoutMs: number, stepMs = 10) {
  return async function until<T>(what: string, fn: () => T | undefined, ms = timeoutMs): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, stepMs));
    }
  };
}
