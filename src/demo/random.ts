/**
 * Seeded, stateless randomness for the demo. Every draw is a hash of (seed, entity key, day,
 * salt), never the next value of a shared generator: rows then depend only on what they are
 * about, not on the anchor or on the order they were generated in, so rolling forward a few
 * days yields exactly the rows a fresh seed with the later anchor would (ARCHITECTURE.md "Demo
 * workspace": same seed → same rows).
 */

/** murmur3's 32-bit finaliser: spreads nearby inputs over the whole range. */
export function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit FNV-1a of a string, finalised. Used once per entity, so speed matters little. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

const TWO_POW_32 = 4294967296;

/**
 * A stream of draws for one entity (a listing, a store, a user…). `u(day, salt)` is a pure
 * function: the same day and salt always give the same number. Salts name the quantity being
 * drawn, so adding a new quantity never shifts the existing ones.
 */
export class Stream {
  constructor(readonly key: number) {}

  /** Uniform in [0, 1). */
  u(day: number, salt: number): number {
    const a = fmix32(this.key ^ Math.imul(day + 0x632be5ab, 0x9e3779b1));
    return fmix32(a ^ Math.imul(salt + 0x2545f491, 0x7feb352d)) / TWO_POW_32;
  }

  /** Standard normal (Box–Muller over two independent draws). */
  normal(day: number, salt: number): number {
    const u1 = Math.max(this.u(day, salt), 1e-12);
    const u2 = this.u(day, salt + 7919);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Integer in [lo, hi], inclusive. */
  int(lo: number, hi: number, day: number, salt: number): number {
    return lo + Math.floor(this.u(day, salt) * (hi - lo + 1));
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[], day: number, salt: number): T {
    return items[Math.floor(this.u(day, salt) * items.length)]!;
  }

  /** True with probability p. */
  chance(p: number, day: number, salt: number): boolean {
    return this.u(day, salt) < p;
  }

  /**
   * Poisson count with mean `lambda`: exact inversion for small means (one draw), a normal
   * approximation above 30 where inversion would loop long and the shapes are indistinguishable.
   */
  poisson(lambda: number, day: number, salt: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal(day, salt)));
    const u = this.u(day, salt);
    let p = Math.exp(-lambda);
    let cdf = p;
    let k = 0;
    while (u > cdf && k < 200) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }

  /** Multiplicative noise around 1 with the given relative spread, never below 0.05. */
  jitter(spread: number, day: number, salt: number): number {
    return Math.max(0.05, 1 + spread * this.normal(day, salt));
  }
}

/** The stream of one entity under one seed. */
export function streamFor(seed: number, entityKey: string): Stream {
  return new Stream(hashString(`${seed}|${entityKey}`));
}
