/**
 * The world of tests/reliability/db-outage.test.ts: its timings, the organisation it seeds (eight
 * teams, each with a Slack channel and a Feishu group, three open critical alerts per team whose
 * cards the engine's own `sendAlert` queues), the request sender, the Slack payload templates and
 * the section of docs/reliability.md the test records.
 */
import { sql } from 'drizzle-orm';
import { sendAlert } from '../../src/alerts/notify/send.ts';
import type { Database } from '../../src/db/client.ts';
import { FAKE_TENANT } from '../fakes/feishu/server.ts';
import type { Section } from './figures.ts';

export type Json = Record<string, unknown>;

export const OUTAGE_MS = 30_000;
export const BEFORE_MS = 5_000;
export const AFTER_MS = 5_000;
/** One inbound request this often, round robin over the kinds below. */
export const STEP_MS = 200;
/** Slack and Feishu both give up on an answer after 3 s. */
export const DEADLINE_MS = 3_000;
/** A request still open after this is a hang (the client gives up here). */
export const HANG_MS = 15_000;
/** Kubernetes' default readiness probe period. */
export const PROBE_PERIOD_MS = 10_000;
export const TEAMS = 8;
export const ALERTS_PER_TEAM = 3;
export const NOTICES = 24;
export const WS = 'acme';
export const ALICE_SLACK = 'U0ALICE01';
export const ALICE_FEISHU = 'ou_alice00000000000000000000000001';
export const feishuDm = (n: number) => `oc_p2p_out${String(n).padStart(24, '0')}`;
export const NOTICE_CHANNEL = 'C0NOTICES1';

export const slackChannel = (t: number) => `C0TEAM${String(t).padStart(4, '0')}`;
export const feishuChat = (t: number) => `oc_team${String(t).padStart(26, '0')}`;


