/**
 * Slack SDKs log through their own Logger interface (console by default); this routes them into
 * our pino logger instead. Their info-level chatter goes to debug. Bolt only logs request bodies
 * in developerMode, which we never turn on, and the Web API client redacts tokens itself.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

export function slackLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const text = (m: unknown[]) => m.map((x) => (x instanceof Error ? x.message : String(x))).join(' ');
  return {
    debug: (...m) => log.debug(text(m)),
    info: (...m) => log.debug(text(m)),
    warn: (...m) => log.warn(text(m)),
    error: (...m) => log.error(text(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
