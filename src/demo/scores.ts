/**
 * The demo's scorecards (glossary §3.6): the six default templates stored as rows, and last
 * month's goals for every template KPI of the people of bob's team (amazon-us: bob 店长, carol and
 * frank 运营, henry 投手, kate 客服), so `score @carol` answers on a fresh start. Goals already
 * seeded for that month (carol's GMV, the activity counts) are kept; the rest are added here.
 * Money targets follow the generated actuals (aimed at ~100–110 % achievement); ratio targets are
 * typical values of the seed articles. The scope is the person when they own stores, else the
 * store or team they work on, so every KPI has data to be measured against.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { resultRows } from '../db/normalize.ts';
import { DEFAULT_TEMPLATES } from '../scores/templates.ts';
import { insertRows } from './bulk-insert.ts';
import { addDays, monthPeriod, toDay, type Period } from './dates.ts';
import { BUDGET_RATES } from './fx.ts';
import { generateFacts, sumSeries, type Actuals } from './generate.ts';
import { STORES } from './stores.ts';

type Tx = Pick<Db, 'execute'>;

/** Who is scored in the demo and where each KPI is measured. */
const PEOPLE: { user: string; position: string; scope: (metric: string) => [level: string, id: string] }[] = [
  { user: 'bob', position: '店长', scope: () => ['team', 'amazon-us'] },
  { user: 'carol', position: '运营', scope: () => ['person', 'carol'] },
  { user: 'frank', position: '运营', scope: () => ['person', 'frank'] },
  { user: 'henry', position: '投手', scope: (m) => (m === 'ad_optimizations' ? ['person', 'henry'] : ['store', 'us-main']) },
  { user: 'kate', position: '客服', scope: (m) => (m === 'odr' ? ['store', 'us-main'] : ['team', 'amazon-us']) },
];

/** Stores each person's money goals add up (USD, the stores they own). */
const OWNED: Record<string, string[]> = { carol: ['us-main'], frank: ['us-outlet', 'walmart-us', 'shopify-dtc'], henry: ['us-main'] };

/** Typical targets of ratio and level KPIs; `band` for days of cover (§3.4 staged thresholds). */
const TYPICAL: Record<string, number | [number, number]> = {
  net_margin: 0.2, tacos: 0.1, return_rate: 0.06, task_on_time_rate: 0.9, roas: 3.2, ctr: 0.004,
  cs_first_response_minutes: 240, cs_response_24h_rate: 0.92, neg_review_handling_hours: 36, odr: 0.008, csat: 0.85,
  days_of_cover: [30, 90], stock_age_90d_share: 0.2, oos_rate: 0.05, inventory_turnover: 6,
};

/** Actual ÷ target each person's money and count goals are aimed at. */
const AIM: Record<string, number> = { bob: 1.04, carol: 1.08, frank: 0.93, henry: 1.12, kate: 1 };

/** A money target from the actuals: achievement lands between ~90 % and 115 % by person. */
function moneyTarget(a: Actuals, user: string, metric: string, level: string, p: Period): { target: number; currency: string; fxMode: 'store' | 'fixed_budget' } | undefined {
  // Ad sales run at roughly a third of GMV in the demo's Amazon stores; team net profit near 3 %.
  const share: Record<string, number> = { gmv: 1, ad_sales: 0.3, net_profit: 0.03 };
  if (share[metric] === undefined) return undefined;
  const [from, to] = [toDay(p.start), toDay(p.end)];
  if (level === 'team') {
    // Team money goals are in CNY at the budget rate, like the demo's team GMV goals.
    const cny = STORES.filter((s) => s.team === 'amazon-us').reduce((t, s) => t + (sumSeries(a.gmv, s.id, from, to) / 10 ** s.decimals) * BUDGET_RATES[s.currency], 0);
    return cny > 0 ? { target: Math.round((cny * share[metric]) / AIM[user]!), currency: 'CNY', fxMode: 'fixed_budget' } : undefined;
  }
  const gmv = (OWNED[user] ?? []).reduce((t, s) => t + sumSeries(a.gmv, s, from, to) / 100, 0);
  return gmv > 0 ? { target: Math.round((gmv * share[metric]) / AIM[user]!), currency: 'USD', fxMode: 'store' } : undefined;
}

