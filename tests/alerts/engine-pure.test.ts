/**
 * Pure parts of the engine: the stage-aware threshold, the re-notify decision (cooldown and
 * worsening), quiet hours in the team's zone, and the alert card in each state.
 */
import { describe, expect, it } from 'vitest';
import { buildAlertCard, type AlertView } from '../../src/alerts/card.ts';
import { shouldNotify } from '../../src/alerts/evaluate/apply.ts';
import { thresholdFor } from '../../src/alerts/evaluate/threshold.ts';
import { quietUntil } from '../../src/alerts/notify/quiet.ts';
import { adsMetricFor, skuStage, storeStage } from '../../src/alerts/rules/metrics.ts';

const en = (s: { en: string }) => s.en;

describe('stage-aware thresholds', () => {
  const base = { metricId: 'acos', cond: { op: '>' as const, value: 1.2, of: 'target' as const }, matureAcos: 0.25, breakEven: 0.35, leadTime: null };
  it('follows the glossary: a mature 25 % alerts above 30 %, a new 40 % above 48 %, clearance at break-even', () => {
    expect(thresholdFor({ ...base, stage: 'mature' })).toBeCloseTo(0.3, 12);
    expect(thresholdFor({ ...base, stage: 'new' })).toBeCloseTo(0.48, 12);
    expect(thresholdFor({ ...base, stage: 'clearance' })).toBeCloseTo(0.42, 12);
    // ROAS is 1 / ACoS: target 4, alerts below 4 ÷ 1.2.
    expect(thresholdFor({ ...base, metricId: 'roas', cond: { op: '<', value: 1 / 1.2, of: 'target' }, stage: 'mature' })).toBeCloseTo(4 / 1.2, 12);
    expect(thresholdFor({ ...base, cond: { op: '<', value: 1, of: 'lead_time' }, leadTime: 45, stage: 'mature' })).toBe(45);
    expect(thresholdFor({ ...base, cond: { op: '<', value: 1, of: 'lead_time' }, stage: 'mature' })).toBeNull();
  });
  it('knows stages and which platforms work in ACoS', () => {
    expect(skuStage({ launchDate: '2026-09-01', lifecycleStage: null }, '2026-11-09')).toBe('new'); // 69 days
    expect(skuStage({ launchDate: '2026-08-01', lifecycleStage: null }, '2026-11-09')).toBe('mature'); // 100 days
    expect(skuStage({ launchDate: '2026-09-01', lifecycleStage: 'clearance' }, '2026-11-09')).toBe('clearance');
    expect(storeStage('2026-06-01', null, '2026-11-09')).toBe('new'); // 161 days < 180
    expect(storeStage('2026-01-01', null, '2026-11-09')).toBe('mature');
    expect([adsMetricFor('amazon'), adsMetricFor('walmart'), adsMetricFor('shopee'), adsMetricFor('tiktok_shop')]).toEqual(['acos', 'acos', 'roas', 'roas']);
  });
});

describe('re-notify decision', () => {
  const now = new Date('2026-11-10T12:00:00Z');
  const at = (h: number) => new Date(now.getTime() - h * 3600_000);
  const live = { inserted: false, status: 'open', severity: 'warning' as const, lastNotifiedAt: at(1), lastNotifiedSeverity: 'warning' as const };
  it('notifies new alerts, worse ones, and after 24 h; never while acknowledged or snoozed', () => {
    expect(shouldNotify({ ...live, inserted: true }, now)).toBe(true);
    expect(shouldNotify(live, now)).toBe(false);
    expect(shouldNotify({ ...live, severity: 'critical' }, now)).toBe(true);
    expect(shouldNotify({ ...live, lastNotifiedAt: at(24) }, now)).toBe(true);
    expect(shouldNotify({ ...live, lastNotifiedAt: at(23.9) }, now)).toBe(false);
    expect(shouldNotify({ ...live, status: 'acknowledged', lastNotifiedAt: at(48) }, now)).toBe(false);
    expect(shouldNotify({ ...live, status: 'snoozed', lastNotifiedAt: at(48) }, now)).toBe(false);
  });
});

describe('quiet hours', () => {
  it('holds until 08:00 team time and lets the day through', () => {
    expect(quietUntil(new Date('2026-11-10T23:30:00Z'), 'UTC')!.toISOString()).toBe('2026-11-11T08:00:00.000Z');
    expect(quietUntil(new Date('2026-11-10T03:00:00Z'), 'UTC')!.toISOString()).toBe('2026-11-10T08:00:00.000Z');
    expect(quietUntil(new Date('2026-11-10T12:00:00Z'), 'UTC')).toBeNull();
    // 15:00 UTC is 23:00 in Shanghai → held until 08:00 Shanghai = 00:00 UTC.
    expect(quietUntil(new Date('2026-11-10T15:00:00Z'), 'Asia/Shanghai')!.toISOString()).toBe('2026-11-11T00:00:00.000Z');
  });
});

describe('alert card', () => {
  const view: AlertView = {
    id: 12, title: 'ACoS · US Main', severity: 'warning', status: 'open', metricId: 'acos', scopeKey: 'store:us', value: 0.35, threshold: 0.3,
    details: { reason: 'acos 35.0 % > 30.0 %' }, openedAt: new Date('2026-11-10T12:00:00Z'), acknowledgedByName: null, acknowledgedAt: null,
    ackCause: null, ackNote: null, snoozedUntil: null, resolvedAt: null, assigneeName: null, items: [{ label: 'A1', value: '35 %' }], mentions: ['carol'],
  };
  it('has Acknowledge and Snooze buttons while open, with ids in the values', () => {
    const c = buildAlertCard(view, en);
    expect(c.tone).toBe('warning');
    expect(c.mentions).toEqual(['carol']);
    const buttons = c.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
    expect(buttons.map((b) => [b.actionId, b.value])).toEqual([['alert.ack', '12'], ['alert.snooze', '12:1h'], ['alert.snooze', '12:4h'], ['alert.snooze', '12:1d']]);
    expect(c.fallbackText).toContain('A1: 35 %');
  });
  it('says who acknowledged, when and why, with no buttons; resolved likewise', () => {
    const acked = buildAlertCard({ ...view, status: 'acknowledged', acknowledgedByName: 'Carol', acknowledgedAt: new Date('2026-11-10T13:05:00Z'), ackCause: 'stockout' }, en);
    expect(acked.fallbackText).toContain('Acknowledged by Carol at 2026-11-10 13:05 UTC (stockout)');
    expect(acked.blocks.some((b) => b.type === 'actions')).toBe(false);
    const done = buildAlertCard({ ...view, status: 'resolved', resolvedAt: new Date('2026-11-11T09:00:00Z') }, (s: { 'zh-CN': string }) => s['zh-CN']);
    expect(done.fallbackText).toContain('已于 2026-11-11 09:00 UTC 恢复');
    expect(done.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
  it('marks a trial card', () => {
    expect(buildAlertCard({ ...view, trial: true }, en).title).toBe('[Trial] ACoS · US Main');
  });
});
