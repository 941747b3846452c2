/**
 * Permission escalation (issue #33 item 5), against the real service as a child process on a
 * fresh Postgres database (attacks-perm-world.ts: workspaces `acme` and `beta` with the same
 * team, user and store ids). Every attempt must be refused with a message that says why, and
 * change nothing: a fingerprint of goals, adjustments, alerts, ownership, roles, teams, chats,
 * tokens and facts is taken before and after each one. Tried: an operator or a manager acting on
 * another team's store, goal or alert; a member and an operator setting goals (chat and REST);
 * forged button values on the console, Slack (block_actions) and Feishu (card callbacks) naming
 * another team's or another workspace's alert, goal or adjustment, or not being JSON at all;
 * approving one's own score adjustment; REST tokens reaching into the other workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { StartedServer } from '../helpers/processes.ts';
import { dropCreatedDatabases } from '../helpers/db.ts';
import { untilWithin } from '../helpers/until.ts';
import { cardText, clickPayload as feishuClick } from '../fakes/feishu/requests.ts';
import { FAKE_TENANT } from '../fakes/feishu/server.ts';
import { clickPayload as slackClick } from '../fakes/slack/click.ts';
import { recordAttackFigures } from './attacks-section.ts';
import {
  FEISHU_CHAT, FEISHU_USERS, SLACK_CHANNEL, SLACK_USERS,
  api, click, feishuPost, fingerprint, ready, say, shown, slackPost, startWorld, type World, type Ws,
} from './attacks-perm-world.ts';

afterAll(dropCreatedDatabases);

const until = untilWithin(15_000, 20);
const month = new Date().toISOString().slice(0, 7);

/** One attack: what it tried, through which door, and the refusal it must get. */
interface Attack {
  name: string;
  door: 'chat' | 'console button' | 'slack button' | 'feishu button' | 'rest';
  run(): Promise<string>;
  refusal: RegExp;
}

interface Outcome {
  name: string;
  door: Attack['door'];
  refused: boolean;
  changed: string[];
  said: string;
}

