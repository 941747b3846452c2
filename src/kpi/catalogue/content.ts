/**
 * Glossary §1.6 interest / content e-commerce. Completion is video-only; engagement per view (trap
 * 18). Distinct item counts and the buffer come from content_items (content-items.ts).
 */
import { b, div, m, sum } from './define.ts';

export const CONTENT_METRICS = [
  m({ id: 'videos_published', en: 'Videos published', zh: '视频发布数', synonyms: ['发布量', '发了几条视频'], unit: 'count', dir: 'higher', agg: 'distinct', cls: 'sales', source: 'content_items' }),
  m({ id: 'lives_hosted', en: 'Live sessions', zh: '直播场次', synonyms: ['开播场次'], unit: 'count', dir: 'higher', agg: 'distinct', cls: 'sales', source: 'content_items' }),
  m({ id: 'live_hours', en: 'Live hours', zh: '直播时长', unit: 'hours', dir: 'higher', agg: 'sum', cls: 'sales', needs: ['C.live_minutes'], compute: (v) => { const x = b(v, 'C.live_minutes'); return x === null ? null : x / 60; } }),
  sum('views', 'C.views', { en: 'Views', zh: '播放量', synonyms: ['观看量', '内容曝光'], unit: 'count', dir: 'higher', cls: 'sales' }),
  m({ id: 'video_completion_rate', en: 'Completion rate', zh: '完播率', synonyms: ['播放完成率'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['C.completions', 'C.video_views'], compute: (v) => div(b(v, 'C.completions'), b(v, 'C.video_views')) }),
  m({ id: 'engagement_rate', en: 'Engagement rate', zh: '互动率', unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['C.engagements', 'C.views'], compute: (v) => div(b(v, 'C.engagements'), b(v, 'C.views')) }),
  sum('content_clicks', 'C.product_clicks', { en: 'Product clicks from content', zh: '商品点击', synonyms: ['引流', '小黄车点击'], unit: 'count', dir: 'higher', cls: 'sales' }),
  m({ id: 'content_ctr', en: 'Content CTR', zh: '内容点击率', synonyms: ['商品点击率', '引流率'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['C.product_clicks', 'C.views'], compute: (v) => div(b(v, 'C.product_clicks'), b(v, 'C.views')) }),
  m({ id: 'content_cvr', en: 'Content conversion rate', zh: '内容转化率', unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['C.attributed_orders', 'C.product_clicks'], compute: (v) => div(b(v, 'C.attributed_orders'), b(v, 'C.product_clicks')) }),
  sum('content_gmv', 'C.attributed_gmv', { en: 'Content-attributed GMV', zh: '内容GMV', synonyms: ['视频gmv', '直播gmv', '带货gmv', 'gmv贡献'], unit: 'money', dir: 'higher', cls: 'sales' }),
  m({ id: 'content_gmv_share', en: 'Content GMV share', zh: '内容GMV占比', synonyms: ['内容贡献占比'], unit: 'ratio', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['C.attributed_gmv', 'S.gross_sales'], compute: (v) => div(b(v, 'C.attributed_gmv') ?? 0, b(v, 'S.gross_sales')) }),
  m({ id: 'gpm', en: 'GMV per 1,000 views', zh: 'GPM', synonyms: ['gpm', '千次播放成交额'], unit: 'money', dir: 'higher', agg: 'ratio', cls: 'sales', needs: ['C.attributed_gmv', 'C.views'], compute: (v) => { const r = div(b(v, 'C.attributed_gmv'), b(v, 'C.views')); return r === null ? null : r * 1000; } }),
  sum('followers_gained', 'C.followers_gained', { en: 'Followers gained', zh: '涨粉', synonyms: ['新增粉丝'], unit: 'count', dir: 'higher', cls: 'sales' }),
  m({ id: 'creators_contacted', en: 'Creators contacted', zh: '达人建联数', synonyms: ['建联'], unit: 'count', dir: 'higher', agg: 'distinct', cls: 'sales', source: 'events' }), // team-activity.ts
  m({ id: 'creators_active', en: 'Active creators', zh: '合作达人数', synonyms: ['出单达人'], unit: 'count', dir: 'higher', agg: 'distinct', cls: 'sales', source: 'content_items' }),
  sum('creator_gmv', 'C.affiliate_gmv', { en: 'Affiliate-creator GMV', zh: '达人带货GMV', synonyms: ['达人gmv'], unit: 'money', dir: 'higher', cls: 'sales' }),
  m({ id: 'content_buffer_days', en: 'Content buffer', zh: '内容储备天数', synonyms: ['内容弹药库'], unit: 'days', dir: 'band', agg: 'snap_end', cls: 'sales', source: 'content_items' }),
];
