/**
 * The bot's delivery paths on small hand-made data, with the real bot and the KPI feature: a slow
 * answer says "working on it" and then edits that message in place (or sends the answer when the
 * platform cannot edit); stores on different days are named each with its own day; the
 * restricted part of a group answer goes by DM to `user:<id>` (and to the outbox when the DM
 * fails); command permissions are checked centrally; "did you mean" covers commands and metrics.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../src/adapters/console/adapter.ts';
import { conversationFor } from '../../src/adapters/console/receiver.ts';
import { createBot } from '../../src/bot/bot.ts';
import type { Card, OutboundMessage } from '../../src/bot/card.ts';
import { createKpiFeature } from '../../src/bot/commands/kpi/index.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import type { ChatAdapter } from '../../src/bot/ports.ts';
import type { Database } from '../../src/db/client.ts';
import { createChartRenderer } from '../../src/render/index.ts';
import { ENGINES, dropCreatedDatabases, insertWorkspace, openTestDatabase, truncateAll } from '../helpers/db.ts';
import { testConfig } from '../helpers/build-app.ts';
import { RecordingAdapter } from '../fakes/recording-adapter.ts';

afterAll(dropCreatedDatabases);

const charts = createChartRenderer({ cacheDir: join(tmpdir(), 'kpibot-bot-kpi-delivery-charts') });
/** 09:30 in Shanghai and Tokyo's next morning, still the evening before in Los Angeles. */
const NOW = new Date('2026-03-10T01:30:00Z');

let n = 0;
function ask(text: string, over: Partial<InboundEvent> = {}): InboundEvent {
  return {
    kind: 'message', platform: 'slack', eventId: `E${++n}`, user: { platform: 'slack', id: 'U_FIN' },
    conversation: { platform: 'slack', tenantKey: 'T1', chatId: 'C1', kind: 'group' }, receivedAt: new Date(), text, mentionedBot: true,
    ...over,
  } as InboundEvent;
}

const cardOf = (m: OutboundMessage | undefined): Card => {
  if (m?.kind !== 'card') throw new Error(`not a card: ${JSON.stringify(m)}`);
  return m.card;
};
const fieldOf = (c: Card, label: string) => c.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : [])).find((f) => f.label === label)?.value;
const textOf = (c: Card) => c.blocks.map((b) => (b.type === 'text' ? b.markdown : b.type === 'note' ? b.text : '')).join('\n');

