/**
 * `bot.dispatch` on a real database with a recording adapter standing in for a remote platform:
 * filters, redelivery dedup, tenant refusal, external people, replies recorded, a rate-limited
 * reply handed to the outbox, and a failing handler answered with an apology.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChartRenderer } from '../../src/render/index.ts';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import type { Database } from '../../src/db/client.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase, truncateAll } from '../helpers/db.ts';
import { testConfig } from '../helpers/build-app.ts';
import { RecordingAdapter } from '../fakes/recording-adapter.ts';

afterAll(dropCreatedDatabases);

let n = 0;
function message(text: string, over: Partial<Record<string, unknown>> = {}): InboundEvent {
  return {
    kind: 'message',
    platform: 'slack',
    eventId: `Ev${++n}`,
    user: { platform: 'slack', id: 'U1' },
    conversation: { platform: 'slack', tenantKey: 'T1', chatId: 'D1', kind: 'direct' },
    receivedAt: new Date(),
    text,
    mentionedBot: false,
    ...over,
  } as InboundEvent;
}

describe.each(ENGINES)('bot dispatch on %s', (engine) => {
  let d: Database;
  let adapter: RecordingAdapter;
  const config = { ...testConfig(), publicUrl: 'http://kpi.test' };
  const bot = () => createBot({ database: d, config, adapterFor: (p) => (p === 'slack' ? adapter : undefined), logger: pino({ level: 'silent' }), charts: createChartRenderer({ cacheDir: join(tmpdir(), 'kpibot-bot-test-charts') }) });

  beforeAll(async () => {
    d = await openTestDatabase(engine);
  });
  afterAll(async () => d?.close());
  beforeEach(async () => {
    await truncateAll(d);
    adapter = new RecordingAdapter('slack');
    await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('acme', 'Acme', 'Asia/Shanghai', 'CNY', 'zh-CN')`);
  });

  it('answers a DM, binds the tenant, and records the reply as a sent delivery', async () => {
    await bot().dispatch(message('帮助'));
    expect(adapter.sent).toHaveLength(1);
    const reply = adapter.sent[0]!.message;
    expect(reply.kind === 'card' && reply.card.title).toBe('帮助 Help');
    // A real workspace: no demo note.
    expect(reply.kind === 'card' && reply.card.blocks.some((b) => b.type === 'note' && b.text.includes('演示'))).toBe(false);
    const [t] = await d.query<{ workspace_id: string }>(sql`select workspace_id from platform_tenants where tenant_key = 'T1'`);
    expect(t!.workspace_id).toBe('acme');
    const [row] = await d.query<{ kind: string; state: string; message_ref: { messageId: string } }>(sql`select kind, state, message_ref from deliveries`);
    expect(row).toMatchObject({ kind: 'reply', state: 'sent', message_ref: { messageId: adapter.sent[0]!.ref.messageId } });
  });

  it('drops a redelivered event, its own messages and unmentioned group chatter', async () => {
    const b = bot();
    const e = message('help');
    await b.dispatch(e);
    await b.dispatch({ ...e });
    await b.dispatch(message('help', { user: { platform: 'slack', id: 'B0', isBot: true } }));
    await b.dispatch(message('help', { conversation: { platform: 'slack', tenantKey: 'T1', chatId: 'C1', kind: 'group' } }));
    expect(adapter.sent).toHaveLength(1);
    await b.dispatch(message('help', { conversation: { platform: 'slack', tenantKey: 'T1', chatId: 'C1', kind: 'group' }, mentionedBot: true }));
    expect(adapter.sent).toHaveLength(2);
  });

  it('refuses external people politely and shows them nothing', async () => {
    await bot().dispatch(message('help', { user: { platform: 'slack', id: 'GUEST', isExternal: true } }));
    expect(adapter.sent).toHaveLength(1);
    const m = adapter.sent[0]!.message;
    expect(m.kind === 'text' && m.markdown).toMatch(/只为本组织成员|only answers members/);
  });

  it('stays silent for a tenant it cannot place (several workspaces, no binding)', async () => {
    await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('beta', 'Beta', 'UTC', 'USD', 'en')`);
    await bot().dispatch(message('help'));
    expect(adapter.sent).toHaveLength(0);
  });

  it('hands a rate-limited reply to the outbox instead of losing it', async () => {
    adapter.failNext({ code: 'rate_limited', retryAfterSeconds: 5 });
    await bot().dispatch(message('help'));
    expect(adapter.sent).toHaveLength(0);
    const [row] = await d.query<{ kind: string; state: string; target: { chatId: string } }>(sql`select kind, state, target from deliveries`);
    expect(row).toMatchObject({ kind: 'push', state: 'pending', target: { chatId: 'D1' } });
  });

  it('apologises without details when a handler fails', async () => {
    const b = bot();
    b.commands.register({
      name: 'boom',
      summary: { en: 'x', 'zh-CN': 'x' },
      run: async () => {
        throw new Error('database password is hunter2');
      },
    });
    await b.dispatch(message('boom'));
    const m = adapter.sent[0]!.message;
    expect(m.kind === 'card' && m.card.title).toBe('Something went wrong');
    expect(JSON.stringify(m)).not.toContain('hunter2');
  });
});
