/**
 * Money in the generator is integer minor units (cents, or yen for JPY) so sums such as a day's
 * refunds are exact; it becomes a numeric string only when a row is written (glossary §2:
 * money is numeric with its currency, never float).
 */

/** Minor units of an amount in a currency with `decimals` decimals. */
export function toMinor(amount: number, decimals: number): number {
  return Math.round(amount * 10 ** decimals);
}

/** Minor units as the numeric literal stored in a money column. */
export function formatMinor(minor: number, decimals: number): string {
  if (decimals === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const scale = 10 ** decimals;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(decimals, '0')}`;
}
