/**
 * The env that points a service child process at the Slack (HTTP mode) and Feishu (webhook)
 * fakes with their harness secrets, for the reliability tests that start the real server.
 */
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack/harness.ts';
import type { FakeSlack } from '../fakes/slack/server.ts';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from '../fakes/feishu/harness.ts';
import type { FakeFeishu } from '../fakes/feishu/server.ts';

export function fakePlatformEnv(slack: FakeSlack, feishu: FakeFeishu): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    FEISHU_APP_ID: feishu.appId,
    FEISHU_APP_SECRET: feishu.appSecret,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_DOMAIN: feishu.origin,
    FEISHU_MODE: 'webhook',
  };
}
