/**
 * The load generator of tests/reliability/load.test.ts, forked as its own process so it shares
 * neither the service's event loop nor the fakes' (the test process hosts the fake platforms).
 * Open loop, as bench/ingress.bench.ts: request i is due at its scheduled time whatever happened
 * to earlier ones, and its latency is measured from that time (no coordinated omission). Each
 * request is a signed Slack `/kpi` slash command from one of many people in one of their channels.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface LoadPerson {
  userId: string;
  userName: string;
  channels: { id: string; name: string }[];
}

export interface LoadPlan {
  url: string;
  signingSecret: string;
  teamId: string;
  seconds: number;
  /** Requests per second in second `s` of each minute: `burstRate` in the last `burstSeconds`. */
  baseRate: number;
  burstRate: number;
  burstSeconds: number;
  people: LoadPerson[];
  questions: string[];
  /** Live response_urls on the fake Slack: `${responseOrigin}/response/${firstResponseId + i}`. */
  responseOrigin: string;
  firstResponseId: number;
}

/** What one minute of the window saw (by scheduled send time). */
export interface MinuteReport {
  minute: number;
  requests: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  /** Ack latencies of this minute, sorted ascending (ms). */
  latencies: number[];
}

export type GeneratorMessage = { type: 'minute'; report: MinuteReport } | { type: 'done'; minutes: MinuteReport[]; sent: number; scheduleSlipMs: number };

const rateAt = (p: LoadPlan, second: number) => (second % 60 >= 60 - p.burstSeconds ? p.burstRate : p.baseRate);

/** Every request's due time (ms after start), second by second. */
export function schedule(p: LoadPlan): number[] {
  const due: number[] = [];
  for (let s = 0; s < p.seconds; s++) {
    const r = rateAt(p, s);
    for (let k = 0; k < r; k++) due.push(s * 1000 + (k * 1000) / r);
  }
  return due;
}

function slashCommand(p: LoadPlan, i: number): { body: string; headers: Record<string, string> } {
  // A stride coprime with the sizes spreads people over channels and questions.
  const person = p.people[(i * 7) % p.people.length]!;
  const channel = person.channels[Math.floor(i / p.people.length) % person.channels.length]!;
  const body = new URLSearchParams({
    token: 'x', team_id: p.teamId, team_domain: 'load', channel_id: channel.id, channel_name: channel.name,
    user_id: person.userId, user_name: person.userName, command: '/kpi', text: p.questions[(i * 5) % p.questions.length]!,
    api_app_id: 'A0LOAD', is_enterprise_install: 'false', response_url: `${p.responseOrigin}/response/${p.firstResponseId + i}`,
    trigger_id: `load.${i}.${Date.now()}`,
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', p.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig, 'content-length': String(Buffer.byteLength(body)) } };
}

export async function runLoad(p: LoadPlan, onMinute: (r: MinuteReport) => void): Promise<{ minutes: MinuteReport[]; sent: number; scheduleSlipMs: number }> {
  const target = new URL('/slack/events', p.url);
  // Slack opens many connections; a small pool would queue requests in this process instead.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const due = schedule(p);
  const minutes: MinuteReport[] = Array.from({ length: Math.ceil(p.seconds / 60) }, (_, minute) => ({ minute, requests: 0, ok: 0, errors: 0, statuses: {}, latencies: [] }));
  const open = minutes.map(() => 0);
  const sentUpTo = minutes.map(() => false);
  let scheduleSlipMs = 0;
  const settle = (m: number) => {
    if (sentUpTo[m] && open[m] === 0) {
      minutes[m]!.latencies.sort((a, b) => a - b);
      onMinute(minutes[m]!);
      sentUpTo[m] = false;
    }
  };
  const start = performance.now() + 50;
  let next = 0;
  while (next < due.length) {
    const now = performance.now();
    while (next < due.length && start + due[next]! <= now) {
      const i = next++;
      const at = start + due[i]!;
      scheduleSlipMs = Math.max(scheduleSlipMs, now - at);
      const m = Math.floor(due[i]! / 60_000);
      const report = minutes[m]!;
      report.requests++;
      open[m]!++;
      const { body, headers } = slashCommand(p, i);
      const finish = (status: string) => {
        report.statuses[status] = (report.statuses[status] ?? 0) + 1;
        if (status === '200') {
          report.ok++;
          report.latencies.push(performance.now() - at);
        } else report.errors++;
        open[m]!--;
        settle(m);
      };
      const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => finish(String(res.statusCode)));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => finish(err.message === 'timeout' ? 'timeout' : 'network'));
      req.end(body);
      if (i + 1 === due.length || Math.floor(due[i + 1]! / 60_000) !== m) {
        sentUpTo[m] = true;
        settle(m);
      }
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  while (open.some((n) => n > 0)) await new Promise((r) => setTimeout(r, 20));
  agent.destroy();
  return { minutes, sent: due.length, scheduleSlipMs };
}

// Forked by the test: one plan in, per-minute reports and a final summary out.
if (process.send && process.argv.includes('--load-generator')) {
  process.once('message', (plan: LoadPlan) => {
    void runLoad(plan, (report) => process.send!({ type: 'minute', report: { ...report, latencies: [] } } satisfies GeneratorMessage)).then((r) => {
      process.send!({ type: 'done', ...r } satisfies GeneratorMessage, () => process.exit(0));
    });
  });
}
