/**
 * The identities "why did it move" splits a metric with (glossary §3.8 root cause), written over
 * additive catalogue metrics so every factor is computed at full precision from the same sums:
 * the factors' product is the metric itself, so the drivers add up to its change.
 */
export interface FactorSpec {
  id: string;
  name: { en: string; zh: string };
  /** The factor from the period's totals of `components`; null when a divisor is 0 or missing. */
  of(c: Record<string, number | null>): number | null;
  power?: 1 | -1;
}

export interface Identity {
  /** Additive metrics queried for both periods. */
  components: string[];
  factors: FactorSpec[];
  /** Used when a component is not reported (e.g. no sessions from the source). */
  fallback?: Identity;
}

const get = (c: Record<string, number | null>, id: string) => c[id] ?? null;
const ratio = (a: string, b: string) => (c: Record<string, number | null>) => {
  const x = get(c, a);
  const y = get(c, b);
  return x === null || y === null || y === 0 ? null : x / y;
};
const plain = (id: string) => (c: Record<string, number | null>) => get(c, id);

const TRAFFIC: FactorSpec = { id: 'traffic', name: { en: 'Traffic (sessions)', zh: '流量' }, of: plain('sessions') };
const CONVERSION: FactorSpec = { id: 'conversion', name: { en: 'Conversion (orders ÷ sessions)', zh: '转化率' }, of: ratio('orders', 'sessions') };
const PRICE: FactorSpec = { id: 'price', name: { en: 'Average order value', zh: '客单价' }, of: ratio('gmv', 'orders') };
const ORDERS: FactorSpec = { id: 'orders', name: { en: 'Orders', zh: '订单量' }, of: plain('orders') };

export const IDENTITIES: Record<string, Identity> = {
  // gmv = sessions × (orders ÷ sessions) × (gmv ÷ orders)
  gmv: {
    components: ['gmv', 'sessions', 'orders'],
    factors: [TRAFFIC, CONVERSION, PRICE],
    fallback: { components: ['gmv', 'orders'], factors: [ORDERS, PRICE] },
  },
  orders: { components: ['orders', 'sessions'], factors: [TRAFFIC, CONVERSION] },
  // ad_sales = impressions × ctr × ad_cvr × (ad_sales ÷ ad_orders)
  ad_sales: {
    components: ['ad_sales', 'impressions', 'clicks', 'ad_orders'],
    factors: [
      { id: 'impressions', name: { en: 'Impressions', zh: '曝光' }, of: plain('impressions') },
      { id: 'ctr', name: { en: 'Click-through rate', zh: '点击率' }, of: ratio('clicks', 'impressions') },
      { id: 'ad_cvr', name: { en: 'Ad conversion rate', zh: '广告转化率' }, of: ratio('ad_orders', 'clicks') },
      { id: 'ad_aov', name: { en: 'Ad order value', zh: '广告客单价' }, of: ratio('ad_sales', 'ad_orders') },
    ],
  },
  // ad_spend = ad_sales × acos
  ad_spend: {
    components: ['ad_spend', 'ad_sales'],
    factors: [
      { id: 'ad_sales', name: { en: 'Ad sales', zh: '广告销售额' }, of: plain('ad_sales') },
      { id: 'acos', name: { en: 'ACoS', zh: 'ACoS' }, of: ratio('ad_spend', 'ad_sales') },
    ],
  },
  // acos = ad_spend ÷ ad_sales
  acos: {
    components: ['ad_spend', 'ad_sales'],
    factors: [
      { id: 'ad_spend', name: { en: 'Ad spend', zh: '广告费' }, of: plain('ad_spend') },
      { id: 'ad_sales', name: { en: 'Ad sales', zh: '广告销售额' }, of: plain('ad_sales'), power: -1 },
    ],
  },
};