describe.each(ENGINES)('bot delivery paths on %s', (engine) => {
  let d: Database;
  let slack: RecordingAdapter;
  let consoleAdapter: ChatAdapter;
  const config = { ...testConfig(), publicUrl: 'http://kpi.test' };
  const bot = (opts: Parameters<typeof createKpiFeature>[0] = {}, adapter?: ChatAdapter) =>
    createBot({
      database: d, config, logger: pino({ level: 'silent' }), charts,
      adapterFor: (p) => (p === 'console' ? consoleAdapter : (adapter ?? slack)),
      features: [createKpiFeature({ clock: () => NOW, ...opts })],
    });

  beforeAll(async () => {
    d = await openTestDatabase(engine);
  });
  afterAll(async () => d?.close());
  beforeEach(async () => {
    await truncateAll(d);
    slack = new RecordingAdapter('slack');
    consoleAdapter = createConsoleAdapter({ database: d, publicUrl: 'http://kpi.test' });
    await insertWorkspace(d, { id: 'acme', currency: 'USD', timezone: 'Asia/Shanghai', locale: 'en' });
    await d.query(sql`insert into marketplaces (workspace_id, code, name, name_en, region, default_timezone, currency) values
      ('acme', 'US', '美国站', 'United States', '北美', 'America/Los_Angeles', 'USD'),
      ('acme', 'JP', '日本站', 'Japan', '亚太', 'Asia/Tokyo', 'JPY')`);
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
      ('acme', 'us-1', 'US one', 'amazon', 'US', 'USD', 'America/Los_Angeles'),
      ('acme', 'jp-1', 'JP one', 'amazon', 'JP', 'USD', 'Asia/Tokyo')`);
    // Each store's last complete day at NOW: Los Angeles 03-08, Tokyo 03-09.
    await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source) values
      ('acme', '2026-03-07', 'us-1', 'A', 'platform', 1, 40, 'USD', 'api'),
      ('acme', '2026-03-08', 'us-1', 'A', 'platform', 2, 100, 'USD', 'api'),
      ('acme', '2026-03-09', 'us-1', 'A', 'platform', 9, 999, 'USD', 'api'),
      ('acme', '2026-03-08', 'jp-1', 'B', 'platform', 1, 20, 'USD', 'api'),
      ('acme', '2026-03-09', 'jp-1', 'B', 'platform', 1, 50.5, 'USD', 'api')`);
    await d.query(sql`insert into users (workspace_id, id, display_name) values ('acme', 'fin', '赵伟'), ('acme', 'boss', 'Boss')`);
    await d.query(sql`insert into role_assignments (workspace_id, user_id, role) values ('acme', 'fin', 'finance'), ('acme', 'boss', 'admin')`);
    await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values
      ('slack', 'T1', 'U_FIN', 'acme', 'fin'), ('slack', 'T1', 'U_BOSS', 'acme', 'boss')`);
  });

  it('names each store’s own day in a mixed “yesterday” answer, with the sum of those days', async () => {
    await bot().dispatch(ask('昨天 GMV', { conversation: { platform: 'slack', tenantKey: 'T1', chatId: 'D1', kind: 'direct' } }));
    const c = cardOf(slack.sent[0]?.message);
    // us-1 on 03-08 (100) + jp-1 on 03-09 (50.5): never us-1's unfinished 03-09.
    expect(fieldOf(c, 'GMV')).toBe('$150.5');
    expect(textOf(c)).toContain('美国站 3/8；日本站 3/9');
    expect(c.blocks.some((b) => b.type === 'image')).toBe(false);
  });

  it('says “working on it” first when slow, then edits that message into the answer', async () => {
    await bot({ slowAfterMs: 0 }).dispatch({
      kind: 'message', platform: 'console', eventId: 'c1', user: { platform: 'console', id: 'boss' },
      conversation: conversationFor('@boss'), receivedAt: new Date(), text: 'gmv 2d', mentionedBot: true,
    });
    const rows = await d.query<{ id: string; text: string | null; card: Card | null; edited: boolean }>(sql`
      select id, text, card, updated_at > created_at as edited from console_messages where chat_id = '@boss'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.edited).toBe(true);
    expect(rows[0]!.text).toBeNull();
    // 2 days ending at each store's last day: us-1 03-07..03-08 (40 + 100), jp-1 03-08..03-09 (20 + 50.5).
    expect(fieldOf(rows[0]!.card!, 'GMV')).toMatch(/^\$210\.5 /);
    const [delivery] = await d.query<{ payload: OutboundMessage }>(sql`select payload from deliveries where kind = 'reply'`);
    expect(cardOf(delivery!.payload).title).toBe(rows[0]!.card!.title);
  });

  it('sends the answer after “working on it” where messages cannot be edited', async () => {
    const fixed = new RecordingAdapter('slack', { ...slack.capabilities, updateInPlace: false });
    await bot({ slowAfterMs: 0 }, fixed).dispatch(ask('gmv 2d', { conversation: { platform: 'slack', tenantKey: 'T1', chatId: 'D1', kind: 'direct' } }));
    expect(fixed.sent.map((s) => s.op)).toEqual(['reply', 'reply']);
    expect(fixed.sent[0]!.message).toMatchObject({ kind: 'text', markdown: expect.stringContaining('Working on it') });
    expect(fieldOf(cardOf(fixed.sent[1]!.message), 'GMV')).toMatch(/^\$210\.5 /);
  });

  it('sends the restricted part of a group answer by DM to user:<id>, and the group a notice', async () => {
    await bot().dispatch(ask('last month net profit and gmv'));
    const [dm, group] = slack.sent;
    expect(dm).toMatchObject({ op: 'send', chatId: 'user:U_FIN' });
    expect(fieldOf(cardOf(dm!.message), 'Net profit')).toBeDefined();
    expect(fieldOf(cardOf(group!.message), 'Net profit')).toBeUndefined();
    expect(fieldOf(cardOf(group!.message), 'GMV')).toBeDefined();
    expect(textOf(cardOf(group!.message))).toContain('Sent you a DM with Net profit');
    const targets = await d.query<{ target: { chatId: string; kind: string } }>(sql`select target from deliveries order by id`);
    expect(targets.map((t) => t.target.chatId)).toEqual(['user:U_FIN', 'C1']);
  });

  it('hands a DM that hits a rate limit to the outbox, still addressed to the user', async () => {
    slack.failNext({ code: 'rate_limited', retryAfterSeconds: 3 });
    await bot().dispatch(ask('上月 净利润'));
    expect(slack.sent.map((s) => s.chatId)).toEqual(['C1']);
    expect(slack.sent[0]!.message).toMatchObject({ kind: 'text', markdown: expect.stringContaining('已私信') });
    const [queued] = await d.query<{ kind: string; state: string; target: { chatId: string; kind: string } }>(sql`
      select kind, state, target from deliveries where kind = 'push'`);
    expect(queued).toMatchObject({ kind: 'push', state: 'pending', target: { chatId: 'user:U_FIN', kind: 'direct' } });
  });

  it('checks a command’s permission centrally and lists only what the asker may run', async () => {
    const b = bot();
    let ran = 0;
    b.commands.register({
      name: 'purge', summary: { en: 'admins only', 'zh-CN': '仅管理员' }, examples: ['purge now'], permission: 'admin',
      run: async (ctx) => {
        ran++;
        await ctx.reply({ kind: 'text', markdown: 'done' });
      },
    });
    const dm = (user: string) => ({ user: { platform: 'slack' as const, id: user }, conversation: { platform: 'slack' as const, tenantKey: 'T1', chatId: `D_${user}`, kind: 'direct' as const } });
    await b.dispatch(ask('purge', dm('U_FIN')));
    await b.dispatch(ask('purge', dm('U_NOBODY')));
    expect(ran).toBe(0);
    expect(slack.sent.map((s) => cardOf(s.message).title)).toEqual(['Not permitted', 'Not permitted']);
    await b.dispatch(ask('purge', dm('U_BOSS')));
    expect(ran).toBe(1);
    await b.dispatch(ask('help', dm('U_FIN')));
    expect(textOf(cardOf(slack.sent.at(-1)!.message))).not.toContain('`purge`');
    await b.dispatch(ask('help', dm('U_BOSS')));
    expect(textOf(cardOf(slack.sent.at(-1)!.message))).toContain('`purge`');
    await b.dispatch(ask('help purge', dm('U_BOSS')));
    expect(textOf(cardOf(slack.sent.at(-1)!.message))).toContain('`purge now`');
  });

  it('suggests command words and metric words alike', async () => {
    const b = bot();
    const direct = { conversation: { platform: 'slack' as const, tenantKey: 'T1', chatId: 'D1', kind: 'direct' as const } };
    await b.dispatch(ask('whoamj', direct));
    await b.dispatch(ask('gvm 7d', direct));
    await b.dispatch(ask('hlep', direct));
    const hints = slack.sent.map((s) => textOf(cardOf(s.message)));
    expect(hints[0]).toContain('`whoami`');
    expect(hints[1]).toContain('`gmv`');
    expect(hints[2]).toContain('`help`');
  });
});