/**
 * Score templates as rows and last month's missing goals of bob's team. `anchor` is the demo's
 * yesterday; "last month" is the month before the anchor's.
 */
export async function seedDemoScores(tx: Tx, ws: string, actuals: Actuals, anchor: string): Promise<Record<string, number>> {
  const templates = DEFAULT_TEMPLATES.map((t) => ({ workspace_id: ws, id: t.id, position: t.position, name: t.name, items: JSON.stringify(t.items), default_cap: String(t.defaultCap), veto_cap: String(t.vetoCap), created_by: 'demo' }));
  await insertRows(tx, 'score_templates', templates, { onConflict: 'on conflict do nothing' });
  await insertRows(tx, 'score_template_vetoes', DEFAULT_TEMPLATES.map((t) => ({ workspace_id: ws, template_id: t.id, vetoes: JSON.stringify(t.vetoes) })), { onConflict: 'on conflict do nothing' });
  const p = monthPeriod(addDays(monthPeriod(anchor).start, -1));
  const have = new Set(resultRows(await tx.execute(sql`select owner_user_id, metric_id from goals where workspace_id = ${ws} and period_id = ${p.id}`)).map((r) => `${String(r.owner_user_id)}|${String(r.metric_id)}`));
  const goals: Record<string, unknown>[] = [];
  for (const person of PEOPLE) {
    const template = DEFAULT_TEMPLATES.find((t) => t.position === person.position)!;
    for (const { metricId } of template.items) {
      if (have.has(`${person.user}|${metricId}`)) continue;
      const [level, id] = person.scope(metricId);
      const typical = TYPICAL[metricId];
      const money = typical === undefined ? moneyTarget(actuals, person.user, metricId, level, p) : undefined;
      const count = typical === undefined && !money ? Math.max(1, Math.round(sumSeries(actuals.activity, `${person.user}|${metricId === 'ad_optimizations' ? 'ad_change' : 'listing_updated'}`, toDay(p.start), toDay(p.end)) / AIM[person.user]!)) : undefined;
      const band = Array.isArray(typical) ? typical : undefined;
      goals.push({
        workspace_id: ws, metric_id: metricId, scope_level: level, scope_id: id, owner_user_id: person.user,
        period_id: p.id, period_start: p.start, period_end: p.end,
        target: band ? null : String(money?.target ?? (typeof typical === 'number' ? typical : count)),
        band_lo: band ? String(band[0]) : null, band_hi: band ? String(band[1]) : null,
        currency: money?.currency ?? null, fx_mode: money?.fxMode ?? 'store', derived: level === 'person', status: 'closed', created_by: 'demo',
      });
    }
  }
  await insertRows(tx, 'goals', goals);
  return { score_templates: templates.length, score_goals: goals.length };
}

/**
 * After a roll-forward into a new month: the new "last month" gets its score goals too (actuals
 * regenerated from the same seed, so they equal the rows already written). Does nothing when
 * they exist.
 */
export async function rollDemoScores(tx: Tx, ws: string, seed: number, anchor: string): Promise<Record<string, number>> {
  const p = monthPeriod(addDays(monthPeriod(anchor).start, -1));
  const [hit] = resultRows(await tx.execute(sql`select 1 from goals where workspace_id = ${ws} and period_id = ${p.id} and owner_user_id = 'kate' and metric_id = 'csat'`));
  if (hit) return {};
  return seedDemoScores(tx, ws, generateFacts(ws, seed, toDay(p.start), toDay(p.end), { actualsOnly: true }).actuals, anchor);
}
