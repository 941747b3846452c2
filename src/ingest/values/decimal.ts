/**
 * Exact decimal strings for money and measures read from files: parsed into scaled BigInts so
 * order lines can be summed without float drift (glossary §2: money is numeric, never float),
 * and written back as plain numeric literals for numeric(18,4) columns.
 */

/** Digits kept after the point: two more than the columns store, so sums round once, in SQL. */
const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);

/** A canonical decimal literal (`-12.5`, `0`, `1234.0001`) → scaled integer. */
export function toScaled(literal: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(literal);
  if (!m) throw new RangeError(`not a decimal literal: ${literal}`);
  const frac = (m[3] ?? '').padEnd(SCALE, '0');
  // Digits beyond SCALE are rounded half away from zero, as numeric does.
  let units = BigInt(m[2]!) * FACTOR + BigInt(frac.slice(0, SCALE) || '0');
  if (frac.length > SCALE && Number(frac[SCALE]) >= 5) units += 1n;
  return m[1] === '-' ? -units : units;
}

/** Scaled integer → shortest decimal literal. */
export function fromScaled(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const whole = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

export function addDecimals(a: string, b: string): string {
  return fromScaled(toScaled(a) + toScaled(b));
}

export function subDecimals(a: string, b: string): string {
  return fromScaled(toScaled(a) - toScaled(b));
}

export function isNegative(literal: string): boolean {
  return literal.startsWith('-') && toScaled(literal) !== 0n;
}

/** a × rate ÷ (1 + rate): the tax inside a tax-inclusive amount (rate as a fraction). */
export function taxInside(amount: string, rate: string): string {
  const a = toScaled(amount);
  const r = toScaled(rate);
  if (r <= 0n) return '0';
  const num = a * r;
  const den = FACTOR + r;
  // Round half away from zero at SCALE digits.
  const q = num / den;
  const rem = num % den;
  const adj = 2n * (rem < 0n ? -rem : rem) >= den ? (num < 0n ? -1n : 1n) : 0n;
  return fromScaled(q + adj);
}

/** Compares two literals: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const x = toScaled(a);
  const y = toScaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
