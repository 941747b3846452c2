/**
 * Two workspaces fully isolated (issue #33 item 5): `acme` (console + Slack team T0001) and
 * `beta` (a Feishu tenant) share team ids, user ids and names, store ids and SKU ids, but not
 * their numbers. The real service runs as a child process on a fresh Postgres database; every
 * read path of one — chat KPI answers on each platform, `/api/v1/kpi`, goals, alerts, exports,
 * audit, scores, charts, the console, `goal list` / `alert list` — must show exactly its own
 * hand-computed totals and none of the other's rows, and a token of one workspace naming the
 * other (`?workspace=`) is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedServer } from '../helpers/processes.ts';
import { dropCreatedDatabases } from '../helpers/db.ts';
import { untilWithin } from '../helpers/until.ts';
import { cardText, fixture } from '../fakes/feishu/requests.ts';
import { recordAttackFigures } from './attacks-section.ts';
import {
  DAILY, FEISHU_CHAT, FEISHU_USERS, GMV_7D, SLACK_CHANNEL, SLACK_USERS, WORKSPACES,
  api, feishuPost, ready, say, shown, slackPost, startWorld, type World, type Ws,
} from './attacks-perm-world.ts';

afterAll(dropCreatedDatabases);

const until = untilWithin(15_000, 20);
const month = new Date().toISOString().slice(0, 7);
const other = (ws: Ws): Ws => (ws === 'acme' ? 'beta' : 'acme');
const money = (n: number) => `$${n.toLocaleString('en-US')}`;
/** The goal targets each workspace sets (by REST, as its admin). */
const TARGETS: Record<Ws, number[]> = { acme: [5555, 20_000], beta: [88_888, 333_000] };

/** What would betray the other workspace in a reply: its totals and per-store sums, its alert titles, its goal targets. */
function markers(ws: Ws): string[] {
  const perStore = Object.values(DAILY[ws]).map((d) => d * 7);
  return [
    money(GMV_7D[ws]), String(GMV_7D[ws]),
    ...perStore.filter((n) => n >= 1000).flatMap((n) => [money(n), `"gmv":${n}`]),
    // Cards on narrow platforms (Feishu) show big amounts compactly.
    ...(ws === 'beta' ? ['$24.2K', '$21K', '$2.8K'] : []),
    `${ws.toUpperCase()}-ALERT`,
    ...TARGETS[ws].flatMap((t) => [String(t), t.toLocaleString('en-US')]),
  ];
}

interface Check {
  path: string;
  ws: Ws;
  ownShown: boolean;
  leaked: string[];
  /** The start of what was seen, kept only when the own figures were missing (to debug). */
  sample?: string;
}

