/**
 * The adapter contract (style.md §5, vercel/chat's descriptor + runner pattern): every platform
 * binding — real SDK, loopback fake — passes the same twelve assertions. The runner is proven
 * against a compliant in-memory platform and shown to reject deliberately broken ones
 * (adapter-contract.self.test.ts), so a hollow runner cannot pass silently.
 */
import { describe, it } from 'vitest';
import { assertAckBeforeWork, assertBadInputHarmless, assertNormalising, assertRedeliveryDeduped, assertSelfMessagesIgnored } from './inbound-assertions.ts';
import {
  assertButtonRoundTrip,
  assertErrorMapping,
  assertHonestCapabilities,
  assertImagePath,
  assertLimitsDegrade,
  assertRefsRoundTrip,
  assertUpdateInPlace,
} from './outbound-assertions.ts';
import type { AdapterContract } from './types.ts';

export type { AdapterContract } from './types.ts';

/** The twelve assertions, in style.md's order. */
export const ASSERTIONS: readonly { name: string; run: (c: AdapterContract) => Promise<void> }[] = [
  { name: 'normalises mentions, DMs and commands into one event each', run: assertNormalising },
  { name: 'ignores its own messages', run: assertSelfMessagesIgnored },
  { name: 'shrugs off malformed input and bad signatures', run: assertBadInputHarmless },
  { name: 'acks before the work is done', run: assertAckBeforeWork },
  { name: 'dispatches a redelivery once', run: assertRedeliveryDeduped },
  { name: 'round-trips message refs through JSON', run: assertRefsRoundTrip },
  { name: 'uploads images and degrades when an upload fails', run: assertImagePath },
  { name: 'brings a button click back to the message it was on', run: assertButtonRoundTrip },
  { name: 'updates a message in place', run: assertUpdateInPlace },
  { name: 'maps platform failures to AdapterError codes', run: assertErrorMapping },
  { name: 'degrades oversized cards instead of failing', run: assertLimitsDegrade },
  { name: 'has honest capabilities', run: assertHonestCapabilities },
];

/** Registers the contract for one platform. */
export function adapterContract(c: AdapterContract): void {
  describe(`adapter contract: ${c.name}`, () => {
    for (const a of ASSERTIONS) it(a.name, () => a.run(c));
  });
}
