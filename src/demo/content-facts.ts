/**
 * Short videos and lives for the TikTok store (glossary §1.6, §2.2 C). Content is keyed by its
 * publish date (`vid-20261103-2`), so the items of a window are a pure function of the dates:
 * 1–3 videos a day from the shop's own account and affiliate creators, lives on Tuesdays,
 * Thursdays and Saturdays. A video earns views for up to three weeks, decaying day by day;
 * videos that are ready but not yet published at the anchor are the content buffer.
 */
import { fromDay, weekday, zonedTime } from './dates.ts';
import type { Listing } from './listings.ts';
import type { DemoModel } from './model.ts';
import { formatMinor, toMinor } from './money.ts';
import { TEAM_TIMEZONE } from './org.ts';
import { streamFor, type Stream } from './random.ts';
import type { Row } from './sales-facts.ts';
import { storeById } from './stores.ts';

export const CONTENT_STORE = 'tiktok-us';
const OWNER = 'jack';
/** Days a video keeps earning daily rows. */
export const VIDEO_LIFE_DAYS = 21;
/** Latest publish date after the anchor whose video may already be ready (buffer). */
const BUFFER_AHEAD_DAYS = 6;

export const CREATORS = [
  { id: 'tk-own-home', name: 'LinkStar Home 官方号', type: 'own', handle: '@linkstar.home' },
  { id: 'tk-own-live', name: 'LinkStar Live 直播间', type: 'own', handle: '@linkstar.live' },
  { id: 'tk-aff-jess', name: 'Jess | Home Hacks', type: 'affiliate', handle: '@homehacks.jess' },
  { id: 'tk-aff-mike', name: 'Mike Cooks', type: 'affiliate', handle: '@mikecooks' },
  { id: 'tk-aff-amy', name: 'Amy Glow', type: 'affiliate', handle: '@amyglow.beauty' },
  { id: 'tk-aff-dan', name: 'Dan Outdoors', type: 'affiliate', handle: '@dan.outdoors' },
  { id: 'tk-aff-lily', name: 'Lily Finds', type: 'affiliate', handle: '@lilyfinds' },
  { id: 'tk-aff-zoe', name: 'Zoe Style', type: 'affiliate', handle: '@zoestyle' },
] as const;

export const AFFILIATES = CREATORS.filter((c) => c.type === 'affiliate').map((c) => c.id);

export function creatorRows(ws: string): Row[] {
  return CREATORS.map((c) => ({ workspace_id: ws, id: c.id, name: c.name, type: c.type, platform: 'tiktok', handle: c.handle }));
}

/** A video or live as decided by its publish day. */
export interface ContentItem {
  id: string;
  type: 'video' | 'live';
  creator: string;
  published: number;
  ready: number;
  skus: string[];
  s: Stream;
}

const HOOKS = ['这个厨房神器太好用了 kitchen must-have', 'Amazon 爆款平替 TikTok made me buy it', '开箱测评 honest review', '30秒改造 before & after', '宿舍好物 dorm essentials'];

/** Items published on `day` (store-local date of the TikTok store). */
export function itemsPublishedOn(seed: number, day: number, onSale: (day: number) => Listing[]): ContentItem[] {
  const s = streamFor(seed, `content:${day}`);
  const skusFor = (n: number, salt: number) => {
    const pool = onSale(day).map((l) => l.sku);
    const out = new Set<string>();
    for (let i = 0; i < n && pool.length > 0; i++) out.add(s.pick(pool, day, salt + i));
    return [...out];
  };
  const date = fromDay(day).replaceAll('-', '');
  const count = 1 + (s.chance(0.55, day, 1) ? 1 : 0) + (s.chance(0.15, day, 2) ? 1 : 0);
  const items: ContentItem[] = [];
  for (let i = 1; i <= count; i++) {
    const own = s.chance(0.55, day, 10 + i);
    items.push({
      id: `vid-${date}-${i}`, type: 'video', creator: own ? 'tk-own-home' : s.pick(AFFILIATES, day, 20 + i),
      published: day, ready: day - s.int(1, 6, day, 30 + i), skus: skusFor(1 + (s.chance(0.3, day, 40 + i) ? 1 : 0), 50 + i * 5),
      s: streamFor(seed, `content-item:vid-${date}-${i}`),
    });
  }
  if ([2, 4, 6].includes(weekday(day))) {
    items.push({
      id: `live-${date}`, type: 'live', creator: 'tk-own-live', published: day, ready: day - 1, skus: skusFor(4, 90),
      s: streamFor(seed, `content-item:live-${date}`),
    });
  }
  return items;
}