describe('two workspaces with the same ids and names stay apart', () => {
  let w: World;
  let s: StartedServer;
  const goalIds: Record<Ws, number[]> = { acme: [], beta: [] };
  const checks: Check[] = [];

  beforeAll(async () => {
    w = await startWorld(1);
    s = w.servers[0]!;
    await ready(s);
    for (const ws of WORKSPACES) {
      const [store, team] = TARGETS[ws];
      const a = await api(s, w.tokens[ws].admin, 'POST', '/api/v1/goals', { metric: 'gmv', target: store, period: `month:${month}`, scope: { store: 'us-main' }, owner: 'carol' });
      const b = await api(s, w.tokens[ws].admin, 'POST', '/api/v1/goals', { metric: 'gmv', target: team, period: `month:${month}`, scope: { team: 'amazon-us' }, owner: 'bob' });
      expect([a.status, b.status]).toEqual([201, 201]);
      goalIds[ws] = [a.body.goal.id, b.body.goal.id];
    }
  }, 180_000);
  afterAll(async () => w?.close());

  /** Records one read: it must show `own` (when given) and nothing of the other workspace. */
  function check(path: string, ws: Ws, seen: string, own: string[] = []): void {
    const leaked = markers(other(ws)).filter((m) => seen.includes(m));
    const ownShown = own.every((o) => seen.includes(o));
    checks.push({ path, ws, ownShown, leaked, ...(ownShown ? {} : { sample: seen.slice(0, 600) }) });
  }

  it('chat answers on every platform show only the asker’s workspace', async () => {
    const ownKpi = (ws: Ws) => [money(GMV_7D[ws]), `us-main: ${money(DAILY[ws]['us-main']! * 7)}`];
    // Console (acme): a DM and the unbound group.
    for (const chat of ['@alice', 'general']) {
      const replies = await say(s, chat, 'alice', 'gmv 7d by store');
      check(`console ${chat}: gmv 7d by store`, 'acme', replies.map(shown).join('\n'), ownKpi('acme'));
    }
    check('console: goal list', 'acme', (await say(s, '@alice', 'alice', 'goal list')).map(shown).join('\n'), ['5,555']);
    check('console: alert list', 'acme', (await say(s, '@alice', 'alice', 'alert list')).map(shown).join('\n'), ['ACME-ALERT']);

    // Slack (acme): the same words as a slash command in the team's channel.
    const before = { r: w.slack.responses.length, m: w.slack.messages.length };
    const cmd = { ...slackCommand(), text: 'gmv 7d by store' };
    expect(await slackPost(s, w.slack, cmd)).toBe(200);
    const slackSeen = await until('the Slack answer', () => {
      const text = JSON.stringify([...w.slack.responses.slice(before.r), ...w.slack.messages.slice(before.m)]);
      return text.includes('GMV') ? text : undefined;
    });
    check('slack /kpi gmv 7d by store', 'acme', slackSeen, ownKpi('acme'));

    // Feishu (beta): the same people's open ids, the same words, a different tenant.
    for (const [i, text] of ['gmv 7d by store', 'goal list', 'alert list'].entries()) {
      const messageId = `om_iso_${i}_0000000001`;
      // Goals are listed in DMs and team groups only: ask that one in a DM.
      const chatId = i === 1 ? 'oc_p2p_alice0000000000000000000001' : FEISHU_CHAT;
      w.feishu.messages.push({ messageId, chatId, card: {}, edits: 0 });
      const ev = fixture('mention');
      (ev.header as Record<string, unknown>).event_id = `ev_iso_${i}`;
      const msg = (ev.event as { message: Record<string, unknown> }).message;
      msg.message_id = messageId;
      msg.chat_id = chatId;
      msg.chat_type = i === 1 ? 'p2p' : 'group';
      msg.content = JSON.stringify({ text: `@_user_1 ${text}` });
      msg.mentions = (msg.mentions as unknown[]).slice(0, 1);
      (ev.event as { sender: { sender_id: Record<string, string> } }).sender.sender_id.open_id = FEISHU_USERS.alice!;
      expect((await feishuPost(s, ev)).status).toBe(200);
      const reply = await until(`the Feishu answer to ${text}`, () => w.feishu.messages.find((m) => m.rootId === messageId));
      // By hand, as Feishu's compact amounts: 7 × 3,460 = 24,220 → $24.2K; us-main 7 × 3,000 → $21K.
      const own = i === 0 ? ['$24.2K', 'us-main: $21K'] : i === 1 ? ['88,888'] : ['BETA-ALERT'];
      check(`feishu: ${text}`, 'beta', cardText(reply.card), own);
    }
  });

  it('REST reads with each workspace’s token show only that workspace', async () => {
    for (const ws of WORKSPACES) {
      const t = w.tokens[ws].admin;
      const kpi = await api(s, t, 'GET', '/api/v1/kpi?metrics=gmv&period=last_7d&groupBy=store');
      expect(kpi.status).toBe(200);
      // By hand: 7 days × the seeded daily amount of each store.
      expect(kpi.body.total.gmv).toBe(GMV_7D[ws]);
      expect(Object.fromEntries(kpi.body.rows.map((r: { store: string; gmv: number }) => [r.store, r.gmv]))).toEqual(
        Object.fromEntries(Object.entries(DAILY[ws]).map(([k, v]) => [k, v * 7])),
      );
      check('/api/v1/kpi', ws, kpi.text, [`"gmv":${GMV_7D[ws]}`]);

      const goals = await api(s, t, 'GET', '/api/v1/goals');
      expect(goals.body.goals.map((g: { id: number }) => g.id).sort()).toEqual([...goalIds[ws]].sort());
      check('/api/v1/goals', ws, goals.text, [String(TARGETS[ws][0])]);
      for (const id of goalIds[ws]) check(`/api/v1/goals/${id}/progress`, ws, (await api(s, t, 'GET', `/api/v1/goals/${id}/progress`)).text);

      const alerts = await api(s, t, 'GET', '/api/v1/alerts');
      expect(alerts.body.alerts).toHaveLength(2);
      check('/api/v1/alerts', ws, alerts.text, [`${ws.toUpperCase()}-ALERT`]);

      const audit = await api(s, t, 'GET', '/api/v1/audit');
      expect(audit.status).toBe(200);
      const entityIds = new Set(audit.body.entries.filter((e: { entity: string }) => e.entity === 'goal').map((e: { entityId: string }) => Number(e.entityId)));
      expect([...entityIds].every((id) => goalIds[ws].includes(id as number))).toBe(true);
      check('/api/v1/audit', ws, audit.text, [String(TARGETS[ws][0])]);

      const orders = await api(s, t, 'GET', '/api/v1/exports/orders');
      const lines = orders.text.trim().split('\n').slice(1).map((l) => l.split(','));
      // 42 days × 3 stores, every amount one of this workspace's own daily amounts.
      expect(lines).toHaveLength(42 * 3);
      const ownAmounts = new Set(Object.values(DAILY[ws]).map(String));
      checks.push({ path: '/api/v1/exports/orders', ws, ownShown: true, leaked: lines.filter((l) => !ownAmounts.has(l[6]!)).map((l) => l.join(',')) });
      for (const dataset of ['goals', 'alerts', 'audit']) check(`/api/v1/exports/${dataset}`, ws, (await api(s, t, 'GET', `/api/v1/exports/${dataset}`)).text);

      const score = await api(s, t, 'GET', `/api/v1/scores?user=carol&period=${month}`);
      expect(score.status).toBe(200);
      check('/api/v1/scores', ws, score.text);
      const chart = await fetch(`${s.url}/api/v1/charts?metric=gmv&period=last_7d&groupBy=store`, { headers: { authorization: `Bearer ${t}` } });
      expect(chart.status).toBe(200);
      expect(chart.headers.get('content-type')).toMatch(/image\/png/);
      await chart.arrayBuffer();
    }
    // The console is acme's only: nothing in its history comes from beta.
    for (const chat of ['@alice', 'general']) {
      check(`/console/api/messages ${chat}`, 'acme', (await api(s, undefined, 'GET', `/console/api/messages?chatId=${encodeURIComponent(chat)}`)).text);
    }
  });

  it('a token of one workspace naming the other is refused on every read path', async () => {
    const paths = ['/api/v1/kpi?metrics=gmv&period=last_7d', '/api/v1/goals', '/api/v1/alerts', '/api/v1/audit', '/api/v1/exports/orders', '/api/v1/scores?user=carol',
      '/api/v1/charts?metric=gmv&period=last_7d', '/api/v1/followups', '/api/v1/metrics'];
    let refused = 0;
    for (const ws of WORKSPACES) {
      for (const [who, token] of Object.entries(w.tokens[ws])) {
        for (const p of paths) {
          const r = await api(s, token, 'GET', `${p}${p.includes('?') ? '&' : '?'}workspace=${other(ws)}`);
          expect(r.status, `${ws} ${who} ${p}`).toBe(403);
          expect(r.body.message).toMatch(/another workspace/);
          refused++;
          check(`${p} ?workspace=${other(ws)} (token ${who})`, ws, r.text);
        }
        // The other workspace's goals by id: not found, not shown.
        for (const id of goalIds[other(ws)]) {
          const r = await api(s, token, 'GET', `/api/v1/goals/${id}/progress`);
          expect(r.status, `${ws} ${who} goal ${id}`).toBe(404);
          refused++;
          check(`/api/v1/goals/${id}/progress (other workspace's id, token ${who})`, ws, r.text);
        }
      }
    }
    const leaks = checks.reduce((n, c) => n + c.leaked.length, 0);
    expect(checks.filter((c) => c.leaked.length > 0)).toEqual([]);
    expect(checks.filter((c) => !c.ownShown)).toEqual([]);
    const readPaths = checks.filter((c) => !c.path.includes('workspace=') && !c.path.includes("other workspace's"));
    recordAttackFigures('isolation', [
      { name: 'reads checked (both workspaces, every path)', value: checks.length, kind: 'inputs' },
      { name: 'read paths showing their own hand-computed figures', value: readPaths.filter((c) => c.ownShown).length, limit: `= ${readPaths.length}`, ok: true },
      { name: 'cross-workspace requests refused (403/404)', value: refused },
      { name: 'leaks across workspaces', value: leaks, limit: '= 0', ok: leaks === 0 },
    ], [{
      title: 'read paths',
      columns: ['path', 'workspace', 'own figures shown', 'other workspace leaked'],
      rows: readPaths.map((c) => [c.path, c.ws, c.ownShown ? 'yes' : 'no', c.leaked.length]),
    }], {
      method: `Two workspaces with identical team, user, store and SKU ids (acme: console + Slack; beta: a Feishu tenant) and different numbers (GMV 7d by hand: acme ${money(GMV_7D.acme)}, beta ${money(GMV_7D.beta)}), the service as a child process on Postgres; every read path of each is checked for its own figures and for any of the other's, and every token is tried against the other workspace.`,
    });
  });
});

function slackCommand() {
  return {
    token: 'x', team_id: 'T0001', team_domain: 'acme', channel_id: SLACK_CHANNEL, channel_name: 'general', user_id: SLACK_USERS.alice!, user_name: 'alice',
    command: '/kpi', text: '', api_app_id: 'A0KPIBOT1', is_enterprise_install: 'false', response_url: 'https://hooks.slack.com/commands/T0001/1/x',
    trigger_id: `t.${Date.now()}`,
  };
}
