/**
 * Issue #33 item 4: a 30 s database outage during activity. The real service runs as a child
 * process on a fresh Postgres database reached through a TCP proxy this test controls
 * (tcp-proxy.ts), with Slack (HTTP mode) and Feishu (webhook) pointed at their fakes. A steady
 * stream of signed inbound requests (slash commands, DMs on both platforms, Acknowledge clicks on
 * alert cards delivered by the outbox, and platform redeliveries of some of them) runs before,
 * during and after the cut, while the outbox drains a burst of notices. Held: every request is
 * answered within the platform deadline (3 s) — a 2xx, or a 5xx the platform retries — none
 * hangs; every request that got a 2xx is processed once after recovery (answers at the fakes,
 * acks recorded), redeliveries are dropped; `/readyz` reports the outage with a database reason
 * and recovers, `/healthz` stays 200; the same process recovers (no restart) and the outbox drains.
 * Only the proxy's connections are cut: no other Postgres backend is touched.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueDelivery, PRIORITY } from '../../src/bot/outbox/enqueue.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createPostgresDatabase, dropCreatedDatabases } from '../helpers/db.ts';
import { startServer, type StartedServer } from '../helpers/processes.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack/harness.ts';
import { fakePlatformEnv } from './platform-env.ts';
import { clickPayload as slackClick } from '../fakes/slack/click.ts';
import { slackRequest } from '../fakes/slack/requests.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { ENCRYPT_KEY } from '../fakes/feishu/harness.ts';
import { clickPayload as feishuClick, feishuRequest, fixture as feishuFixture } from '../fakes/feishu/requests.ts';
import { FAKE_TENANT, startFakeFeishu, type FakeFeishu } from '../fakes/feishu/server.ts';
import { RELIABILITY_DIR, recordSection } from './figures.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import {
  AFTER_MS, ALERTS_PER_TEAM, ALICE_FEISHU, ALICE_SLACK, BEFORE_MS, DEADLINE_MS, HANG_MS, NOTICE_CHANNEL, NOTICES, OUTAGE_MS, PROBE_PERIOD_MS, STEP_MS, TEAMS, WS,
  feishuDm, outageSection, seed, send, slackChannel, slackDmFixture, slashFixture, type Json, type Sent,
} from './outage-world.ts';

afterAll(dropCreatedDatabases);

describe('database outage', () => {
  it('keeps answering inbound requests through a 30 s cut, loses and duplicates nothing, and recovers without a restart', { timeout: 300_000 }, async () => {
    const started = performance.now();
    const directUrl = await createPostgresDatabase();
    const d = await openDatabase({ url: directUrl, poolSize: 4, applicationName: 'kpibot-outage-test' });
    const dataDir = mkdtempSync(join(tmpdir(), 'kpibot-outage-'));
    let server: StartedServer | undefined;
    let proxy: TcpProxy | undefined;
    let slack: FakeSlack | undefined;
    let feishu: FakeFeishu | undefined;
    try {
      await d.migrate();
      const alertIds = await seed(d);
      for (let n = 1; n <= NOTICES; n++) {
        await enqueueDelivery(d.db, {
          workspaceId: WS,
          target: { platform: 'slack', tenantKey: 'T0001', chatId: NOTICE_CHANNEL, kind: 'group' },
          message: { kind: 'text', markdown: `notice-${n}` },
          priority: PRIORITY.notice,
        });
      }
      // The notices wait until just before the cut, so the outbox is mid-drain when it comes.
      await d.query(sql`update deliveries set next_attempt_at = now() + interval '1 hour' where target->>'chatId' = ${NOTICE_CHANNEL}`);

      const db = new URL(directUrl);
      proxy = await startTcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
      slack = await startFakeSlack({ botToken: BOT_TOKEN });
      feishu = await startFakeFeishu();
      server = await startServer({
        DATABASE_URL: proxy.rewrite(directUrl),
        DATA_DIR: dataDir,
        DEMO: 'off',
        DEFAULT_LOCALE: 'en',
        DEFAULT_TIMEZONE: 'UTC',
        ...fakePlatformEnv(slack, feishu),
      }, 150_000);
      const base = server.url.replace('localhost', '127.0.0.1');
      const pid = server.child.pid;
      const s = slack;
      const f = feishu;
      const px = proxy;

      // The outbox delivers every alert card (one copy per team chat on each platform).
      const deadline = Date.now() + 30_000;
      const copies = () => d.query<{ id: string; platform: string; chat: string; ts: string }>(sql`
        select source_id as id, platform, target->>'chatId' as chat, message_ref->>'messageId' as ts from deliveries
        where source_type = 'alert' and kind = 'push' and state = 'sent'`);
      let sentCopies = await copies();
      while (sentCopies.length < alertIds.length * 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        sentCopies = await copies();
      }
      expect(sentCopies).toHaveLength(alertIds.length * 2);
      const slackCopy = new Map(sentCopies.filter((c) => c.platform === 'slack').map((c) => [Number(c.id), c]));
      const feishuCopy = new Map(sentCopies.filter((c) => c.platform === 'feishu').map((c) => [Number(c.id), c]));

      // Probes: /readyz and /healthz every 250 ms for the whole run.
      const probes: { at: number; path: string; status: number; ms: number; body: string }[] = [];
      let probing = true;
      const probeLoop = (async () => {
        while (probing) {
          for (const path of ['/readyz', '/healthz']) {
            const t = performance.now();
            let status = 0;
            let body = '';
            try {
              const res = await fetch(base + path, { signal: AbortSignal.timeout(HANG_MS) });
              status = res.status;
              body = await res.text();
            } catch {
              status = 0;
            }
            probes.push({ at: t, path, status, ms: performance.now() - t, body });
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      })();

      // The stream: one request every STEP_MS; clicks take the next unclicked alert of their platform.
      const sent: Sent[] = [];
      const inflight: Promise<void>[] = [];
      const slackClickable = alertIds.filter((_, i) => i % 2 === 0);
      const feishuClickable = alertIds.filter((_, i) => i % 2 === 1);
      const clickedOn = new Map<number, 'slack' | 'feishu'>();
      const replays: { kind: Sent['kind']; key: string; req: () => ReturnType<typeof slackRequest> | ReturnType<typeof feishuRequest> }[] = [];
      let phase: Sent['phase'] = 'before';
      let cutAt = 0;
      let restoredAt = 0;
      let n = 0;
      const kinds: Sent['kind'][] = ['slash', 'slack-dm', 'feishu-dm', 'slack-click', 'slash', 'slack-dm', 'feishu-dm', 'feishu-click'];

      function fire(kind: Sent['kind'], key: string, req: { url: string; headers: Record<string, string>; payload: string }, replay: boolean): void {
        const at = performance.now();
        const p = phase;
        inflight.push(
          send(base, req).then((r) => {
            sent.push({ kind, key, at, phase: p, replay, ...r });
          }),
        );
      }

      function next(): void {
        n++;
        const kind = kinds[n % kinds.length]!;
        if (kind === 'slash') {
          const url = s.responseUrl();
          // A different person each time: one person this fast would meet the per-person flood limit (user-rate.ts).
          const payload = { ...slashTemplate, text: 'help', user_id: `U0OUT${n}`, user_name: `out${n}`, channel_id: slackChannel(1 + (n % TEAMS)), trigger_id: `trigger-${n}`, response_url: url };
          fire(kind, url.split('/').pop()!, slackRequest(SIGNING_SECRET, payload), false);
        } else if (kind === 'slack-dm') {
          const body = structuredClone(slackDmTemplate);
          body.event_id = `Ev0OUT${n}`;
          const event = body.event as Json;
          Object.assign(event, { text: 'help', user: `U0OUT${n}`, channel: `D0OUT${n}`, ts: `1700001000.${String(n).padStart(6, '0')}`, event_ts: `1700001000.${String(n).padStart(6, '0')}`, client_msg_id: `msg-${n}` });
          fire(kind, `D0OUT${n}`, slackRequest(SIGNING_SECRET, body), false);
          // Every third one is redelivered a moment later, as Slack does after an http_timeout.
          if (n % 3 === 0) replays.push({ kind, key: `D0OUT${n}`, req: () => slackRequest(SIGNING_SECRET, body, { retryNum: 1 }) });
        } else if (kind === 'feishu-dm') {
          const body = structuredClone(feishuDmTemplate);
          (body.header as Json).event_id = `ev_out_${n}`;
          const message = (body.event as Json).message as Json;
          // One DM chat per message, so Feishu's 5/s per chat limit never defers an answer.
          const sender = (body.event as Json).sender as Json;
          sender.sender_id = { union_id: `on_out${n}`, user_id: `out${n}`, open_id: `ou_out${String(n).padStart(29, '0')}` };
          Object.assign(message, { message_id: `om_out_${n}`, chat_id: feishuDm(n), content: JSON.stringify({ text: 'help' }) });
          f.messages.push({ messageId: `om_out_${n}`, chatId: feishuDm(n), card: {}, edits: 0 });
          fire(kind, feishuDm(n), feishuRequest(body, { encryptKey: ENCRYPT_KEY }), false);
          if (n % 3 === 0) replays.push({ kind, key: feishuDm(n), req: () => feishuRequest(body, { encryptKey: ENCRYPT_KEY }) });
        } else if (kind === 'slack-click') {
          const id = slackClickable.shift();
          if (id === undefined) return;
          const copy = slackCopy.get(id)!;
          const msg = s.messages.find((m) => m.channel === copy.chat && m.ts === copy.ts)!;
          clickedOn.set(id, 'slack');
          fire(kind, String(id), slackRequest(SIGNING_SECRET, slackClick(structuredClone(msg), 'alert.ack', s.responseUrl(), ALICE_SLACK)), false);
        } else {
          const id = feishuClickable.shift();
          if (id === undefined) return;
          const copy = feishuCopy.get(id)!;
          const msg = f.messages.find((m) => m.messageId === copy.ts)!;
          clickedOn.set(id, 'feishu');
          const click = feishuClick({ chatId: copy.chat, messageId: copy.ts, card: structuredClone(msg.card) }, 'alert.ack', ALICE_FEISHU, FAKE_TENANT);
          fire(kind, String(id), feishuRequest(click, { encryptKey: ENCRYPT_KEY }), false);
          replays.push({ kind, key: String(id), req: () => feishuRequest(click, { encryptKey: ENCRYPT_KEY }) });
        }
        // Redeliveries come about a second after the original.
        if (replays.length > 0 && n % 2 === 0) {
          const r = replays.shift()!;
          fire(r.kind, r.key, r.req(), true);
        }
      }

      const slashTemplate = { ...slashFixture };
      const slackDmTemplate = slackDmFixture;
      const feishuDmTemplate = feishuFixture('direct-message');

      async function stream(ms: number): Promise<void> {
        const end = performance.now() + ms;
        while (performance.now() < end) {
          next();
          await new Promise((r) => setTimeout(r, STEP_MS));
        }
      }

      await stream(BEFORE_MS);
      // The notice burst becomes due: one channel at Slack's 1 msg/s, so it spans the cut.
      await d.query(sql`update deliveries set next_attempt_at = now() where target->>'chatId' = ${NOTICE_CHANNEL}`);
      await stream(1_500);
      phase = 'outage';
      cutAt = performance.now();
      px.cut('blackhole');
      await stream(OUTAGE_MS);
      px.restore();
      restoredAt = performance.now();
      phase = 'after';
      await stream(AFTER_MS);
      while (replays.length) {
        const r = replays.shift()!;
        fire(r.kind, r.key, r.req(), true);
      }
      await Promise.all(inflight);

      // Recovery: every 2xx'd request processed (answer at the fake, ack recorded), outbox drained.
      const accepted = sent.filter((x) => x.status >= 200 && x.status < 300);
      const retriedByPlatform = sent.filter((x) => x.status >= 500 && (x.kind === 'slack-dm' || x.kind === 'feishu-dm'));
      async function missing(): Promise<string[]> {
        const out: string[] = [];
        const acked = new Set(
          (await d.query<{ id: number }>(sql`select id from alerts where workspace_id = ${WS} and status = 'acknowledged' and acknowledged_by = 'alice'`)).map((r) => Number(r.id)),
        );
        const pending = await d.query<{ n: number }>(sql`select count(*)::int as n from deliveries where state in ('pending', 'sending')`);
        for (const x of [...accepted, ...retriedByPlatform]) {
          if (x.kind === 'slash' && !s.responses.some((r) => r.id === x.key)) out.push(`${x.kind} ${x.key}`);
          if (x.kind === 'slack-dm' && !s.messages.some((m) => m.channel === x.key)) out.push(`${x.kind} ${x.key}`);
          // A quoted reply, or (deferred by a rate limit to the outbox) a plain message in that DM.
          if (x.kind === 'feishu-dm' && !f.messages.some((m) => m.chatId === x.key && !m.messageId.startsWith('om_out_'))) out.push(`${x.kind} ${x.key}`);
          if ((x.kind === 'slack-click' || x.kind === 'feishu-click') && !acked.has(Number(x.key))) out.push(`${x.kind} ${x.key}`);
        }
        if (Number(pending[0]!.n) > 0) out.push(`${pending[0]!.n} deliveries not sent yet`);
        return [...new Set(out)];
      }
      let inboundDoneAt = 0;
      let left = await missing();
      const recoveryDeadline = Date.now() + 60_000;
      while (left.length > 0 && Date.now() < recoveryDeadline) {
        if (!inboundDoneAt && left.every((x) => x.endsWith('not sent yet'))) inboundDoneAt = performance.now();
        await new Promise((r) => setTimeout(r, 250));
        left = await missing();
      }
      const recoveredAt = performance.now();
      inboundDoneAt ||= recoveredAt;
      probing = false;
      await probeLoop;

      // ---- measurements ----
      const during = sent.filter((x) => x.phase === 'outage');
      const answered = (x: Sent) => x.status !== 0 && x.ms < DEADLINE_MS;
      const hung = sent.filter((x) => !answered(x));
      const ackedDuring = during.filter((x) => x.status >= 200 && x.status < 300);
      const failedCleanly = during.filter((x) => x.status >= 500 && x.ms < DEADLINE_MS);
      const maxAckMsDuring = Math.max(0, ...during.map((x) => x.ms));
      const maxAckMs = Math.max(0, ...sent.map((x) => x.ms));
      const otherStatus = sent.filter((x) => x.status !== 0 && !(x.status >= 200 && x.status < 300) && x.status < 500);

      const ready = probes.filter((p) => p.path === '/readyz');
      const firstDown = ready.find((p) => p.at >= cutAt && p.status === 503);
      const firstUpAgain = ready.find((p) => p.at >= restoredAt && p.status === 200);
      const downReason = firstDown ? (JSON.parse(firstDown.body) as { reasons: string[] }).reasons.join('; ') : '';
      const health = probes.filter((p) => p.path === '/healthz');
      const healthBad = health.filter((p) => p.status !== 200 || p.ms >= DEADLINE_MS);
      const readyHung = ready.filter((p) => p.status === 0 || p.ms >= DEADLINE_MS);

      // Duplicates: per answered event, per notice, per alert copy; acks once per alert.
      const countBy = <T,>(xs: T[], k: (x: T) => string) => xs.reduce((m, x) => m.set(k(x), (m.get(k(x)) ?? 0) + 1), new Map<string, number>());
      const slackPosts = countBy(s.messages, (m) => m.channel);
      const responses = countBy(s.responses, (r) => r.id);
      const feishuReplies = countBy(f.messages.filter((m) => m.chatId.startsWith('oc_p2p_out') && !m.messageId.startsWith('om_out_')), (m) => m.chatId);
      const noticeTexts = countBy(s.messages.filter((m) => m.channel === NOTICE_CHANNEL), (m) => m.text);
      const dupes: string[] = [];
      for (const [k, c] of slackPosts) if (k.startsWith('D0OUT') && c > 1) dupes.push(`slack DM ${k} ×${c}`);
      for (const [k, c] of responses) if (c > 1) dupes.push(`slash response ${k} ×${c}`);
      for (const [k, c] of feishuReplies) if (c > 1) dupes.push(`feishu reply ${k} ×${c}`);
      for (const [k, c] of noticeTexts) if (c > 1) dupes.push(`${k} ×${c}`);
      for (let t = 1; t <= TEAMS; t++) if ((slackPosts.get(slackChannel(t)) ?? 0) > ALERTS_PER_TEAM) dupes.push(`alert cards in ${slackChannel(t)} ×${slackPosts.get(slackChannel(t))}`);
      const noticesMissing = Array.from({ length: NOTICES }, (_, i) => `notice-${i + 1}`).filter((t) => !noticeTexts.has(t));
      // Every acked alert's card is updated on both copies (the Slack copy through chat.update).
      const ackedIds = [...clickedOn.keys()].filter((id) => accepted.some((x) => (x.kind === 'slack-click' || x.kind === 'feishu-click') && x.key === String(id)));
      const staleCards = ackedIds.filter((id) => (s.messages.find((m) => m.ts === slackCopy.get(id)!.ts)?.edits ?? 0) < 1);
      const deliveryStates = await d.query<{ state: string; n: number }>(sql`select state, count(*)::int as n from deliveries group by state order by state`);
      const badDeliveries = deliveryStates.filter((r) => r.state !== 'sent');
      const lost = left.length + noticesMissing.length;
      const stillRunning = server.child.exitCode === null && server.child.pid === pid;
      const restarts = (server.output().match(/kpibot listening on/g) ?? []).length - 1;
      const recoveryS = (recoveredAt - restoredAt) / 1000;
      const inboundRecoveryS = (inboundDoneAt - restoredAt) / 1000;
      const readyDownS = firstDown ? (firstDown.at - cutAt) / 1000 : NaN;
      const readyUpS = firstUpAgain ? (firstUpAgain.at - restoredAt) / 1000 : NaN;
      const fileS = (performance.now() - started) / 1000;

      mkdirSync(RELIABILITY_DIR, { recursive: true });
      const summary = {
        requests: sent.length,
        during: during.length,
        ackedDuring: ackedDuring.length,
        failedCleanly: failedCleanly.length,
        hung: hung.map((x) => `${x.kind} ${x.key} ${x.status} ${Math.round(x.ms)} ms`),
        otherStatus: otherStatus.map((x) => `${x.kind} ${x.key} ${x.status} ${x.body.slice(0, 120)}`),
        maxAckMsDuring: Math.round(maxAckMsDuring),
        left,
        noticesMissing,
        dupes,
        staleCards,
        deliveryStates,
        readyDownS,
        readyUpS,
        downReason,
        healthBad: healthBad.length,
        readyHung: readyHung.length,
        recoveryS,
        inboundRecoveryS,
        proxy: px.stats,
        fileS,
      };
      console.log(JSON.stringify(summary, null, 2));
      // The service's own log, for a failed run (the 429s of the fakes' frequency limits are noise).
      writeFileSync(join(RELIABILITY_DIR, 'outage-server.log'), server.output());

      expect(stillRunning, 'the same process serves throughout').toBe(true);
      expect(restarts).toBe(0);
      expect(hung.map((x) => `${x.kind} ${x.key} ${x.status} ${Math.round(x.ms)} ms`), 'every request answered within 3 s').toEqual([]);
      expect(summary.otherStatus, 'only 2xx acks or clean 5xx failures').toEqual([]);
      expect(during.length).toBeGreaterThan(100);
      expect(left, 'every accepted event processed after recovery').toEqual([]);
      expect(noticesMissing, 'every notice delivered').toEqual([]);
      expect(dupes, 'nothing answered or delivered twice').toEqual([]);
      expect(staleCards, 'every acked alert card updated').toEqual([]);
      expect(badDeliveries, 'the outbox drained with nothing dead or unknown').toEqual([]);
      expect(firstDown, '/readyz turned 503 during the outage').toBeDefined();
      expect(downReason).toMatch(/database/);
      expect(readyDownS * 1000).toBeLessThanOrEqual(PROBE_PERIOD_MS);
      expect(firstUpAgain, '/readyz back to 200 after the outage').toBeDefined();
      expect(readyUpS * 1000).toBeLessThanOrEqual(PROBE_PERIOD_MS);
      expect(readyHung, '/readyz never hangs').toEqual([]);
      expect(healthBad, '/healthz stays 200').toEqual([]);

      recordSection(
        outageSection({ during, ackedDuring, failedCleanly, hung, maxAckMsDuring, maxAckMs, readyDownS, readyUpS, healthBad, lost, dupes, inboundRecoveryS, recoveryS, restarts, stillRunning, kinds, sent, downReason, proxyStats: px.stats }),
        { testFile: 'tests/reliability/db-outage.test.ts' },
      );
    } finally {
      await server?.stop().catch(() => {});
      await proxy?.close();
      await slack?.close();
      await feishu?.close();
      await d.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

