/**
 * Who sees which score, through the console on both engines: each demo role (admin alice,
 * manager bob of carol's team, operator carol, finance dave, manager erin of another team,
 * member zoe) asks for carol's score in a DM and in the team group. In a DM the answer or the
 * refusal comes in place; in a group the group only hears "已私信" and the answer goes to the
 * asker's DM — a score never appears in a group. Managers and admins see the rank, carol not.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { MONTH, seedScoreWorld } from '../scores/fixture.ts';

afterAll(dropCreatedDatabases);

interface Msg { id: string; seq: number; text?: string; card?: { title: string; fallbackText: string } }

const SEES = { alice: 'rank', bob: 'rank', carol: 'own', dave: 'refused', erin: 'refused', zoe: 'refused' } as const;

describe.each(ENGINES)('score privacy on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await seedScoreWorld(x);
  });

  it('answers each role in a DM, and only by DM when asked in a group', { timeout: 180_000 }, async () => {
    const { app } = await buildTestApp(d, { DEMO: 'off' });
    const say = async (chatId: string, userId: string, text: string): Promise<Msg[]> =>
      (await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId, userId, text } })).json().messages;
    const all = async (chatId: string): Promise<Msg[]> => (await app.inject({ method: 'GET', url: `/console/api/messages?chatId=${encodeURIComponent(chatId)}` })).json().messages;
    const body = (m: Msg | undefined) => `${m?.card?.title ?? ''}\n${m?.card?.fallbackText ?? m?.text ?? ''}`;
    const expectOutcome = (user: keyof typeof SEES, m: Msg | undefined) => {
      const text = body(m);
      if (SEES[user] === 'refused') {
        expect(m?.card?.title, user).toBe('未执行');
        expect(text, user).not.toContain('103');
        return;
      }
      expect(m?.card?.title, user).toBe(`${MONTH} 绩效：陈晨`);
      expect(text, user).toContain('103.');
      if (SEES[user] === 'rank') expect(text, user).toContain('团队排名');
      else expect(text, user).not.toContain('团队排名');
    };

    for (const user of Object.keys(SEES) as (keyof typeof SEES)[]) {
      const dm = await say(`@${user}`, user, `绩效 @carol ${MONTH}`);
      expect(dm, user).toHaveLength(1);
      expectOutcome(user, dm[0]);

      const before = (await all(`@${user}`)).length;
      const group = await say('amazon-us', user, `绩效 @carol ${MONTH}`);
      expect(group, user).toHaveLength(1);
      expect(group[0]!.card, user).toBeUndefined();
      expect(group[0]!.text, user).toMatch(/^已私信/);
      const after = await all(`@${user}`);
      expect(after.length, user).toBe(before + 1);
      expectOutcome(user, after.at(-1));
    }
    // Nothing about a score was ever posted in the group.
    const groupTexts = (await all('amazon-us')).map(body).join('\n');
    expect(groupTexts).not.toContain('103');
    expect(groupTexts).not.toContain('绩效：');

    // Operators see only their own; managers of the team see the ranking; others do not.
    expect(body((await say('@carol', 'carol', '绩效'))[0])).toContain(`${MONTH} 绩效：陈晨`);
    expect((await say('@carol', 'carol', `绩效 @frank ${MONTH}`))[0]!.card!.fallbackText).toContain('运营只能查看自己的绩效');
    expect((await say('@bob', 'bob', `团队绩效 团队:amazon-us ${MONTH}`))[0]!.card!.title).toBe(`${MONTH} 团队绩效：amazon-us`);
    expect((await say('@erin', 'erin', `团队绩效 团队:amazon-us ${MONTH}`))[0]!.card!.title).toBe('未执行');
    expect((await say('@carol', 'carol', `团队绩效 团队:amazon-us ${MONTH}`))[0]!.card!.title).toBe('未执行');
  });
});
