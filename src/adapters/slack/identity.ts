/**
 * Who the app is (auth.test, once, cached) and who the people writing to it are (users.info,
 * cached): guests and Slack Connect users are marked external, so the bot refuses them politely.
 * Bolt would call auth.test in its constructor (and retry for 30 min against a dead API); we
 * look it up in the background and never hold an ack for it (platforms.md §1 f).
 */
import type { Logger } from 'pino';
import { isAdapterError } from '../../bot/errors.ts';
import type { InboundEvent } from '../../bot/events.ts';
import type { SlackClient } from './client.ts';
import type { SlackIdentity } from './normalize.ts';

/** A failed auth.test is tried again at most this often. */
const AUTH_RETRY_MS = 30_000;
/** Guest status rarely changes; a demoted guest is refused within this long. */
export const USER_CACHE_MS = 10 * 60_000;
const USER_CACHE_MAX = 10_000;

export interface AppIdentity {
  /** What is known now, possibly nothing yet. */
  current(): SlackIdentity;
  /** Waits up to `waitMs` for auth.test, then answers with what is known. */
  get(waitMs: number): Promise<SlackIdentity>;
}

export function createAppIdentity(client: SlackClient, logger: Logger): AppIdentity {
  let known: SlackIdentity | undefined;
  let pending: Promise<void> | undefined;
  let lastTry = -Infinity;

  function refresh(): Promise<void> | undefined {
    if (known || pending || Date.now() - lastTry < AUTH_RETRY_MS) return pending;
    lastTry = Date.now();
    pending = client
      .authTest()
      .then((r) => {
        known = { botUserId: r.userId, botId: r.botId, teamId: r.teamId };
      })
      .catch((err: unknown) => {
        logger.warn({ code: isAdapterError(err) ? err.code : 'unknown' }, 'slack: auth.test failed; will try again');
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }
  refresh();

  return {
    current: () => known ?? {},
    async get(waitMs) {
      const p = refresh();
      if (p && !known) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([p, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
        clearTimeout(timer);
      }
      return known ?? {};
    },
  };
}

/**
 * Marks guests (`is_restricted`, `is_ultra_restricted`), strangers and people of another
 * workspace as external. Fails closed: when Slack cannot say who someone is, they get the polite
 * refusal rather than data (a retry a moment later asks again; failures are not cached).
 */
export function createUserDirectory(client: SlackClient, logger: Logger, now: () => number = Date.now) {
  const cache = new Map<string, { external: boolean; at: number }>();

  async function isExternal(userId: string, tenant: string): Promise<boolean> {
    const hit = cache.get(userId);
    if (hit && now() - hit.at < USER_CACHE_MS) return hit.external;
    try {
      const u = await client.userInfo(userId);
      const external = u.guest || u.stranger || (u.teamId !== undefined && u.teamId !== tenant);
      if (cache.size >= USER_CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(userId, { external, at: now() });
      return external;
    } catch (err) {
      logger.warn({ code: isAdapterError(err) ? err.code : 'unknown', user: userId }, 'slack: users.info failed; treating the person as external');
      return true;
    }
  }

  return {
    async enrich(e: InboundEvent): Promise<InboundEvent> {
      if (e.user.isExternal || e.user.isBot) return e;
      if (!(await isExternal(e.user.id, e.conversation.tenantKey))) return e;
      return { ...e, user: { ...e.user, isExternal: true } };
    },
  };
}
