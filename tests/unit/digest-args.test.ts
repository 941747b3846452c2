import { describe, expect, it } from 'vitest';
import { teamTypeOf } from '../../src/digests/kpi-defaults.ts';
import { parseSubscribeArgs } from '../../src/digests/subscribe-args.ts';
import { parseReviewArgs } from '../../src/digests/chat/review.ts';
import { calendarPeriod } from '../../src/digests/review-pack.ts';

describe('digest subscribe arguments', () => {
  it('reads times, cadences, weekdays, days, working days, KPIs, zones and `me`', () => {
    expect(parseSubscribeArgs(['9:00'])).toEqual({ kind: 'daily', time: '09:00', workingDaysOnly: false, personal: false });
    expect(parseSubscribeArgs(['09:30', 'weekly', 'mon', 'kpis:gmv,acos'])).toMatchObject({ kind: 'weekly', time: '09:30', weekday: 1, kpis: ['gmv', 'acos'] });
    expect(parseSubscribeArgs(['每周', '周三', '１０：００'])).toMatchObject({ kind: 'weekly', weekday: 3, time: '10:00' });
    expect(parseSubscribeArgs(['fri', '18:00'])).toMatchObject({ kind: 'weekly', weekday: 5 });
    expect(parseSubscribeArgs(['08:00', 'monthly', 'day', '5'])).toMatchObject({ kind: 'monthly', dayOfMonth: 5 });
    expect(parseSubscribeArgs(['08:00', '每月', '3号'])).toMatchObject({ kind: 'monthly', dayOfMonth: 3 });
    expect(parseSubscribeArgs(['08:00', '双周'])).toMatchObject({ kind: 'biweekly' });
    expect(parseSubscribeArgs(['08:00', '工作日', 'tz:Europe/Berlin'])).toMatchObject({ kind: 'daily', workingDaysOnly: true, timezone: 'Europe/Berlin' });
    expect(parseSubscribeArgs(['08:30', 'me'])).toMatchObject({ kind: 'personal', personal: true });
    expect(parseSubscribeArgs(['10:00', 'review', 'team:amazon-us'])).toMatchObject({ kind: 'review_pack', teamId: 'amazon-us' });
  });

  it('refuses what it cannot read, naming the word', () => {
    expect(parseSubscribeArgs(['25:00'])).toEqual({ error: 'bad_time', word: '25:00' });
    expect(parseSubscribeArgs(['09:60'])).toEqual({ error: 'bad_time', word: '09:60' });
    expect(parseSubscribeArgs(['weekly'])).toEqual({ error: 'no_time' });
    expect(parseSubscribeArgs(['09:00', 'tz:Mars/Base'])).toEqual({ error: 'bad_timezone', word: 'Mars/Base' });
    expect(parseSubscribeArgs(['09:00', 'tz:EST'])).toEqual({ error: 'bad_timezone', word: 'EST' });
    expect(parseSubscribeArgs(['09:00', 'monthly', 'day', '31'])).toEqual({ error: 'bad_day', word: '31' });
    expect(parseSubscribeArgs(['09:00', 'kpis:gmv,acoss'])).toEqual({ error: 'bad_kpi', word: 'acoss', suggestion: 'acos' });
    expect(parseSubscribeArgs(['09:00', 'wekly'])).toEqual({ error: 'unknown_word', word: 'wekly', suggestion: 'weekly' });
  });
});

describe('team types and review periods', () => {
  it('takes the type most stores share, else mixed', () => {
    expect(teamTypeOf(['amazon', 'amazon', 'shopify'])).toBe('amazon');
    expect(teamTypeOf(['shopee', 'lazada', 'tiktok_shop'])).toBe('marketplace');
    expect(teamTypeOf(['amazon', 'amazon', 'shopify', 'walmart'])).toBe('mixed');
    expect(teamTypeOf([])).toBe('mixed');
  });

  it('uses the team’s calendar week or month', () => {
    // Monday 23 Nov 2026: last week is ISO week 47 (16–22 Nov).
    expect(calendarPeriod('last_week', '2026-11-23')).toEqual({ id: 'week:2026-W47', from: '2026-11-16', to: '2026-11-22' });
    expect(calendarPeriod('this_week', '2026-11-23')).toEqual({ id: 'week:2026-W48', from: '2026-11-23', to: '2026-11-29' });
    expect(calendarPeriod('last_month', '2026-01-05')).toEqual({ id: 'month:2025-12', from: '2025-12-01', to: '2025-12-31' });
    expect(parseReviewArgs(['pack', 'team:amazon-us', 'last', 'week'])).toEqual({ team: 'amazon-us', period: 'last_week' });
    expect(parseReviewArgs(['团队:亚马逊美国', '本月'])).toEqual({ team: '亚马逊美国', period: 'this_month' });
    expect(parseReviewArgs(['pack', 'someday'])).toEqual({ error: 'someday' });
  });
});
