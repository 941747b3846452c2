/**
 * The `alert rule add` grammar (pure): thresholds with a minimum volume, multiples of the
 * stage-aware target or lead time, the other rule types, options, and refusals with a reason.
 */
import { describe, expect, it } from 'vitest';
import { parseRuleSpec, tokenizeRule } from '../../src/alerts/rules/parse.ts';

const ok = (s: string) => {
  const r = parseRuleSpec(s.split(' '));
  if (!r.ok) throw new Error(r.reason.en);
  return r.spec;
};
const refused = (s: string) => {
  const r = parseRuleSpec(s.split(' '));
  if (r.ok) throw new Error(`accepted: ${s}`);
  return r.reason.en;
};

describe('alert rule grammar', () => {
  it('reads the issue example: acos > goal × 1.2 when spend ≥ ¥500', () => {
    const s = ok('acos > 1.2x target min:spend>=¥500 store:us-main');
    expect(s).toMatchObject({ type: 'threshold', metricWord: 'acos', minWord: 'spend', windowDays: 7, severity: 'warning', route: 'group' });
    expect(s.condition).toEqual({ op: '>', value: 1.2, of: 'target', min: { metric: 'spend', value: 500 } });
    expect(s.scope).toEqual({ store: ['us-main'], per: 'store' });
  });

  it('reads the ARCHITECTURE example and squeezed operators', () => {
    expect(ok('roas < 2 store:shopee-sg').condition).toEqual({ op: '<', value: 2 });
    expect(tokenizeRule(['acos>30%'])).toEqual(['acos', '>', '30%']);
    expect(ok('acos>30%').condition).toEqual({ op: '>', value: 0.3 });
  });

  it('reads cover vs lead time (per SKU), sudden change, freshness, goal red and red lines', () => {
    expect(ok('days_of_cover < 1x lead_time')).toMatchObject({ condition: { op: '<', value: 1, of: 'lead_time' }, scope: { per: 'sku' } });
    expect(ok('change gmv 40% critical')).toMatchObject({ type: 'sudden_change', metricWord: 'gmv', condition: { op: 'change', value: 0.4, minZ: 3 }, severity: 'critical', windowDays: 28 });
    expect(ok('freshness dm')).toMatchObject({ type: 'freshness', route: 'owner' });
    expect(ok('goal red team:amazon-us')).toMatchObject({ type: 'pace', scope: { team: ['amazon-us'], per: 'goal' } });
    expect(ok('red_lines')).toMatchObject({ type: 'red_line' });
  });

  it('reads scopes, grain, window, trial mode and quiet hours', () => {
    const s = ok('return_rate > 8% sku:A1,A2 per:sku window:14d trial:7d quiet:off');
    expect(s).toMatchObject({ windowDays: 14, trialDays: 7, quietHours: false, scope: { sku: ['A1', 'A2'], per: 'sku' } });
    expect(ok('ctr < 0.3% campaign:c1 per:campaign').scope).toEqual({ campaign: ['c1'], per: 'campaign' });
    expect(ok('acos > 30% 试运行:3d').trialDays).toBe(3);
  });

  it('refuses what it does not understand, with the reason', () => {
    expect(refused('acos')).toMatch(/threshold reads/);
    expect(refused('acos > lots')).toMatch(/not a number/);
    expect(refused('acos > 1.2x budget')).toMatch(/target/);
    expect(refused('acos > 30% store:us;drop')).toMatch(/don't understand/);
    expect(refused('acos > 30% window:400d')).toMatch(/1 to 90 days/);
    expect(refused('acos > 30% trial:90d')).toMatch(/0 to 30 days/);
    expect(refused('change gmv -5%')).toMatch(/percentage/);
    expect(refused('goal green')).toMatch(/goal red/);
    expect(refused('')).toMatch(/Say what to watch/);
  });
});
