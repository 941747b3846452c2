/**
 * The runner proven first (style.md §5): a compliant in-memory platform passes all twelve
 * assertions, and for each assertion an adapter that breaks exactly that promise is rejected by it.
 */
import { describe, expect, it } from 'vitest';
import { ASSERTIONS, adapterContract } from './adapter-contract.ts';
import { memoryContract, type BreakKind } from './memory-platform.ts';

adapterContract(memoryContract());

/** Which broken adapter each assertion must catch, in ASSERTIONS order. */
const BREAKS: BreakKind[] = ['normalise', 'self', 'bad-input', 'slow-ack', 'no-dedup', 'refs', 'image', 'button', 'update', 'errors', 'limits', 'capabilities'];

describe('adapter contract runner rejects broken adapters', () => {
  it('has one broken adapter per assertion', () => {
    expect(BREAKS).toHaveLength(ASSERTIONS.length);
  });

  ASSERTIONS.forEach((a, i) => {
    it(`"${a.name}" fails for an adapter broken by ${BREAKS[i]}`, async () => {
      await expect(a.run(memoryContract({ broken: BREAKS[i] }))).rejects.toThrow();
    });
  });
});
