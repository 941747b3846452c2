/**
 * Rules through the repository on both engines (fixture: tests/alerts/engine-fixture.ts):
 * `test` replays the last 30 days without writing or sending, and a rule that would fire for
 * nearly everything is refused with the numbers.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { parseRuleSpec, type RuleSpec } from '../../src/alerts/rules/parse.ts';
import { addRule, testRule } from '../../src/alerts/rules/repo.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { ACOS_RULE, NOW, insertRule, seedEngine } from '../alerts/engine-fixture.ts';

afterAll(dropCreatedDatabases);

const spec = (s: string): RuleSpec => {
  const r = parseRuleSpec(s.split(' '));
  if (!r.ok) throw new Error(r.reason.en);
  return r.spec;
};

describe.each(ENGINES)('alert rules repository on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), seedEngine);

  it('test: what the rule would have fired in the last 30 days, nothing written', async () => {
    const rule = await insertRule(d, ACOS_RULE);
    const r = await testRule(d, rule, NOW, 30);
    // Ads exist 11-03 … 11-09. As of day X the window is the 7 days to X − 1: A1 reaches 30
    // clicks from the window ending 11-05 (3 days × 10) and stays past 30 % through 11-09.
    expect(r.hits.map((h) => h.day)).toEqual(['2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09']);
    expect(new Set(r.hits.map((h) => h.scopeKey))).toEqual(new Set(['store:us']));
    expect(await d.query(sql`select id from alerts`)).toEqual([]);
    expect(await d.query(sql`select id from deliveries`)).toEqual([]);
  });

  it('refuses a rule that would fire for nearly everything, and saves a sensible one', async () => {
    // Two more SKUs with ads → 5 SKUs with spend; "ad_spend > 0 per:sku" fires for all 5.
    await d.query(sql`insert into skus (workspace_id, id, store_id, name) values ('w', 'A4', 'us', 'Cup'), ('w', 'A5', 'us', 'Mug')`);
    await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id, clicks, spend, attributed_sales, currency, source) values
      ('w', '2026-11-09', 'us', 'amazon', 'c1', 'g1', 'A4', 1, 1, 10, 'USD', 'api'), ('w', '2026-11-09', 'us', 'amazon', 'c1', 'g1', 'A5', 1, 1, 10, 'USD', 'api')`);
    const noisy = await addRule(d, 'w', spec('ad_spend > 0 per:sku store:us'), 'alice', NOW);
    expect(noisy.ok).toBe(false);
    if (!noisy.ok) expect(noisy.reason.en).toMatch(/fire for 5 of 5/);
    const fine = await addRule(d, 'w', spec('ad_spend > 200 per:sku store:us'), 'alice', NOW);
    // A1 245 and A2 315 over 7 days exceed 200: 2 of 5.
    expect(fine).toMatchObject({ ok: true, firing: 2 });
    const unknown = await addRule(d, 'w', spec('acos > 30% store:nowhere'), 'alice', NOW);
    expect(unknown).toMatchObject({ ok: false, reason: { en: 'Unknown store nowhere.' } });
  });
});
