/**
 * E facts (glossary §2.2, §1.5): what each person did on a working day in Shenzhen, keyed by
 * `user:date:type:n` so re-seeding never duplicates an event. Volumes follow the position
 * (运营 edit listings, 投手 tune ad groups, 客服 answer threads, 内容 contacts creators) and the
 * Chinese working calendar: nothing on Sundays and holidays, a light Saturday, full 调休 days.
 * Events of one kind never share a user-object-hour, so the per-hour dedup counts them all.
 */
import { adGroupsFor, brandGroups } from './ads-facts.ts';
import { cnWorkShare } from './cn-holidays.ts';
import { AFFILIATES, CONTENT_STORE, itemsPublishedOn, readyAt, publishedAt } from './content-facts.ts';
import { fromDay, zonedTime } from './dates.ts';
import type { Listing } from './listings.ts';
import { TEAM_TIMEZONE, USERS, type DemoUser } from './org.ts';
import { streamFor, type Stream } from './random.ts';
import type { Row } from './sales-facts.ts';
import { STORES } from './stores.ts';

/** Daily means on a full working day, by position. */
const PROFILE: Record<string, Partial<Record<'listing_updated' | 'ad_change' | 'cs_reply' | 'neg_review_handled' | 'task_completed' | 'creator_contacted', number>>> = {
  运营: { listing_updated: 3.2, ad_change: 1.2, task_completed: 0.8 },
  投手: { ad_change: 9, task_completed: 0.5 },
  客服: { cs_reply: 28, neg_review_handled: 1.2, task_completed: 0.3 },
  内容: { creator_contacted: 4, listing_updated: 1, task_completed: 0.6 },
  店长: { task_completed: 0.6, ad_change: 0.4 },
  财务: { task_completed: 0.3 },
};

const KIND_SALT: Record<string, number> = {
  listing_updated: 100, ad_change: 200, cs_reply: 300, neg_review_handled: 400, task_completed: 500, creator_contacted: 600,
};

/** Stores whose objects a person works on: owned stores, else the team's. */
function workStores(u: DemoUser, teamStores: Map<string, string[]>): string[] {
  const owned = u.owns.filter((o) => !o.includes(':'));
  if (owned.length > 0) return owned;
  if (u.position === '投手') return ['us-main', 'us-outlet', 'walmart-us', 'shopify-dtc'];
  return teamStores.get(u.team) ?? [];
}

/** Everything an activity day needs to know about the catalogue. */
export interface ActivityContext {
  ws: string;
  seed: number;
  /** Listings on sale in a store on a day. */
  onSale: (storeId: string, day: number) => Listing[];
  teamStores: Map<string, string[]>;
}

function event(ctx: ActivityContext, u: DemoUser, day: number, type: string, n: number, hour: number, minute: number, extra: Row): Row {
  return {
    workspace_id: ctx.ws, event_id: `${u.id}:${fromDay(day)}:${type}:${n}`,
    occurred_at: zonedTime(fromDay(day), hour, minute, TEAM_TIMEZONE), user_id: u.id, team_id: u.team, event_type: type,
    store_id: null, sku_id: null, ad_group_id: null, creator_id: null, task_id: null, value: null, due_at: null, completed_at: null,
    event_source: 'platform_log', source: 'demo', ...extra,
  };
}

