/**
 * The two-platform ack race (issue #29 "Done when"): one alert card delivered to a Slack channel
 * and a Feishu group through the real outbox and the real adapters (against tests/fakes); a
 * Slack user and a Feishu user click Acknowledge at the same time. Exactly one wins, the ack is
 * recorded once, the loser is told who acknowledged and when, and both copies are edited in
 * place into "Acknowledged by X at T".
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alertLifecycleFeature } from '../../src/alerts/chat/feature.ts';
import { cardFor } from '../../src/alerts/lifecycle/cards.ts';
import { loadAlertView } from '../../src/alerts/view.ts';
import { createBot } from '../../src/bot/bot.ts';
import { toWire } from '../../src/bot/card.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import { enqueueDelivery, PRIORITY } from '../../src/bot/outbox/enqueue.ts';
import { createOutboxWorker } from '../../src/bot/outbox/worker.ts';
import type { PlatformLimits } from '../../src/bot/outbox/rate-limit.ts';
import type { Database } from '../../src/db/client.ts';
import { createChartRenderer } from '../../src/render/index.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { testConfig } from '../helpers/build-app.ts';
import { seedGoalOrg, WS } from '../helpers/goals-fixture.ts';
import { clickPayload as slackClick } from '../fakes/slack/click.ts';
import { startSlackHarness, type SlackHarness } from '../fakes/slack/harness.ts';
import { clickPayload as feishuClick, cardText } from '../fakes/feishu/requests.ts';
import { FAKE_TENANT } from '../fakes/feishu/server.ts';
import { startFeishuHarness, type FeishuHarness } from '../fakes/feishu/harness.ts';
import { seedAlert } from '../alerts/lifecycle-fixture.ts';

afterAll(dropCreatedDatabases);

const WIDE: PlatformLimits = { app: { ratePerSecond: 1000, burst: 1000 }, chat: { ratePerSecond: 1000, burst: 1000 } };
const SLACK_CHAT = 'C0ALERTS01';
const FEISHU_CHAT = 'oc_alerts0000000000000000000000001';
const SLACK_USER = 'U0CAROL01';
const FEISHU_USER = 'ou_bob0000000000000000000000000001';

describe.each(ENGINES)('two-platform ack race on %s', (engine) => {
  let d!: Database;
  let slack: SlackHarness | undefined;
  let feishu: FeishuHarness | undefined;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await seedGoalOrg(x);
    await x.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id, bound_by) values ('slack', 'T0001', ${WS}, 'test'), ('feishu', ${FAKE_TENANT}, ${WS}, 'test')`);
    await x.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id, locale) values
      ('slack', 'T0001', ${SLACK_CHAT}, ${WS}, 'group', 'amazon-us', 'en'), ('feishu', ${FAKE_TENANT}, ${FEISHU_CHAT}, ${WS}, 'group', 'amazon-us', 'en')`);
    await x.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id, display_name) values
      ('slack', 'T0001', ${SLACK_USER}, ${WS}, 'carol', 'Carol'), ('feishu', ${FAKE_TENANT}, ${FEISHU_USER}, ${WS}, 'bob', 'Bob')`);
    // Real cards (not the demo note) on these chats.
    await x.query(sql`update workspaces set is_demo = false where id = ${WS}`);
  });
  afterEach(async () => {
    await slack?.close();
    await feishu?.close();
    slack = feishu = undefined;
  });

  it('one click wins, the ack is recorded once, and every copy on both platforms is updated', { timeout: 60_000 }, async () => {
    const handled: Promise<void>[] = [];
    let dispatch: (e: InboundEvent) => Promise<void> = async () => {};
    const sink = (e: InboundEvent) => {
      const p = dispatch(e);
      handled.push(p);
      return p;
    };
    slack = await startSlackHarness({ sink });
    feishu = await startFeishuHarness({ sink, fake: { limits: false } });
    const adapters = { slack: slack.binding.adapter, feishu: feishu.binding.adapter } as const;
    const adapterFor = (p: string) => (p === 'slack' ? adapters.slack : p === 'feishu' ? adapters.feishu : undefined);
    const bot = createBot({
      database: d, config: { ...testConfig(), publicUrl: 'http://kpi.test' }, logger: pino({ level: 'silent' }),
      charts: createChartRenderer({ cacheDir: '/tmp/kpibot-alert-race-charts' }), adapterFor, features: [alertLifecycleFeature],
    });
    dispatch = (e) => bot.dispatch(e);
    const worker = createOutboxWorker({ database: d, adapterFor, logger: pino({ level: 'silent' }), node: 'n1', limits: { slack: WIDE, feishu: WIDE } });

    // The engine's push of one alert card into both chats.
    const id = await seedAlert(d, { openedAt: '2026-11-23T02:00:00Z' });
    const view = (await loadAlertView(d, id))!;
    for (const [platform, tenantKey, chatId] of [['slack', 'T0001', SLACK_CHAT], ['feishu', FAKE_TENANT, FEISHU_CHAT]] as const) {
      await enqueueDelivery(d.db, {
        workspaceId: WS, target: { platform, tenantKey, chatId, kind: 'group' }, priority: PRIORITY.alert, source: { type: 'alert', id: String(id) },
        message: toWire(cardFor(view, { locale: 'en', isDemo: false }), (x) => x),
      });
    }
    expect(await worker.runOnce()).toBe(2);
    const onSlack = slack.fake.messages.find((m) => m.channel === SLACK_CHAT)!;
    const onFeishu = feishu.fake.messages.find((m) => m.chatId === FEISHU_CHAT)!;
    expect(onSlack).toBeDefined();
    expect(onFeishu).toBeDefined();

    // Both click at once.
    const [s, f] = await Promise.all([
      slack.deliver(slackClick(onSlack, 'alert.ack', 'http://placeholder', SLACK_USER)),
      feishu.deliver(feishuClick(onFeishu, 'alert.ack', FEISHU_USER)),
    ]);
    expect([s.status, f.status]).toEqual([200, 200]);
    await Promise.all(handled);

    const rows = await d.query<{ status: string; acknowledged_by: string }>(sql`select status, acknowledged_by from alerts where id = ${id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('acknowledged');
    const winner = rows[0]!.acknowledged_by; // carol (Slack) or bob (Feishu): whoever committed first
    expect(['carol', 'bob']).toContain(winner);
    const winnerName = winner === 'carol' ? '陈晨' : '李强'; // their enrolled display names
    const queued = await d.query<{ update_of: number }>(sql`select update_of from deliveries where kind = 'update' and source_id = ${String(id)}`);
    expect(queued).toHaveLength(2); // one update per copy, queued once (by the winner)

    // The loser heard who won, on its own platform.
    // Feishu: the short answer to an open click is its toast (the callback's HTTP answer); Slack: response_url.
    const loserSaid = winner === 'carol' ? f.body : slack.fake.responses.map((r) => JSON.stringify(r.body)).join('\n');
    expect(loserSaid).toContain(`already acknowledged by ${winnerName} at `);

    // Every copy on both platforms becomes "Acknowledged by X at T".
    while ((await worker.runOnce()) > 0);
    const slackEdit = slack.fake.edits.filter((e) => e.channel === SLACK_CHAT && e.ts === onSlack.ts).at(-1);
    expect(slackEdit?.text ?? '').toMatch(new RegExp(`Acknowledged by ${winnerName} at 2\\d{3}-\\d{2}-\\d{2} \\d{2}:\\d{2}`));
    const feishuCopy = feishu.fake.messages.find((m) => m.messageId === onFeishu.messageId)!;
    expect(feishuCopy.edits).toBeGreaterThan(0);
    expect(cardText(feishuCopy.card)).toMatch(new RegExp(`Acknowledged by ${winnerName} at`));
  });
});