export async function seed(d: Database): Promise<number[]> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale, is_demo) values (${WS}, 'Acme', 'UTC', 'USD', 'en', false)`);
  await d.query(sql`insert into users (workspace_id, id, display_name) values (${WS}, 'alice', 'Alice')`);
  await d.query(sql`insert into role_assignments (workspace_id, user_id, role) values (${WS}, 'alice', 'admin')`);
  await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values
    ('slack', 'T0001', ${ALICE_SLACK}, ${WS}, 'alice'), ('feishu', ${FAKE_TENANT}, ${ALICE_FEISHU}, ${WS}, 'alice')`);
  const ids: number[] = [];
  for (let t = 1; t <= TEAMS; t++) {
    await d.query(sql`insert into teams (workspace_id, id, name) values (${WS}, ${`t${t}`}, ${`Team ${t}`})`);
    await d.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id) values
      ('slack', 'T0001', ${slackChannel(t)}, ${WS}, 'group', ${`t${t}`}), ('feishu', ${FAKE_TENANT}, ${feishuChat(t)}, ${WS}, 'group', ${`t${t}`})`);
    for (let k = 1; k <= ALERTS_PER_TEAM; k++) {
      const [row] = await d.query<{ id: number }>(sql`
        insert into alerts (workspace_id, type, metric_id, scope_key, team_id, status, severity, title, details, value, threshold, opened_at)
        values (${WS}, 'threshold', 'acos', ${`store:s${t}-${k}`}, ${`t${t}`}, 'open', 'critical', ${`ACoS above target · s${t}-${k}`},
          ${JSON.stringify({ reason: 'ACoS 41 % > 30 %', timeZone: 'UTC' })}::jsonb, 0.41, 0.30, now())
        returning id`);
      const id = Number(row!.id);
      ids.push(id);
      // The engine's own path: one push per bound chat of the team, in the alert's transaction.
      await d.db.transaction((tx) =>
        sendAlert(tx, { alertId: id, workspaceId: WS, teamId: `t${t}`, ownerUserIds: [], route: 'group', trial: false, severity: 'critical', quietHours: false, now: new Date() }),
      );
    }
  }
  return ids;
}

export interface Sent {
  kind: 'slash' | 'slack-dm' | 'slack-click' | 'feishu-dm' | 'feishu-click';
  /** What identifies its effect at the fakes or in the database. */
  key: string;
  at: number;
  phase: 'before' | 'outage' | 'after';
  /** A platform redelivery of an earlier request (same event id). */
  replay: boolean;
  status: number;
  ms: number;
  body: string;
}

export async function send(base: string, req: { url: string; headers: Record<string, string>; payload: string }): Promise<{ status: number; ms: number; body: string }> {
  const t = performance.now();
  try {
    const res = await fetch(base + req.url, { method: 'POST', headers: req.headers, body: req.payload, signal: AbortSignal.timeout(HANG_MS) });
    const body = await res.text();
    return { status: res.status, ms: performance.now() - t, body };
  } catch {
    return { status: 0, ms: performance.now() - t, body: '' };
  }
}


export interface Measured {
  during: Sent[];
  ackedDuring: Sent[];
  failedCleanly: Sent[];
  hung: Sent[];
  maxAckMsDuring: number;
  maxAckMs: number;
  readyDownS: number;
  readyUpS: number;
  healthBad: unknown[];
  lost: number;
  dupes: string[];
  inboundRecoveryS: number;
  recoveryS: number;
  restarts: number;
  stillRunning: boolean;
  kinds: Sent['kind'][];
  sent: Sent[];
  downReason: string;
  proxyStats: Record<string, number>;
}

/** The 'outage' section of docs/reliability.md from what the test measured. */
export function outageSection(m: Measured): Section {
  return {
    id: 'outage',
    title: 'Database outage (30 s) during activity',
    method:
      `The service ran as a child process on a fresh Postgres database reached through a TCP proxy, with Slack (HTTP) and Feishu (webhook) pointed at their fakes. ` +
      `A signed inbound request every ${STEP_MS} ms (Slack /kpi commands and DMs, Feishu DMs, Acknowledge clicks on alert cards the outbox had delivered on both platforms, and platform redeliveries of a third of the DMs and of every Feishu click) ` +
      `ran ${BEFORE_MS / 1000 + 1.5} s before, ${OUTAGE_MS / 1000} s during and ${AFTER_MS / 1000} s after the cut, while the outbox drained ${NOTICES} notices into one Slack channel at 1 msg/s. ` +
      `The cut reset every proxied connection and blackholed new ones (connect succeeds, nothing answers); only the proxy's connections were touched. /readyz and /healthz were probed every 250 ms.`,
    figures: [
      { name: 'outage length', value: OUTAGE_MS / 1000, unit: 's', kind: 'fault' },
      { name: 'inbound requests during the outage', value: m.during.length, kind: 'load' },
      { name: 'acked (2xx) during the outage', value: m.ackedDuring.length },
      { name: 'failed cleanly (5xx, platform retries) during the outage', value: m.failedCleanly.length },
      { name: 'hung (no answer within 3 s)', value: m.hung.length, limit: '= 0', ok: m.hung.length === 0 },
      { name: 'max ack latency during the outage', value: Math.round(m.maxAckMsDuring), unit: 'ms', limit: `< ${DEADLINE_MS} ms`, ok: m.maxAckMsDuring < DEADLINE_MS },
      { name: 'max ack latency, whole run', value: Math.round(m.maxAckMs), unit: 'ms', limit: `< ${DEADLINE_MS} ms`, ok: m.maxAckMs < DEADLINE_MS },
      { name: '/readyz 503 after the cut', value: Number(m.readyDownS.toFixed(1)), unit: 's', limit: `≤ ${PROBE_PERIOD_MS / 1000} s`, ok: m.readyDownS * 1000 <= PROBE_PERIOD_MS },
      { name: '/readyz 200 after the restore', value: Number(m.readyUpS.toFixed(1)), unit: 's', limit: `≤ ${PROBE_PERIOD_MS / 1000} s`, ok: m.readyUpS * 1000 <= PROBE_PERIOD_MS },
      { name: '/healthz answers other than 200', value: m.healthBad.length, limit: '= 0', ok: m.healthBad.length === 0 },
      { name: 'events lost', value: m.lost, kind: 'lost', limit: '= 0', ok: m.lost === 0 },
      { name: 'events duplicated', value: m.dupes.length, kind: 'duplicated', limit: '= 0', ok: m.dupes.length === 0 },
      { name: 'recovery: restore → every held inbound event handled', value: Number(m.inboundRecoveryS.toFixed(1)), unit: 's' },
      { name: 'recovery: restore → outbox drained (Slack 1 msg/s per channel)', value: Number(m.recoveryS.toFixed(1)), unit: 's' },
      { name: 'restart needed', value: m.restarts === 0 && m.stillRunning ? 'no' : 'yes', kind: 'fault', limit: 'no', ok: m.restarts === 0 && m.stillRunning },
    ],
    tables: [
      {
        title: 'Requests by kind',
        columns: ['kind', 'sent', 'during outage', '2xx', '5xx', 'max ms'],
        rows: m.kinds
          .filter((k, i) => m.kinds.indexOf(k) === i)
          .map((k) => {
            const xs = m.sent.filter((x) => x.kind === k);
            return [k, xs.length, xs.filter((x) => x.phase === 'outage').length, xs.filter((x) => x.status >= 200 && x.status < 300).length, xs.filter((x) => x.status >= 500).length, Math.round(Math.max(0, ...xs.map((x) => x.ms)))];
          }),
      },
    ],
    notes: [`/readyz reason during the outage: ${m.downReason}`, `Proxy: ${JSON.stringify(m.proxyStats)}`],
  };
}

export const slashFixture: Json = {
  token: 'XXYYZZverificationtoken',
  team_id: 'T0001',
  team_domain: 'linkstar-demo',
  channel_id: 'C0TEAM0001',
  channel_name: 'team',
  user_id: ALICE_SLACK,
  user_name: 'alice',
  command: '/kpi',
  text: 'help',
  api_app_id: 'A0KPIBOT1',
  is_enterprise_install: 'false',
};

export const slackDmFixture: Json = {
  token: 'XXYYZZverificationtoken',
  team_id: 'T0001',
  api_app_id: 'A0KPIBOT1',
  event: { type: 'message', text: 'help', user: ALICE_SLACK, ts: '1700000200.000300', team: 'T0001', channel: 'D0ALICE01', event_ts: '1700000200.000300', channel_type: 'im' },
  type: 'event_callback',
  event_id: 'Ev0DIRECT01',
  event_time: 1700000200,
  authorizations: [{ enterprise_id: null, team_id: 'T0001', user_id: 'UBOT0001', is_bot: true, is_enterprise_install: false }],
  is_ext_shared_channel: false,
};
