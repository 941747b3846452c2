/**
 * The goal conversation through the console on both engines, as the demo people would have it:
 * bob sets carol's goal in the team group, carol gets a DM card and confirms it with its button,
 * proposes another target with a reason, bob approves from the card in his DM, carol hears back;
 * `我的` answers by DM; a split is previewed and confirmed with its button; bad input gets a hint.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { seedGoalOrg } from '../helpers/goals-fixture.ts';

afterAll(dropCreatedDatabases);

interface Msg {
  id: string;
  seq: number;
  text?: string;
  card?: { title: string; fallbackText: string; blocks: { type: string; buttons?: { actionId: string; value: string }[] }[] };
}

describe.each(ENGINES)('goals in the console on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);

  it('sets, confirms, proposes and approves a goal from cards, and answers 我的 by DM', { timeout: 60_000 }, async () => {
    const { app } = await buildTestApp(d);
    const say = async (chatId: string, userId: string, text: string): Promise<Msg[]> =>
      (await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId, userId, text } })).json().messages;
    const click = async (chatId: string, userId: string, m: Msg, actionId: string): Promise<Msg[]> => {
      const b = m.card!.blocks.flatMap((x) => x.buttons ?? []).find((x) => x.actionId === actionId)!;
      expect(b, actionId).toBeDefined();
      return (await app.inject({ method: 'POST', url: '/console/api/actions', payload: { chatId, userId, messageId: m.id, actionId, value: b.value } })).json().messages;
    };
    /** The next bot card in a chat whose title matches (DMs arrive through the outbox). */
    const cardIn = async (chatId: string, title: RegExp): Promise<Msg> => {
      for (let i = 0; i < 100; i++) {
        const all: Msg[] = (await app.inject({ method: 'GET', url: `/console/api/messages?chatId=${encodeURIComponent(chatId)}` })).json().messages;
        const hit = all.find((m) => m.card && title.test(m.card.title));
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no card ${title} in ${chatId}`);
    };

    const [set] = await say('amazon-us', 'bob', '目标 设定 GMV 5万 2027-01 店铺:us-main 负责人:@陈晨');
    expect(set!.card!.title).toMatch(/^目标 #\d+ 已设定$/);
    const id = /#(\d+)/.exec(set!.card!.title)![1];
    expect(set!.card!.fallbackText).toContain('$50,000');
    expect(set!.card!.fallbackText).toContain('已私信 陈晨');

    const assigned = await cardIn('@carol', new RegExp(`你有新目标 #${id}`));
    const [confirmed] = await click('@carol', 'carol', assigned, 'goal.confirm');
    expect(confirmed!.card!.title).toBe(`目标 #${id} 已确认`);
    // bob cannot confirm carol's goal, and says so in his language
    const [notOwner] = await say('@bob', 'bob', `goal confirm ${id}`);
    expect(notOwner!.card!.fallbackText).toContain('only the owner (carol)');

    const [proposed] = await say('@carol', 'carol', `目标 确认 ${id} 4.5万 "首周断货"`);
    expect(proposed!.card!.title).toBe(`已提交目标 #${id} 的调整提议`);
    const proposal = await cardIn('@bob', new RegExp(`目标 #${id}：负责人提议调整`));
    expect(proposal.card!.fallbackText).toContain('首周断货');
    // erin manages another team: her click is refused, bob's approves
    const [foreign] = await click('@erin', 'erin', proposal, 'goal.approve');
    expect(foreign!.card!.title).toBe('未执行');
    const [approved] = await click('@bob', 'bob', proposal, 'goal.approve');
    expect(approved!.card!.title).toBe(`已批准：目标 #${id}`);
    // A second click on the same button is dropped by the bot (the first click wins).
    expect(await click('@bob', 'bob', proposal, 'goal.approve')).toEqual([]);
    await cardIn('@carol', new RegExp(`目标 #${id}：提议已批准`));
    const rest = (await app.inject({ method: 'GET', url: `/api/v1/goals/${id}/progress` })).json();
    expect(rest).toMatchObject({ goal: { target: 45_000, version: 2 }, confirmed: true });

    const [comment] = await say('@carol', 'carol', `goal comment ${id} "promo starts Friday"`);
    expect(comment!.card!.title).toBe(`Comment added to goal #${id}`);
    const [progress] = await say('amazon-us', 'bob', `goal progress ${id}`);
    expect(progress!.card!.fallbackText).toContain('promo starts Friday');

    const inGroup = await say('amazon-us', 'carol', '我的');
    expect(inGroup.map((m) => m.text)).toEqual(['已私信\n\n_演示数据 · 连接真实数据后此提示消失_']);
    const mine = await cardIn('@carol', /^我的目标$/);
    expect(mine.card!.fallbackText).toContain(`#${id}`);
  });

  it('previews a split with a 确认 button and writes the children only when it is clicked', { timeout: 60_000 }, async () => {
    const { app } = await buildTestApp(d);
    const say = async (chatId: string, userId: string, text: string): Promise<Msg[]> =>
      (await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId, userId, text } })).json().messages;
    const [set] = await say('@bob', 'bob', 'goal set orders 4000 2027-02 team:amazon-us owner:@bob');
    const id = /#(\d+)/.exec(set!.card!.title)![1];
    const [preview] = await say('@bob', 'bob', `goal split ${id} by store even`);
    expect(preview!.card!.fallbackText).toContain('Amazon US 主店: 1,000 · @carol');
    const list = async () => (await app.inject({ method: 'GET', url: '/api/v1/goals?team=amazon-us' })).json().goals as unknown[];
    expect(await list()).toHaveLength(1);
    const b = preview!.card!.blocks.flatMap((x) => x.buttons ?? []).find((x) => x.actionId === 'goal.confirm_split')!;
    const [done] = (await app.inject({ method: 'POST', url: '/console/api/actions', payload: { chatId: '@bob', userId: 'bob', messageId: preview!.id, actionId: 'goal.confirm_split', value: b.value } })).json().messages as Msg[];
    expect(done!.card!.title).toBe(`目标 #${id} 已拆解为 4 个子目标`);
    expect(await list()).toHaveLength(5);
    // carol (an operator) may not split, and a typo gets a hint rather than an apology
    // (the DMs about her new child goals may arrive in the same chat meanwhile)
    const refused = (await say('@carol', 'carol', `goal split ${id} by store`)).find((m) => m.card?.title === 'Not done');
    expect(refused?.card?.fallbackText).toContain('not permitted');
    const [hint] = await say('@bob', 'bob', 'goal set gmv lots 2027-03 store:us-main');
    expect(hint!.card!.fallbackText).toContain('lots');
  });
});
