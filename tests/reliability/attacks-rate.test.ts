/**
 * Rate limiting per person (issue #33 item 5), on two replicas of the real service (child
 * processes) sharing one fresh Postgres database, driven through the console API of both in
 * turn. Two buckets, both in Postgres (`rate_buckets`), so a person cannot double their
 * allowance by landing on the other replica:
 * - KPI questions: 10 per person per minute (commands/kpi/answer.ts), then "slow down";
 * - everything a person sends: 40 back to back, then one a second (src/bot/user-rate.ts), with
 *   one "slow down" notice per 20 s and the rest of the flood dropped silently.
 * Meanwhile another person in the same group chat is still answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropCreatedDatabases } from '../helpers/db.ts';
import type { StartedServer } from '../helpers/processes.ts';
import { recordAttackFigures } from './attacks-section.ts';
import { ready, say, shown, startWorld, type ConsoleMsg, type World } from './attacks-perm-world.ts';

afterAll(dropCreatedDatabases);

const CHAT = 'amazon-us';
const SLOW = /Slow down a little|请稍慢一点/;
/** The buckets under test (src/bot/commands/kpi/answer.ts, src/bot/user-rate.ts). */
const KPI = { burst: 10, perSecond: 10 / 60 };
const EVENTS = { burst: 40, perSecond: 1, noticeEverySeconds: 20 };

type Reply = 'answered' | 'slowed' | 'silent';
const kindOf = (replies: ConsoleMsg[]): Reply => {
  if (replies.length === 0) return 'silent';
  return replies.some((m) => SLOW.test(shown(m))) ? 'slowed' : 'answered';
};

describe('per-person rate limits hold across two replicas', () => {
  let w: World;
  let replicas: StartedServer[];
  const figures = { sent: 0, kpiAnswered: 0, kpiSlowed: 0, floodAnswered: 0, floodNotices: 0, floodSilent: 0, othersAnswered: 0, othersAsked: 0 };
  const table: (string | number)[][] = [];

  beforeAll(async () => {
    w = await startWorld(2);
    replicas = w.servers;
    await Promise.all(replicas.map((r) => ready(r)));
    // The group is recorded on first sight; start from full buckets after that.
    await say(replicas[0]!, CHAT, 'alice', 'whoami');
  }, 240_000);
  afterAll(async () => w?.close());

  /** Sends one message on replica `i % 2` and classifies what came back. */
  async function send(i: number, user: string, text: string): Promise<Reply> {
    figures.sent++;
    return kindOf(await say(replicas[i % 2]!, CHAT, user, text));
  }

  it('KPI questions: 10 a minute per person, then "slow down", whichever replica answers', { timeout: 180_000 }, async () => {
    const started = Date.now();
    const got: Reply[] = [];
    for (let i = 0; i < 14; i++) got.push(await send(i, 'henry', 'orders 7d'));
    const elapsed = (Date.now() - started) / 1000;
    figures.kpiAnswered = got.filter((g) => g === 'answered').length;
    figures.kpiSlowed = got.filter((g) => g === 'slowed').length;
    // The burst, plus what refilled while the flood ran (10/min), and not a question more.
    expect(got.slice(0, KPI.burst)).toEqual(Array(KPI.burst).fill('answered'));
    expect(figures.kpiAnswered).toBeLessThanOrEqual(KPI.burst + Math.ceil(elapsed * KPI.perSecond));
    expect(figures.kpiSlowed).toBeGreaterThanOrEqual(14 - KPI.burst - Math.ceil(elapsed * KPI.perSecond));
    expect(figures.kpiSlowed).toBeGreaterThan(0);
    // Someone else in the same group, on either replica, is still answered.
    for (let i = 0; i < 2; i++) {
      figures.othersAsked++;
      if ((await send(i, 'kate', 'orders 7d')) === 'answered') figures.othersAnswered++;
    }
    expect(figures.othersAnswered).toBe(2);
    table.push(['KPI questions (henry)', 14, figures.kpiAnswered, figures.kpiSlowed, 0, elapsed.toFixed(1)]);
  });

  it('any command: 40 back to back, then one a second, one notice per flood, others unaffected', { timeout: 180_000 }, async () => {
    const n = 70;
    const started = Date.now();
    const got: Reply[] = [];
    for (let i = 0; i < n; i++) got.push(await send(i, 'frank', i % 3 === 0 ? 'help' : 'whoami'));
    const elapsed = (Date.now() - started) / 1000;
    figures.floodAnswered = got.filter((g) => g === 'answered').length;
    figures.floodNotices = got.filter((g) => g === 'slowed').length;
    figures.floodSilent = got.filter((g) => g === 'silent').length;
    expect(got.slice(0, EVENTS.burst)).toEqual(Array(EVENTS.burst).fill('answered'));
    expect(figures.floodAnswered).toBeLessThanOrEqual(EVENTS.burst + Math.ceil(elapsed * EVENTS.perSecond));
    // The first refusal is told politely; the rest of the flood gets no reply (at most one notice per 20 s).
    expect(got[got.indexOf('slowed') - 1]).toBe('answered');
    expect(figures.floodNotices).toBeGreaterThanOrEqual(1);
    expect(figures.floodNotices).toBeLessThanOrEqual(1 + Math.floor(elapsed / EVENTS.noticeEverySeconds));
    expect(figures.floodAnswered + figures.floodNotices + figures.floodSilent).toBe(n);
    // Others in the same chat, on both replicas: answered, KPI questions included.
    for (let i = 0; i < 4; i++) {
      figures.othersAsked++;
      if ((await send(i, i < 2 ? 'kate' : 'carol', i % 2 === 0 ? 'whoami' : 'orders 7d')) === 'answered') figures.othersAnswered++;
    }
    expect(figures.othersAnswered).toBe(6);
    table.push(['commands (frank: help, whoami)', n, figures.floodAnswered, figures.floodNotices, figures.floodSilent, elapsed.toFixed(1)]);

    recordAttackFigures('rate', [
      { name: 'messages sent (two replicas, one group chat)', value: figures.sent, kind: 'inputs' },
      { name: 'KPI questions answered in the flood', value: figures.kpiAnswered, limit: `≤ ${KPI.burst} + refill (10/min)`, ok: true },
      { name: 'rate-limited replies ("slow down")', value: figures.kpiSlowed + figures.floodNotices },
      { name: 'flood messages dropped silently after the notice', value: figures.floodSilent },
      { name: 'other people in the same chat answered', value: `${figures.othersAnswered}/${figures.othersAsked}`, limit: 'all', ok: figures.othersAnswered === figures.othersAsked },
    ], [{
      title: 'floods, alternating between the two replicas',
      columns: ['flood', 'sent', 'answered', '"slow down"', 'silent', 'seconds'],
      rows: table,
    }], {
      method: 'Two service processes on one Postgres database; one person floods a group chat through both replicas in turn (KPI questions, then help/whoami) while others in the same chat keep asking. Limits: 10 KPI questions per person per minute; 40 messages back to back then 1/s per person, one "slow down" per 20 s.',
    });
  });
});
