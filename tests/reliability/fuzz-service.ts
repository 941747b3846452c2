/**
 * The service the fuzz tests attack: `src/server.ts` as a child process (startServer) on a fresh
 * Postgres database, with every platform on — Slack, Feishu (webhook) and DingTalk aimed at their
 * fakes — plus PUSH_SECRET, API_TOKEN and the console, so every route exists. The route list
 * comes from the running app itself (fuzz-route-probe.ts, preloaded into the child).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { startFakeFeishu, type FakeFeishu } from '../fakes/feishu/server.ts';
import { startFakeDingTalk, type FakeDingTalk } from '../fakes/dingtalk/server.ts';
import { createPostgresDatabase } from '../helpers/db.ts';
import { startServer, type StartedServer } from '../helpers/processes.ts';
import { ROUTES_LINE, type ProbedRoute } from './fuzz-route-probe.ts';

export const SECRETS = {
  API_TOKEN: 'fuzz-api-token-0123456789abcdef',
  PUSH_SECRET: 'fuzz-push-secret-0123456789abcdef',
  SLACK_SIGNING_SECRET: 'fuzz-slack-signing-secret-0001',
  SLACK_BOT_TOKEN: 'xoxb-fuzz-0001-bot-token',
  FEISHU_VERIFICATION_TOKEN: 'fuzz-feishu-verification-0001',
  FEISHU_ENCRYPT_KEY: 'fuzz-feishu-encrypt-key-0001',
};

export interface FuzzService {
  server: StartedServer;
  url: string;
  pid: number;
  routes: ProbedRoute[];
  /** The service's resident set size in bytes (VmRSS of the child), the service's own memory. */
  rss(): number;
  close(): Promise<void>;
}

const PROBE = join(import.meta.dirname, 'fuzz-route-probe.ts');

export async function startFuzzService(extraEnv: Record<string, string> = {}): Promise<FuzzService> {
  const slack: FakeSlack = await startFakeSlack({ botToken: SECRETS.SLACK_BOT_TOKEN });
  const feishu: FakeFeishu = await startFakeFeishu();
  const dingtalk: FakeDingTalk = await startFakeDingTalk();
  const databaseUrl = await createPostgresDatabase();
  const server = await startServer(
    {
      // The probe is TypeScript, so tsx is loaded before it (the command line loads tsx again, harmlessly).
      NODE_OPTIONS: `--import tsx --import ${PROBE}`,
      DATABASE_URL: databaseUrl,
      DATA_DIR: `/tmp/kpibot-fuzz-${process.pid}`,
      DEFAULT_LOCALE: 'en',
      CONSOLE: 'on',
      API_TOKEN: SECRETS.API_TOKEN,
      PUSH_SECRET: SECRETS.PUSH_SECRET,
      SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      FEISHU_APP_ID: feishu.appId,
      FEISHU_APP_SECRET: feishu.appSecret,
      FEISHU_VERIFICATION_TOKEN: SECRETS.FEISHU_VERIFICATION_TOKEN,
      FEISHU_ENCRYPT_KEY: SECRETS.FEISHU_ENCRYPT_KEY,
      FEISHU_DOMAIN: feishu.origin,
      DINGTALK_CLIENT_ID: dingtalk.clientId,
      DINGTALK_CLIENT_SECRET: dingtalk.clientSecret,
      DINGTALK_API_URL: dingtalk.apiUrl,
      DINGTALK_OAPI_URL: dingtalk.oapiUrl,
      ...extraEnv,
    },
    // Generous: on a shared CI machine the tsx transform and the demo seeding can take minutes.
    240_000,
  );
  const line = server.output().split('\n').find((l) => l.startsWith(ROUTES_LINE));
  if (!line) throw new Error(`the route probe printed nothing:\n${server.output()}`);
  const routes = JSON.parse(line.slice(ROUTES_LINE.length)) as ProbedRoute[];
  const pid = server.child.pid!;
  return {
    server,
    url: server.url,
    pid,
    routes,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024,
    async close() {
      await server.stop();
      await Promise.all([slack.close(), feishu.close(), dingtalk.close()]);
    },
  };
}