/** When a video or live of `day` went out: 19:00 in the TikTok store's zone. */
export function publishedAt(day: number): Date {
  return zonedTime(fromDay(day), 19, 0, storeById(CONTENT_STORE).timezone);
}

/** When an item was ready to publish: 16:00 team time on its ready day. */
export function readyAt(item: ContentItem): Date {
  return zonedTime(fromDay(item.ready), 16, 0, TEAM_TIMEZONE);
}

/** `content_items` rows of a window: what was published in it (or still earning) and the buffer. */
export function contentItemRows(ws: string, seed: number, from: number, to: number, onSale: (day: number) => Listing[]): Row[] {
  const rows: Row[] = [];
  for (let p = from - VIDEO_LIFE_DAYS + 1; p <= to + BUFFER_AHEAD_DAYS; p++) {
    for (const item of itemsPublishedOn(seed, p, onSale)) {
      const published = p <= to;
      if (!published && item.ready > to) continue;
      const creator = CREATORS.find((c) => c.id === item.creator)!;
      rows.push({
        workspace_id: ws, id: item.id, type: item.type, platform: 'tiktok', title: `${item.s.pick(HOOKS, 0, 1)} · ${item.skus.join(', ')}`,
        url: `https://www.tiktok.com/${creator.handle}/${item.type === 'live' ? 'live' : 'video'}/${7_300_000_000 + item.s.int(0, 99_999_999, 0, 2)}`,
        store_id: CONTENT_STORE, creator_id: item.creator, owner_user_id: OWNER, status: published ? 'published' : 'ready',
        ready_at: readyAt(item), published_at: published ? publishedAt(p) : null, sku_ids: item.skus,
      });
    }
  }
  return rows;
}

/** C rows of one store-local day: every video still earning and the day's live. */
export function contentRows(ws: string, seed: number, model: DemoModel, day: number, onSale: (day: number) => Listing[]): Row[] {
  const rows: Row[] = [];
  const st = storeById(CONTENT_STORE);
  const priceOf = (sku: string, d: number) => {
    const l = onSale(d).find((x) => x.sku === sku);
    return l ? model.price(l, d).ex : 20;
  };
  for (let p = day - VIDEO_LIFE_DAYS + 1; p <= day; p++) {
    for (const item of itemsPublishedOn(seed, p, onSale)) {
      const k = day - p;
      if (item.type === 'live' && k > 0) continue;
      const { s } = item;
      let views: number;
      if (item.type === 'live') views = Math.round(14000 * Math.exp(0.6 * s.normal(0, 1)));
      else {
        const viral = s.chance(0.03, 0, 2) ? 15 : 1;
        const peak = (item.creator === 'tk-own-home' ? 6000 : 9000) * viral * Math.exp(0.9 * s.normal(0, 3));
        views = Math.round(peak * Math.pow(0.55 + 0.2 * s.u(0, 4), k) * s.jitter(0.2, day, 5));
      }
      if (views < 30) continue;
      const clicks = Math.round(views * (item.type === 'live' ? 0.045 : 0.01 + 0.008 * s.u(day, 6)));
      const orders = s.poisson(clicks * (item.type === 'live' ? 0.07 : 0.055), day, 7);
      const sku = item.skus[0];
      const gmv = sku ? toMinor(orders * priceOf(sku, day), st.decimals) : 0;
      rows.push({
        workspace_id: ws, date: fromDay(day), content_id: item.id, store_id: CONTENT_STORE, creator_id: item.creator, owner_user_id: OWNER,
        content_type: item.type, views,
        viewers: item.type === 'live' ? Math.round(views * 0.5) : null,
        completions: item.type === 'video' ? Math.round(views * (0.22 + 0.12 * s.u(day, 8))) : null,
        likes: Math.round(views * 0.05), comments: Math.round(views * 0.004), shares: Math.round(views * 0.006),
        followers_gained: Math.round(views * (item.creator.startsWith('tk-own') ? 0.003 : 0.0005)),
        product_clicks: clicks, attributed_orders: orders, attributed_gmv: formatMinor(gmv, st.decimals), currency: st.currency,
        live_minutes: item.type === 'live' ? s.int(120, 180, 0, 9) : null, source: 'demo',
      });
    }
  }
  return rows;
}
