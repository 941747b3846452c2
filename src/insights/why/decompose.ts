/**
 * Splits a change into driver effects that add up to it exactly, and ranks members (stores,
 * SKUs) by their contribution (glossary §3.8 root cause: gmv = sessions × cvr × aov, ad_sales =
 * impressions × ctr × ad_cvr × ad AOV).
 *
 * Method: additive LMDI-I (log-mean Divisia index, Ang 2004). For V = Π x_iᵖⁱ, driver i's effect
 * is L(V₁, V₀) · pᵢ · ln(x_i₁ / x_i₀) with the logarithmic mean L(a, b) = (a − b) / (ln a − ln b).
 * The effects sum to L · ln(V₁/V₀) = V₁ − V₀ exactly (no residual), and unlike sequential
 * substitution they do not depend on the order of the factors. LMDI needs every value > 0; when
 * one is zero or negative (no sales in one period, a loss) we fall back to sequential
 * substitution in the identity's order, which also adds up exactly (it telescopes).
 */

export interface Factor {
  id: string;
  before: number;
  after: number;
  /** Exponent in the identity: 1 for a multiplier, −1 for a divisor (acos = spend / ad_sales). */
  power?: 1 | -1;
}

export interface Effect extends Required<Factor> {
  /** This driver's part of the change, in the metric's unit; the effects sum to the change. */
  effect: number;
}

export interface Decomposition {
  method: 'lmdi' | 'sequential';
  before: number;
  after: number;
  change: number;
  drivers: Effect[];
}

/** Logarithmic mean; L(a, a) = a. */
export function logMean(a: number, b: number): number {
  if (a === b) return a;
  return (a - b) / (Math.log(a) - Math.log(b));
}

const productOf = (xs: number[], powers: number[]) => xs.reduce((p, x, i) => p * (powers[i] === -1 ? 1 / x : x), 1);

/**
 * Effects of each factor on V = Π factorᵖ between two periods. `before`/`after` of the result are
 * the identity's products (equal to the metric when the factors come from its own components).
 */
export function decomposeProduct(factors: Factor[]): Decomposition {
  const fs = factors.map((f) => ({ id: f.id, before: f.before, after: f.after, power: f.power ?? 1 }));
  const powers = fs.map((f) => f.power);
  const v0 = productOf(fs.map((f) => f.before), powers);
  const v1 = productOf(fs.map((f) => f.after), powers);
  const positive = fs.every((f) => f.before > 0 && f.after > 0 && Number.isFinite(f.before) && Number.isFinite(f.after));
  if (positive && v0 > 0 && v1 > 0) {
    const l = logMean(v1, v0);
    return { method: 'lmdi', before: v0, after: v1, change: v1 - v0, drivers: fs.map((f) => ({ ...f, effect: l * f.power * Math.log(f.after / f.before) })) };
  }
  // Sequential substitution: swap factors to their new value one at a time, in order.
  const drivers: Effect[] = [];
  const current = fs.map((f) => f.before);
  let prev = v0;
  for (let i = 0; i < fs.length; i++) {
    current[i] = fs[i]!.after;
    const next = productOf(current, powers);
    drivers.push({ ...fs[i]!, effect: next - prev });
    prev = next;
  }
  return { method: 'sequential', before: v0, after: v1, change: v1 - v0, drivers };
}

export interface Contribution {
  key: string;
  before: number;
  after: number;
  change: number;
  /** change ÷ the total change (can exceed 1 or be negative when members move against the total). */
  share: number | null;
}

/**
 * Members of an additive metric ranked by absolute change. A member present in one period only
 * counts as 0 in the other, so the changes of all members sum to the total change.
 */
export function contributions(before: Map<string, number>, after: Map<string, number>, totalChange: number): Contribution[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const out: Contribution[] = [];
  for (const key of keys) {
    const b = before.get(key) ?? 0;
    const a = after.get(key) ?? 0;
    const change = a - b;
    out.push({ key, before: b, after: a, change, share: totalChange === 0 ? null : change / totalChange });
  }
  return out.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.key.localeCompare(y.key));
}
