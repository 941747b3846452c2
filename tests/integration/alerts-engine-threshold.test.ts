/**
 * Threshold rules end to end on both engines (fixture numbers in tests/alerts/engine-fixture.ts):
 * stage-aware targets, minimum volume, ACoS vs ROAS per platform, one card per (rule, store)
 * listing the SKUs, one live alert per (rule, scope), cooldown, auto-resolve, and re-fire.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { evaluateWorkspace } from '../../src/alerts/evaluate/run.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { ACOS_RULE, NOW, ROAS_RULE, deliveriesOf, insertRule, liveAlerts, seedEngine } from '../alerts/engine-fixture.ts';

afterAll(dropCreatedDatabases);

const later = (h: number) => new Date(NOW.getTime() + h * 3600_000);

describe.each(ENGINES)('alert engine thresholds on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), seedEngine);

  it('fires once per store listing only the SKUs past their stage-aware target with enough volume', async () => {
    const rule = await insertRule(d, ACOS_RULE);
    const [report] = await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    // sg is a ROAS store: an acos rule never looks at it.
    expect(report!.outcome.fired.map((f) => f.scopeKey)).toEqual(['store:us']);
    const [a] = await liveAlerts(d);
    expect(a).toMatchObject({ rule_id: rule.id, scope_key: 'store:us', status: 'open', severity: 'warning' });
    // A1 35 % > 30 %; A2 (new) 45 % < 48 %; A3 50 % but 7 clicks < 30.
    expect(Number(a!.value)).toBeCloseTo(0.35, 10);
    expect(Number(a!.threshold)).toBeCloseTo(0.3, 10);
    expect((a!.details['items'] as { label: string }[]).map((i) => i.label)).toEqual(['A1 Kettle']);
    const sent = await deliveriesOf(d, a!.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.target).toMatchObject({ kind: 'group', chatId: 'g1' });
    // carol owns us: @-mentioned natively; Acknowledge and Snooze buttons while open.
    expect(sent[0]!.payload.card.mentions).toEqual(['carol']);
    expect(sent[0]!.payload.card.blocks.some((b) => b.type === 'actions')).toBe(true);
  });

  it('uses ROAS on Shopee: roas 2 < 4 ÷ 1.2', async () => {
    await insertRule(d, ROAS_RULE);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [a] = await liveAlerts(d);
    expect(a!.scope_key).toBe('store:sg');
    expect(Number(a!.value)).toBeCloseTo(2, 10);
    expect(Number(a!.threshold)).toBeCloseTo(4 / 1.2, 10);
  });

  it('keeps one live alert per (rule, scope), re-notifies only after the 24 h cooldown or when worse', async () => {
    const rule = await insertRule(d, ACOS_RULE);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    await evaluateWorkspace(d, { workspaceId: 'w', now: later(1) });
    let all = await liveAlerts(d);
    expect(all).toHaveLength(1);
    expect(await deliveriesOf(d, all[0]!.id)).toHaveLength(1);
    // Worse: the rule turns critical → a second card at once.
    await d.query(sql`update alert_rules set severity = 'critical' where id = ${rule.id}`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: later(2) });
    expect(await deliveriesOf(d, all[0]!.id)).toHaveLength(2);
    // Same severity 23 h later: quiet; 24 h after the last card: again.
    await evaluateWorkspace(d, { workspaceId: 'w', now: later(25) });
    expect(await deliveriesOf(d, all[0]!.id)).toHaveLength(2);
    await evaluateWorkspace(d, { workspaceId: 'w', now: later(26) });
    all = await liveAlerts(d);
    expect(all).toHaveLength(1);
    expect(await deliveriesOf(d, all[0]!.id)).toHaveLength(3);
  });

  it('resolves when the condition clears (an acknowledged alert too) and opens a new alert on re-fire', async () => {
    await insertRule(d, ACOS_RULE);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [first] = await liveAlerts(d);
    await d.query(sql`update alerts set status = 'acknowledged', acknowledged_at = ${NOW.toISOString()}::timestamptz, acknowledged_by_name = 'Carol' where id = ${first!.id}`);
    // A1's spend halves: 17.5 × 7 / 700 = 17.5 % < 30 % → clear.
    await d.query(sql`update fact_ads_daily set spend = 17.5 where sku_id = 'A1'`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: later(1) });
    expect((await liveAlerts(d))[0]).toMatchObject({ id: first!.id, status: 'resolved' });
    // Every copy of the card gets an in-place update to "Resolved".
    expect((await deliveriesOf(d, first!.id)).map((x) => x.kind)).toEqual(['push', 'update']);
    await d.query(sql`update fact_ads_daily set spend = 35 where sku_id = 'A1'`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: later(2) });
    const all = await liveAlerts(d);
    expect(all.map((a) => a.status)).toEqual(['resolved', 'open']);
    expect(all[1]!.id).not.toBe(first!.id);
  });

  it('evaluates at team and workspace grain over the stores that work in the metric', async () => {
    // ROAS stores of team t1: only sg → 140 / 70 = 2 < 3. ACoS over all Amazon stores: 595 / 1470 ≈ 40.5 % > 40 %.
    await insertRule(d, { type: 'threshold', name: 'Team ROAS', metricId: 'roas', condition: { op: '<', value: 3 }, scope: { per: 'team' } });
    await insertRule(d, { type: 'threshold', name: 'All ACoS', metricId: 'acos', condition: { op: '>', value: 0.4 }, scope: { per: 'workspace' } });
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const all = await liveAlerts(d);
    expect(all.map((a) => [a.scope_key, Number(Number(a.value).toFixed(3))])).toEqual([['team:t1', 2], ['workspace', 0.405]]);
    // The team alert goes to the team's chat; the workspace one (no team) to the admins.
    expect((await deliveriesOf(d, all[0]!.id)).map((x) => x.target.chatId)).toEqual(['g1']);
    expect((await deliveriesOf(d, all[1]!.id)).map((x) => x.target.chatId)).toEqual(['user:alice']);
  });

  it('two evaluations racing open one alert', async () => {
    await insertRule(d, ACOS_RULE);
    await Promise.all([evaluateWorkspace(d, { workspaceId: 'w', now: NOW }), evaluateWorkspace(d, { workspaceId: 'w', now: NOW })]);
    expect((await liveAlerts(d)).filter((a) => a.status === 'open')).toHaveLength(1);
  });
});
