/**
 * What people type that is not a clean question, on the demo workspace through the console:
 * typos, empty and huge text, control and bidi characters, SQL and template injection,
 * impossible periods and unknown stores all get a short hint in the asker's language, never a
 * trace and never data. Also the per-user rate limit, `whoami` and `lang` (stored, audited).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conversationFor } from '../../src/adapters/console/receiver.ts';
import { ENGINES, dropCreatedDatabases } from '../helpers/db.ts';
import { chatLog, closeDemoWorld, field, lastSeq, openDemoWorld, resetRateBuckets, say, visible, type DemoWorld } from './bot-kpi-helpers.ts';

afterAll(dropCreatedDatabases);

/** [text, language of the hint, something the hint must say] */
const BAD: [string, 'en' | 'zh', RegExp][] = [
  ['gvm 7d', 'en', /`gmv`/],
  ['GMV 近7天 按店捕', 'zh', /没看懂|没有找到/],
  ['gmv -30d', 'en', /period "-30d"/],
  ['gmv 2026-13', 'en', /period "2026-13"/],
  ['销售额 2026-13', 'zh', /无法识别时间/],
  ['gmv 7d store:nowhere', 'en', /no store "nowhere"/],
  ['gmv 7d 店铺:不存在的店', 'zh', /没有找到店铺/],
  ["gmv 7d store:x' or '1'='1", 'en', /no store|don't understand/],
  ['gmv 7d; drop table stores; --', 'en', /don't understand/],
  ['{{7*7}} ${process.env.DATABASE_URL}', 'en', /don't understand/],
  ['gmv\u0007 7d \u202eby store\u2066', 'en', /GMV|don't understand/],
  ['gmv 3000d', 'en', /period|Not understood|don't/],
  ['!!! ???', 'en', /help/],
];

describe.each(ENGINES)('bad input, limits, whoami and lang on %s', (engine) => {
  let w: DemoWorld;
  beforeAll(async () => {
    w = await openDemoWorld(engine);
  }, 120_000);
  afterAll(() => closeDemoWorld(w));
  beforeEach(() => resetRateBuckets(w.database));

  it('answers each bad input with a short hint in the asker’s language, no trace, no data', async () => {
    for (const [text, lang, says] of BAD) {
      const replies = await say(w.app, '@bob', 'bob', text);
      expect(replies, text).toHaveLength(1);
      const shown = visible(replies[0]!);
      expect(shown, text).toMatch(says);
      expect(shown, text).not.toMatch(/Error|stack|at \w+ \(|node_modules|postgres|hunter|DATABASE_URL=|49/);
      expect(shown.replace(/\n/g, ' '), text).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
      if (replies[0]!.card?.tone === 'warning') {
        expect(replies[0]!.card.title, text).toBe(lang === 'en' ? 'Not understood' : '没看懂');
        expect(shown, text).not.toMatch(/[¥$€]\d/);
      }
    }
    const [stores] = await w.database.query<{ n: number }>(sql`select count(*)::int as n from stores where workspace_id = 'demo'`);
    expect(stores!.n).toBe(10);
  });

  it('marks a headline value with the matching goal’s colour and pace (vs goal)', async () => {
    // The demo's company GMV goal for the current month (src/demo/goals.ts); `this month` asks for it.
    const [goal] = await w.database.query<{ rag: string | null }>(sql`select rag from goals
      where workspace_id = 'demo' and metric_id = 'gmv' and scope_level = 'company' and status = 'active'
        and period_id like 'month:%' and period_start <= current_date and period_end >= current_date - 1`);
    expect(goal, 'the demo has a company GMV goal this month').toBeDefined();
    const [reply] = await say(w.app, '@alice', 'alice', 'gmv this month vs goal');
    const shown = visible(reply!);
    expect(shown).toMatch(/[🔴🟡🟢⚪] \d+% of pace/u);
    expect(shown).toMatch(/goal progress/);
    const [zh] = await say(w.app, '@alice', 'alice', '本月 GMV 对比目标');
    expect(visible(zh!)).toMatch(/进度 \d+%/);
  });

  it('refuses text too long for a question, through the API and straight to the bot (10 kB)', async () => {
    const [viaApi] = await say(w.app, '@bob', 'bob', `gmv ${'x'.repeat(3000)}`);
    expect(visible(viaApi!)).toMatch(/too long/);
    const before = await lastSeq(w.app, '@bob');
    await w.built.messaging.bot.dispatch({
      kind: 'message', platform: 'console', eventId: 'huge-1', user: { platform: 'console', id: 'bob' },
      conversation: conversationFor('@bob'), receivedAt: new Date(), text: `本周 ${'销售额'.repeat(3400)}`, mentionedBot: true,
    });
    const [hint] = await chatLog(w.app, '@bob', before);
    expect(hint!.card!.title).toBe('没看懂');
    expect(visible(hint!)).toMatch(/太长/);
    expect(visible(hint!).length).toBeLessThan(600);
  });

  it('empty-looking text gets the help card', async () => {
    const [m] = await say(w.app, '@erin', 'erin', '   ');
    expect(m!.card!.title).toMatch(/Help/);
  });

  it('limits each person to 10 KPI questions a minute, politely, without touching others', async () => {
    for (let i = 0; i < 10; i++) {
      const [m] = await say(w.app, '@henry', 'henry', 'orders yesterday');
      expect(m!.card!.title, `question ${i + 1}`).toMatch(/^Orders/);
    }
    const [slow] = await say(w.app, '@henry', 'henry', 'orders yesterday');
    expect(slow!.card!.title).toBe('Slow down a little');
    expect(visible(slow!)).toMatch(/Try again in \d+ s/);
    const [zh] = await say(w.app, '@henry', 'henry', '昨天 订单数');
    expect(zh!.card!.title).toBe('请稍慢一点');
    // Help is not limited, and someone else still gets answers.
    expect((await say(w.app, '@henry', 'henry', 'help'))[0]!.card!.title).toBe('Help');
    expect((await say(w.app, '@kate', 'kate', 'orders yesterday'))[0]!.card!.title).toMatch(/^Orders/);
  });

  it('whoami shows role, team and scope of each demo user', async () => {
    const expected: Record<string, [string, string, RegExp]> = {
      alice: ['admin', 'LinkStar Global', /everything/],
      bob: ['manager', 'Amazon US', /^shopify-dtc, us-main, us-outlet, walmart-us$/],
      carol: ['operator', 'Amazon US', /^us-main$/],
      dave: ['finance', 'LinkStar Global', /money and cost/],
      erin: ['manager', 'SEA & Social', /^lazada-my, shopee-my, shopee-sg, tiktok-us$/],
      guest: ['member (not enrolled)', '—', /sales-level/],
    };
    for (const [u, [role, team, scope]] of Object.entries(expected)) {
      const [m] = await say(w.app, `@${u}`, u, 'whoami');
      expect(field(m!, 'Role'), u).toBe(role);
      expect(field(m!, 'Team'), u).toBe(team);
      expect(field(m!, 'Scope'), u).toMatch(scope);
    }
    const [inGroup] = await say(w.app, 'general', 'carol', '我是谁');
    expect(field(inGroup!, '本群')).toMatch(/成员级别/);
  });

  it('lang zh|en sets the chat’s language, audited; clear single-language text still wins', async () => {
    const [set] = await say(w.app, 'amazon-eu', 'leo', 'lang en');
    expect(set!.text).toMatch(/^OK, this chat is answered in English/);
    const [row] = await w.database.query<{ locale: string }>(sql`select locale from chats where chat_id = 'amazon-eu'`);
    expect(row!.locale).toBe('en');
    const audits = await w.database.query<{ actor_id: string; after: { locale: string } }>(sql`
      select actor_id, after from audit_log where action = 'chat.lang' and entity_id like '%amazon-eu' order by id`);
    expect(audits.at(-1)).toMatchObject({ actor_id: 'leo', after: { locale: 'en' } });
    // No clear language in "?" → the chat's language; Chinese text → Chinese.
    expect((await say(w.app, 'amazon-eu', 'leo', '?'))[0]!.card!.title).toBe('Help');
    expect((await say(w.app, 'amazon-eu', 'leo', '帮助'))[0]!.card!.title).toBe('帮助 Help');
    const [zh] = await say(w.app, 'amazon-eu', 'leo', 'lang zh');
    expect(zh!.text).toMatch(/^好的，本聊天今后用中文回复。/);
    expect(zh!.text).toContain('演示数据');
    expect((await say(w.app, 'amazon-eu', 'leo', '?'))[0]!.card!.title).toBe('帮助 Help');
    const [bad] = await say(w.app, 'amazon-eu', 'leo', 'lang klingon');
    expect(bad!.card!.tone).toBe('warning');
    await say(w.app, 'amazon-eu', 'leo', 'lang auto');
    const [reset] = await w.database.query<{ locale: string | null }>(sql`select locale from chats where chat_id = 'amazon-eu'`);
    expect(reset!.locale).toBeNull();
  });

  it('keeps metric acronyms in English in Chinese answers and prints JPY as JP¥', async () => {
    const [m] = await say(w.app, '@alice', 'alice', '近7天 ACoS TACoS ROAS 日元');
    expect(m!.card!.blocks.find((b) => b.type === 'fields')!.fields!.map((f) => f.label)).toEqual(['ACoS', 'TACoS', 'ROAS']);
    const [yen] = await say(w.app, '@alice', 'alice', '近7天 GMV 日元');
    expect(field(yen!, 'GMV')).toMatch(/^JP¥[\d,.]+[万亿]? /);
  });
});