function userDay(ctx: ActivityContext, u: DemoUser, s: Stream, day: number): Row[] {
  const rows: Row[] = [];
  const share = u.position === '客服' ? Math.max(0.5, cnWorkShare(day)) : cnWorkShare(day);
  if (share === 0) return rows;
  const stores = workStores(u, ctx.teamStores);
  const listings = stores.flatMap((st) => ctx.onSale(st, day));
  for (const [type, mean] of Object.entries(PROFILE[u.position ?? ''] ?? {})) {
    const salt = KIND_SALT[type]!;
    const n = s.poisson(mean * share, day, salt);
    const firstHour = s.int(0, 9, day, salt + 1);
    for (let i = 0; i < n; i++) {
      // Ten distinct working hours per kind and day keep user-object-hour keys unique.
      const hour = 9 + ((firstHour + i) % 10);
      const minute = s.int(0, 59, day, salt + 2 + i);
      const pick = <T>(xs: T[]) => (xs.length > 0 ? s.pick(xs, day, salt + 50 + i) : undefined);
      if (type === 'listing_updated') {
        const l = pick(listings);
        if (l) rows.push(event(ctx, u, day, type, i, hour, minute, { store_id: l.store, sku_id: l.sku }));
      } else if (type === 'ad_change') {
        const l = pick(listings);
        const g = l ? pick([...adGroupsFor(l), ...brandGroups(l.store)]) : undefined;
        if (l && g) rows.push(event(ctx, u, day, type, i, hour, minute, { store_id: l.store, sku_id: g.skus ? l.sku : null, ad_group_id: g.id }));
      } else if (type === 'cs_reply' || type === 'neg_review_handled') {
        const store = pick(stores);
        const value = type === 'cs_reply' ? Math.round(30 + 200 * s.u(day, salt + 80 + i)) : null;
        rows.push(event(ctx, u, day, type, i, hour, minute, { store_id: store ?? null, value: value === null ? null : String(value) }));
      } else if (type === 'creator_contacted') {
        rows.push(event(ctx, u, day, type, i, hour, minute, { creator_id: pick(AFFILIATES) ?? null, event_source: 'manual' }));
      } else if (type === 'task_completed') {
        // 85 % on time: due on the day or up to 3 days later; the rest 1–2 days overdue.
        const onTime = s.chance(0.85, day, salt + 90 + i);
        const dueDay = day + (onTime ? s.int(0, 3, day, salt + 95 + i) : -s.int(1, 2, day, salt + 95 + i));
        const e = event(ctx, u, day, type, i, hour, minute, { store_id: pick(stores) ?? null, task_id: `T-${u.id}-${fromDay(day).replaceAll('-', '')}-${i}`, event_source: 'bot' });
        e.completed_at = e.occurred_at;
        e.due_at = zonedTime(fromDay(dueDay), 18, 30, TEAM_TIMEZONE);
        rows.push(e);
      }
    }
  }
  return rows;
}

/** Launch and content events fall on the day they happen, whoever's working calendar it is. */
function milestoneEvents(ctx: ActivityContext, day: number): Row[] {
  const rows: Row[] = [];
  for (const st of STORES) {
    for (const l of ctx.onSale(st.id, day)) {
      if (l.launch !== day) continue;
      const owner = USERS.find((u) => u.owns.includes(l.store))!;
      rows.push(event(ctx, owner, day, 'listing_created', 0, 10, 30, { store_id: l.store, sku_id: l.sku }));
    }
  }
  const jack = USERS.find((u) => u.position === '内容')!;
  const onSaleTk = (d: number) => ctx.onSale(CONTENT_STORE, d);
  // A video is ready on its ready day (team time) and published on the US evening before this day.
  for (let p = day + 1; p <= day + 6; p++) {
    for (const item of itemsPublishedOn(ctx.seed, p, onSaleTk)) {
      if (item.ready !== day) continue;
      const at = readyAt(item);
      rows.push({ ...event(ctx, jack, day, 'content_ready', 0, 16, 0, { store_id: CONTENT_STORE, creator_id: item.creator }), event_id: `content_ready:${item.id}`, occurred_at: at });
    }
  }
  for (const item of itemsPublishedOn(ctx.seed, day - 1, onSaleTk)) {
    rows.push({
      ...event(ctx, jack, day, 'content_published', 0, 10, 0, { store_id: CONTENT_STORE, creator_id: item.creator }),
      event_id: `content_published:${item.id}`, occurred_at: publishedAt(item.published),
    });
  }
  return rows;
}

/** All team events of one team-local day. */
export function activityRows(ctx: ActivityContext, day: number): Row[] {
  const rows = milestoneEvents(ctx, day);
  for (const u of USERS) rows.push(...userDay(ctx, u, streamFor(ctx.seed, `user:${u.id}`), day));
  return rows;
}
