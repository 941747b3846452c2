/**
 * The digest feature on the real stack without HTTP: the bot with the digest feature on a fake
 * clock, the console adapter (messages land in console_messages), the outbox worker and a
 * scheduler over the digest subscriptions. Tests move the clock and tick.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { createConsoleAdapter } from '../../src/adapters/console/index.ts';
import { createBot, type Bot } from '../../src/bot/bot.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/bot/outbox/worker.ts';
import type { Database } from '../../src/db/client.ts';
import { createDigestFeature } from '../../src/digests/chat/feature.ts';
import { createDigestService, type DigestService } from '../../src/digests/service.ts';
import type { WireCard } from '../../src/db/schema/index.ts';
import { createChartRenderer } from '../../src/render/index.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/engine.ts';
import { testConfig } from '../helpers/build-app.ts';

export interface DigestWorld {
  bot: Bot;
  outbox: OutboxWorker;
  scheduler: Scheduler;
  service: DigestService;
  clock: { now: () => Date; set: (iso: string) => void };
  say(chatId: string, userId: string, text: string): Promise<ConsoleMessage[]>;
  click(chatId: string, userId: string, message: ConsoleMessage, actionId: string): Promise<ConsoleMessage[]>;
  messages(chatId: string): Promise<ConsoleMessage[]>;
}

export interface ConsoleMessage {
  id: string;
  seq: number;
  text: string | null;
  card: WireCard | null;
}

let n = 0;
const charts = createChartRenderer({ cacheDir: join(tmpdir(), 'kpibot-digest-test-charts') });

export function digestWorld(database: Database, start: string): DigestWorld {
  let t = new Date(start).getTime();
  const clock = { now: () => new Date(t), set: (iso: string) => void (t = new Date(iso).getTime()) };
  const logger = pino({ level: 'silent' });
  const config = { ...testConfig(), publicUrl: 'http://kpi.test' };
  const adapter = createConsoleAdapter({ database, publicUrl: config.publicUrl });
  const outbox = createOutboxWorker({ database, adapterFor: () => adapter, logger, node: 'test' });
  const bot = createBot({ database, config, adapterFor: () => adapter, logger, charts, features: [createDigestFeature({ clock: clock.now })] });
  const service = createDigestService({ database, charts, publicUrl: config.publicUrl, logger, clock: clock.now });
  const scheduler = createScheduler({ database, logger, node: 'test', clock: clock.now, sources: [service.jobs], sleep: async () => {} });

  async function messages(chatId: string): Promise<ConsoleMessage[]> {
    const rows = await database.query<ConsoleMessage & Record<string, unknown>>(sql`
      select id, seq, text, card from console_messages where chat_id = ${chatId} and user_id is null order by seq`);
    return rows.map((r) => ({ id: r.id, seq: Number(r.seq), text: r.text, card: r.card }));
  }

  async function dispatch(chatId: string, e: Partial<InboundEvent>): Promise<ConsoleMessage[]> {
    const before = (await messages(chatId)).map((m) => m.id);
    await bot.dispatch({
      platform: 'console',
      eventId: `e${++n}`,
      user: { platform: 'console', id: (e as { user?: { id: string } }).user?.id ?? 'bob' },
      conversation: { platform: 'console', tenantKey: 'console', chatId, kind: chatId.startsWith('@') ? 'direct' : 'group' },
      receivedAt: clock.now(),
      ...e,
    } as InboundEvent);
    return (await messages(chatId)).filter((m) => !before.includes(m.id));
  }

  return {
    bot,
    outbox,
    scheduler,
    service,
    clock,
    messages,
    say: (chatId, userId, text) => dispatch(chatId, { kind: 'message', text, mentionedBot: true, user: { platform: 'console', id: userId } } as Partial<InboundEvent>),
    click: (chatId, userId, message, actionId) => {
      const button = (message.card?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? (b.buttons as { actionId: string; value?: string }[]) : [])).find((x) => x.actionId === actionId);
      if (!button) throw new Error(`no ${actionId} button`);
      return dispatch(chatId, {
        kind: 'action', actionId, value: button.value, user: { platform: 'console', id: userId },
        message: { platform: 'console', chatId, messageId: message.id },
      } as Partial<InboundEvent>);
    },
  };
}