describe('permission escalation is refused, clearly, with no state change', () => {
  let w: World;
  let s: StartedServer;
  /** Ids in the seeded world: goals, alerts and adjustment requests per workspace. */
  const ids = {
    goal: {} as Record<Ws, { carolStore: number; bobTeam: number; jackStore: number }>,
    alert: {} as Record<Ws, { amazonUs: number; asiaSocial: number }>,
    adjustment: {} as Record<Ws, number>,
    /** jack's pending proposal (a goal response) on his acme goal. */
    proposal: 0,
  };
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    w = await startWorld(1);
    s = w.servers[0]!;
    await ready(s);
    for (const ws of ['acme', 'beta'] as const) {
      const admin = w.tokens[ws].admin;
      const goal = async (target: number, scope: Record<string, string>, owner: string) => {
        const r = await api(s, admin, 'POST', '/api/v1/goals', { metric: 'gmv', target, period: `month:${month}`, scope, owner });
        expect(r.status, r.text).toBe(201);
        return r.body.goal.id as number;
      };
      ids.goal[ws] = { carolStore: await goal(5000, { store: 'us-main' }, 'carol'), bobTeam: await goal(20_000, { team: 'amazon-us' }, 'bob'), jackStore: await goal(900, { store: 'tiktok-us' }, 'jack') };
      // bob asks to lower his own team goal: only someone else may decide it.
      const adj = await api(s, w.tokens[ws].bob, 'POST', '/api/v1/scores/adjustments', { goal: ids.goal[ws].bobTeam, action: 'change_target', target: 15_000, reason: 'stockout' });
      expect(adj.status, adj.text).toBe(201);
      ids.adjustment[ws] = adj.body.request.id;
      // jack (operator, asia-social) proposes a lower target for his goal: a real pending proposal
      // that only asia-social's manager or an admin may decide.
      if (ws === 'acme') {
        const proposed = (await say(s, '@jack', 'jack', `goal confirm ${ids.goal[ws].jackStore} 800 "too high"`)).map(shown).join('\n');
        expect(proposed).toMatch(/#\d+/);
        const [row] = await w.db.query<{ id: number }>(sql`select id::int as id from goal_responses where goal_id = ${ids.goal[ws].jackStore} and kind = 'propose' and status = 'pending'`);
        ids.proposal = row!.id;
      }
      const alerts = await w.db.query<{ id: number; team_id: string }>(sql`select id::int as id, team_id from alerts where workspace_id = ${ws}`);
      ids.alert[ws] = { amazonUs: alerts.find((a) => a.team_id === 'amazon-us')!.id, asiaSocial: alerts.find((a) => a.team_id === 'asia-social')!.id };
    }
    // First sight of a chat records it (bot.ts): do that now, so the fingerprints see attacks only.
    for (const [chatId, user] of [['@carol', 'carol'], ['@bob', 'bob'], ['@erin', 'erin'], ['general', 'zoe'], ['amazon-us', 'carol']]) await say(s, chatId!, user!, 'whoami');
  }, 180_000);
  afterAll(async () => w?.close());

  const chat = (chatId: string, user: string, text: string) => async () => (await say(s, chatId, user, text)).map(shown).join('\n');
  const button = (chatId: string, user: string, actionId: string, value?: string) => async () => (await click(s, chatId, user, actionId, value)).map(shown).join('\n');
  const rest = (token: () => string, method: string, path: () => string, body?: unknown) => async () => {
    const r = await api(s, token(), method, path(), body);
    return `${r.status} ${r.text}`;
  };
  let slackSeq = 0;
  const slackButton = (user: string, actionId: string, value: string) => async () => {
    const message = { channel: SLACK_CHANNEL, ts: `1700000000.${String(++slackSeq).padStart(6, '0')}`, text: 'alert', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: actionId, value, text: { type: 'plain_text', text: 'Go' } }] }] };
    const before = { r: w.slack.responses.length, m: w.slack.messages.length, e: w.slack.edits.length };
    expect(await slackPost(s, w.slack, slackClick(message, actionId, w.slack.responseUrl(), SLACK_USERS[user]))).toBe(200);
    // Only what went to this person or this channel after the click (digests and DMs to others may interleave).
    const mine = (x: { channel?: string }) => x.channel === undefined || x.channel === SLACK_CHANNEL;
    return until('the Slack answer', () => {
      const fresh = [...w.slack.responses.slice(before.r), ...w.slack.messages.slice(before.m).filter(mine), ...w.slack.edits.slice(before.e).filter(mine)];
      return fresh.length > 0 ? JSON.stringify(fresh) : undefined;
    });
  };
  let feishuSeq = 0;
  const feishuButton = (user: string, actionId: string, v: unknown) => async () => {
    const sent = { chatId: FEISHU_CHAT, messageId: `om_forged_${++feishuSeq}_000000000001`, card: { body: { elements: [{ tag: 'button', text: { content: 'Go' }, behaviors: [{ type: 'callback', value: { a: actionId, v } }] }] } } };
    w.feishu.messages.push({ messageId: sent.messageId, chatId: FEISHU_CHAT, card: sent.card, edits: 0 });
    const before = w.feishu.messages.length;
    const r = await feishuPost(s, feishuClick(sent, actionId, FEISHU_USERS[user], FAKE_TENANT));
    expect(r.status).toBe(200);
    // The answer is the callback's toast, or (after the click window) a message in the chat.
    if (r.body.length > 2) return r.body;
    return until('the Feishu answer', () => (w.feishu.messages.length > before ? w.feishu.messages.slice(before).map((m) => cardText(m.card)).join('\n') : undefined));
  };

  // Replies come in the asker's language (button clicks carry no text, so the demo people's zh-CN).
  const NOT_PERMITTED = /Not permitted|only managers and admins|outside your|may not|cannot|forbidden|无权|不能|没有权限|只有/i;
  const NO_ALERT = /There is no alert|no alert \d+|没有预警/;
  const STALE = /not valid any more|no longer active|已失效/;
  const NO_GOAL = /no goal|not found|no proposal|没有目标|没有提议|不存在/i;
  const OWN_APPROVAL = /nobody approves|own adjustment|不能审批自己/i;
  const CANNOT_ACT = /cannot act on alert|你无法处理预警/;

  function attacks(): Attack[] {
    const a = ids.alert;
    const g = ids.goal;
    return [
      // An operator (carol: us-main) and a manager (bob: amazon-us) on another team's things.
      { name: 'operator sets a goal on another team’s store (chat)', door: 'chat', run: chat('@carol', 'carol', `goal set gmv 50000 ${month} store:tiktok-us owner:@jack`), refusal: NOT_PERMITTED },
      { name: 'operator sets a goal on her own store (chat)', door: 'chat', run: chat('@carol', 'carol', `goal set gmv 50000 ${month} store:us-main owner:@carol`), refusal: NOT_PERMITTED },
      { name: 'member (not enrolled) sets a goal (chat)', door: 'chat', run: chat('general', 'zoe', `goal set gmv 50000 ${month} store:us-main owner:@carol`), refusal: NOT_PERMITTED },
      { name: 'manager sets a goal on another team’s store (chat)', door: 'chat', run: chat('@bob', 'bob', `goal set gmv 50000 ${month} store:tiktok-us owner:@jack`), refusal: NOT_PERMITTED },
      { name: 'manager closes another team’s goal (chat)', door: 'chat', run: chat('@bob', 'bob', `goal close ${g.acme.jackStore}`), refusal: NOT_PERMITTED },
      { name: 'manager closes another workspace’s goal (chat)', door: 'chat', run: chat('@bob', 'bob', `goal close ${g.beta.bobTeam}`), refusal: NO_GOAL },
      { name: 'operator acknowledges another team’s alert (chat)', door: 'chat', run: chat('@carol', 'carol', `alert ack ${a.acme.asiaSocial}`), refusal: CANNOT_ACT },
      { name: 'operator acknowledges another workspace’s alert (chat)', door: 'chat', run: chat('@carol', 'carol', `alert ack ${a.beta.amazonUs}`), refusal: NO_ALERT },
      { name: 'manager approves his own adjustment (chat)', door: 'chat', run: chat('@bob', 'bob', `adjust approve ${ids.adjustment.acme}`), refusal: OWN_APPROVAL },
      { name: 'operator makes herself admin (chat)', door: 'chat', run: chat('@carol', 'carol', 'user role @carol admin'), refusal: NOT_PERMITTED },
      { name: 'operator takes over another team’s store (chat)', door: 'chat', run: chat('@carol', 'carol', 'store owner store:tiktok-us @carol'), refusal: NOT_PERMITTED },

      // Forged console button values.
      { name: 'ack button naming another team’s alert', door: 'console button', run: button('amazon-us', 'carol', 'alert.ack', String(a.acme.asiaSocial)), refusal: CANNOT_ACT },
      { name: 'ack button naming another workspace’s alert', door: 'console button', run: button('amazon-us', 'carol', 'alert.ack', String(a.beta.amazonUs)), refusal: NO_ALERT },
      { name: 'snooze button naming another team’s alert', door: 'console button', run: button('amazon-us', 'carol', 'alert.snooze', `${a.acme.asiaSocial}:1d`), refusal: CANNOT_ACT },
      { name: 'ack button with a JSON value', door: 'console button', run: button('amazon-us', 'carol', 'alert.ack', JSON.stringify({ id: a.acme.amazonUs, workspace: 'beta' })), refusal: STALE },
      { name: 'ack button with SQL in the value', door: 'console button', run: button('amazon-us', 'carol', 'alert.ack', `${a.acme.amazonUs} OR 1=1`), refusal: STALE },
      { name: 'ack button with no value', door: 'console button', run: button('amazon-us', 'carol', 'alert.ack'), refusal: STALE },
      { name: 'approve button naming another team’s pending proposal', door: 'console button', run: button('@bob', 'bob', 'goal.approve', String(ids.proposal)), refusal: NOT_PERMITTED },
      { name: 'approve-goal button naming another workspace’s goal', door: 'console button', run: button('@bob', 'bob', 'goal.approve', String(g.beta.bobTeam)), refusal: NO_GOAL },
      { name: 'confirm-goal button naming someone else’s goal', door: 'console button', run: button('@carol', 'carol', 'goal.confirm', `${g.acme.jackStore}:1`), refusal: NOT_PERMITTED },
      { name: 'split button naming another team’s goal', door: 'console button', run: button('@bob', 'bob', 'goal.confirm_split', String(g.acme.jackStore)), refusal: /Not permitted|no split preview|没有拆解预览|无权/i },
      { name: 'goal button with malformed JSON', door: 'console button', run: button('@bob', 'bob', 'goal.approve', '{"id":'), refusal: STALE },
      { name: 'approve-adjustment button on one’s own request', door: 'console button', run: button('@bob', 'bob', 'score.adjust.approve', String(ids.adjustment.acme)), refusal: OWN_APPROVAL },
      { name: 'approve-adjustment button naming another workspace’s request', door: 'console button', run: button('@erin', 'erin', 'score.adjust.approve', String(ids.adjustment.beta)), refusal: /no adjustment request|没有调整申请/ },
      { name: 'approve-adjustment button of another team (manager erin)', door: 'console button', run: button('@erin', 'erin', 'score.adjust.approve', String(ids.adjustment.acme)), refusal: NOT_PERMITTED },
      { name: 'adjustment button with malformed value', door: 'console button', run: button('@bob', 'bob', 'score.adjust.reject', '[]'), refusal: STALE },
      { name: 'sign-off button for another team', door: 'console button', run: button('@bob', 'bob', 'score.sign_off', `${month}:asia-social`), refusal: NOT_PERMITTED },
      { name: 'drill-down button naming another team’s store', door: 'console button', run: button('@carol', 'carol', 'kpi.drill', JSON.stringify({ m: ['gmv'], p: 'last_7d', g: 'sku', l: 'en', f: { store: ['tiktok-us'] } })), refusal: /Outside your scope|None of the stores|超出范围/ },
      { name: 'drill-down button with malformed JSON', door: 'console button', run: button('@carol', 'carol', 'kpi.drill', '{"m":["gmv"],"p":'), refusal: STALE },

      // Forged Slack block_actions (acme) and Feishu card callbacks (beta).
      { name: 'Slack ack naming another team’s alert', door: 'slack button', run: slackButton('carol', 'alert.ack', String(a.acme.asiaSocial)), refusal: CANNOT_ACT },
      { name: 'Slack ack naming another workspace’s alert', door: 'slack button', run: slackButton('carol', 'alert.ack', String(a.beta.amazonUs)), refusal: NO_ALERT },
      { name: 'Slack ack with malformed JSON', door: 'slack button', run: slackButton('carol', 'alert.ack', '{"alert":'), refusal: STALE },
      { name: 'Slack approve of one’s own adjustment', door: 'slack button', run: slackButton('bob', 'score.adjust.approve', String(ids.adjustment.acme)), refusal: OWN_APPROVAL },
      { name: 'Feishu ack naming another team’s alert', door: 'feishu button', run: feishuButton('carol', 'alert.ack', String(a.beta.asiaSocial)), refusal: CANNOT_ACT },
      { name: 'Feishu ack naming another workspace’s alert', door: 'feishu button', run: feishuButton('carol', 'alert.ack', String(a.acme.amazonUs)), refusal: NO_ALERT },
      { name: 'Feishu ack with an object value', door: 'feishu button', run: feishuButton('carol', 'alert.ack', { id: a.beta.amazonUs }), refusal: STALE },
      { name: 'Feishu approve naming another workspace’s goal', door: 'feishu button', run: feishuButton('bob', 'goal.approve', String(g.acme.bobTeam)), refusal: NO_GOAL },

      // REST.
      { name: 'operator token creates a goal', door: 'rest', run: rest(() => w.tokens.acme.carol, 'POST', () => '/api/v1/goals', { metric: 'gmv', target: 1, period: `month:${month}`, scope: { store: 'us-main' }, owner: 'carol' }), refusal: /^403 .*only managers and admins/ },
      { name: 'finance token creates a goal', door: 'rest', run: rest(() => w.tokens.acme.dave, 'POST', () => '/api/v1/goals', { metric: 'gmv', target: 1, period: `month:${month}`, scope: { company: true }, owner: 'alice' }), refusal: /^403 / },
      { name: 'manager token creates a goal on another team’s store', door: 'rest', run: rest(() => w.tokens.acme.bob, 'POST', () => '/api/v1/goals', { metric: 'gmv', target: 1, period: `month:${month}`, scope: { store: 'tiktok-us' }, owner: 'jack' }), refusal: /^403 / },
      { name: 'operator token changes her own goal’s target', door: 'rest', run: rest(() => w.tokens.acme.carol, 'PATCH', () => `/api/v1/goals/${ids.goal.acme.carolStore}`, { target: 1 }), refusal: /^403 / },
      { name: 'manager token changes another team’s goal', door: 'rest', run: rest(() => w.tokens.acme.erin, 'PATCH', () => `/api/v1/goals/${ids.goal.acme.bobTeam}`, { target: 1 }), refusal: /^403 / },
      { name: 'admin token changes another workspace’s goal by id', door: 'rest', run: rest(() => w.tokens.acme.admin, 'PATCH', () => `/api/v1/goals/${ids.goal.beta.bobTeam}`, { target: 1 }), refusal: /^404 / },
      { name: 'token creates a goal in another workspace (?workspace=)', door: 'rest', run: rest(() => w.tokens.acme.admin, 'POST', () => '/api/v1/goals?workspace=beta', { metric: 'gmv', target: 1, period: `month:${month}`, scope: { store: 'us-main' }, owner: 'carol' }), refusal: /^403 .*another workspace/ },
      { name: 'manager token acknowledges another team’s alert', door: 'rest', run: rest(() => w.tokens.acme.bob, 'POST', () => `/api/v1/alerts/${ids.alert.acme.asiaSocial}/ack`), refusal: /^403 .*outside your teams/ },
      { name: 'admin token acknowledges another workspace’s alert', door: 'rest', run: rest(() => w.tokens.acme.admin, 'POST', () => `/api/v1/alerts/${ids.alert.beta.amazonUs}/ack`), refusal: /^404 / },
      { name: 'manager token approves his own adjustment', door: 'rest', run: rest(() => w.tokens.acme.bob, 'POST', () => `/api/v1/scores/adjustments/${ids.adjustment.acme}/approve`), refusal: /^403 .*nobody approves/ },
      { name: 'admin token approves another workspace’s adjustment', door: 'rest', run: rest(() => w.tokens.acme.admin, 'POST', () => `/api/v1/scores/adjustments/${ids.adjustment.beta}/approve`), refusal: /^404 / },
      { name: 'operator token edits a scorecard template', door: 'rest', run: rest(() => w.tokens.acme.carol, 'PUT', () => '/api/v1/scores/templates/运营', { items: [{ metricId: 'gmv', weight: 100 }] }), refusal: /^403 / },
    ];
  }

  it('refuses every attempt, says why, and changes nothing', { timeout: 240_000 }, async () => {
    for (const attack of attacks()) {
      const before = await fingerprint(w.db);
      const said = await attack.run();
      const after = await fingerprint(w.db);
      const changed = Object.keys(before).filter((t) => before[t] !== after[t]);
      outcomes.push({ name: attack.name, door: attack.door, refused: attack.refusal.test(said), changed, said: said.slice(0, 400) });
    }
    const notRefused = outcomes.filter((o) => !o.refused);
    const changedState = outcomes.filter((o) => o.changed.length > 0);
    expect(notRefused).toEqual([]);
    expect(changedState).toEqual([]);
    const doors = [...new Set(outcomes.map((o) => o.door))];
    recordAttackFigures('permissions', [
      { name: 'escalation attempts tried', value: outcomes.length, kind: 'inputs' },
      { name: 'refused with a reason', value: outcomes.length - notRefused.length, limit: `= ${outcomes.length}`, ok: notRefused.length === 0 },
      { name: 'state changes', value: changedState.length, limit: '= 0', ok: changedState.length === 0 },
    ], [{
      title: 'attempts by door',
      columns: ['door', 'tried', 'refused', 'state changes'],
      rows: doors.map((d) => {
        const of = outcomes.filter((o) => o.door === d);
        return [d, of.length, of.filter((o) => o.refused).length, of.filter((o) => o.changed.length > 0).length];
      }),
    }], {
      method: `The service as a child process on Postgres with two workspaces sharing ids; ${outcomes.length} escalation attempts through chat commands, forged console, Slack and Feishu button values, and REST tokens, each followed by a fingerprint (md5 of every row) of goals, adjustments, alerts, ownership, roles, teams, chats, tokens and facts.`,
    });
  });
});
