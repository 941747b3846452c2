/**
 * Noise control on both engines: quiet hours (held until 08:00 team time; critical breaks them),
 * the per-chat daily cap (overflow recorded for the digest), trial mode (admins only), mutes per
 * store and per SKU with an end date, and routing to the owner's DM.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { evaluateWorkspace } from '../../src/alerts/evaluate/run.ts';
import { DAILY_CAP } from '../../src/alerts/notify/send.ts';
import { overflowedAlerts } from '../../src/alerts/notify/overflow.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { ACOS_RULE, NOW, deliveriesOf, insertRule, liveAlerts, seedEngine } from '../alerts/engine-fixture.ts';

afterAll(dropCreatedDatabases);

const NIGHT = new Date('2026-11-10T23:30:00Z');

describe.each(ENGINES)('alert engine noise control on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), seedEngine);

  it('holds a warning fired at 23:30 team time until 08:00, but sends a critical one at once', async () => {
    await insertRule(d, ACOS_RULE);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NIGHT });
    const [a] = await liveAlerts(d);
    const [held] = await deliveriesOf(d, a!.id);
    expect(new Date(held!.next_attempt_at!).toISOString()).toBe('2026-11-11T08:00:00.000Z');

    await d.query(sql`truncate alerts, deliveries, alert_sends restart identity cascade`);
    await d.query(sql`update alert_rules set severity = 'critical'`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NIGHT });
    const [b] = await liveAlerts(d);
    const [now] = await deliveriesOf(d, b!.id);
    expect(new Date(now!.next_attempt_at!).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('follows the team time zone: 23:30 UTC is 08:30 in Tokyo, outside quiet hours', async () => {
    await d.query(sql`update teams set timezone = 'Asia/Tokyo'`);
    await insertRule(d, ACOS_RULE);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NIGHT });
    const [a] = await liveAlerts(d);
    const [sent] = await deliveriesOf(d, a!.id);
    // Not held: due at once (the outbox default, the real clock), not at 08:00 of a later day.
    expect(new Date(sent!.next_attempt_at!).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('caps cards per chat and day; the overflow waits for the digest', async () => {
    const filler = await d.query<{ id: number }>(sql`insert into alerts (workspace_id, type, scope_key, severity, title) values ('w', 'threshold', 'x', 'info', 'x') returning id`);
    for (let i = 0; i < DAILY_CAP; i++) {
      await d.query(sql`insert into alert_sends (workspace_id, alert_id, platform, tenant_key, chat_id, day, status) values ('w', ${filler[0]!.id}, 'console', 'local', 'g1', '2026-11-10', 'sent')`);
    }
    await insertRule(d, ACOS_RULE);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const a = (await liveAlerts(d)).find((x) => x.scope_key === 'store:us')!;
    expect(await deliveriesOf(d, a.id)).toHaveLength(0);
    const over = await d.query<{ status: string; chat_id: string }>(sql`select status, chat_id from alert_sends where alert_id = ${a.id}`);
    expect(over).toEqual([{ status: 'overflow', chat_id: 'g1' }]);
    // The chat's next digest lists it (src/digests/compose.ts → digest-card.ts).
    expect(await overflowedAlerts(d, 'w', { platform: 'console', tenantKey: 'local', chatId: 'g1' }, NOW)).toEqual([{ id: a.id, title: 'ACoS · US Main · 1', severity: 'warning' }]);
    // The next day the chat has room again (a new cooldown window re-notifies it).
    await evaluateWorkspace(d, { workspaceId: 'w', now: new Date('2026-11-11T12:00:00Z') });
    expect(await deliveriesOf(d, a.id)).toHaveLength(1);
  });

  it('sends a trial rule only to the admins, marked 试运行', async () => {
    await insertRule(d, { ...ACOS_RULE, trialUntil: new Date('2026-11-17T00:00:00Z') });
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [a] = await liveAlerts(d);
    const sent = await deliveriesOf(d, a!.id);
    expect(sent.map((s) => s.target)).toEqual([{ platform: 'console', tenantKey: 'local', kind: 'direct', chatId: 'user:alice' }]);
    expect(sent[0]!.payload.card.title).toMatch(/^\[Trial\]/);
    // After the trial, the rule's new alerts go to the team's group.
    await d.query(sql`truncate alerts, deliveries, alert_sends restart identity cascade`);
    await d.query(sql`update alert_rules set trial_until = '2026-11-10T11:00:00Z'`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [b] = await liveAlerts(d);
    expect((await deliveriesOf(d, b!.id)).map((s) => s.target.chatId)).toEqual(['g1']);
  });

  it('routes to the owner’s DM when the rule says so', async () => {
    await insertRule(d, { ...ACOS_RULE, route: 'owner' });
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [a] = await liveAlerts(d);
    expect((await deliveriesOf(d, a!.id)).map((s) => s.target.chatId)).toEqual(['user:carol']);
  });

  it('mutes a store or a SKU until the end date (inclusive)', async () => {
    await insertRule(d, ACOS_RULE);
    await d.query(sql`insert into alert_mutes (workspace_id, scope_key, until, reason) values ('w', 'sku:A1', '2026-11-10', '清仓')`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    expect(await liveAlerts(d)).toEqual([]);
    // The day after the end date A1 counts again.
    await evaluateWorkspace(d, { workspaceId: 'w', now: new Date('2026-11-11T12:00:00Z') });
    expect((await liveAlerts(d)).map((a) => a.scope_key)).toEqual(['store:us']);
    await d.query(sql`truncate alerts, deliveries, alert_sends, alert_mutes restart identity cascade`);
    await d.query(sql`insert into alert_mutes (workspace_id, scope_key, until) values ('w', 'store:us', '2026-12-31')`);
    const [r] = await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    expect(await liveAlerts(d)).toEqual([]);
    expect(r!.outcome.off).toContain('us: muted');
  });
});
