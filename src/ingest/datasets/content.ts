/**
 * `content` → fact_content_daily (glossary §2.2 C): daily increments per content item. Platforms
 * that report lifetime totals must be differenced before import (the file is the day's change).
 */
import { amount, col, copyPresent, count, CURRENCY, DATE, SOURCE } from './common.ts';
import type { DatasetDef } from './types.ts';

export const content: DatasetDef = {
  id: 'content',
  table: 'fact_content_daily',
  conflict: { constraint: 'fact_content_daily_natural_key' },
  key: ['content_id', 'date'],
  store: 'optional',
  priorityDataset: 'content',
  lineage: true,
  exportDate: 'date',
  columns: [
    DATE,
    col('content_id', { type: 'id' }, { required: true, aliases: ['内容id', '视频id', '直播id', 'video id', 'live id', 'content id'] }),
    col('content_type', { type: 'enum', values: ['video', 'live'], aliases: { 视频: 'video', 短视频: 'video', 直播: 'live' } }, { required: true, aliases: ['内容类型', '类型', 'type', 'content type'] }),
    col('store_id', { type: 'id' }, { nullable: true, aliases: ['店铺', 'store', 'shop'] }),
    col('creator_id', { type: 'id' }, { nullable: true, aliases: ['达人', '创作者', 'creator'] }),
    col('owner_user_id', { type: 'id' }, { nullable: true, aliases: ['负责人', 'owner'] }),
    count('views', ['播放量', '观看次数', 'views']),
    count('viewers', ['观看人数', 'viewers', 'unique viewers'], { nullable: true }),
    count('completions', ['完播次数', 'completions', 'full plays'], { nullable: true }),
    count('likes', ['点赞', '点赞数', 'likes']),
    count('comments', ['评论', '评论数', 'comments']),
    count('shares', ['分享', '分享数', 'shares']),
    count('followers_gained', ['涨粉', '新增粉丝', 'new followers', 'followers gained']),
    count('product_clicks', ['商品点击', '小黄车点击', 'product clicks']),
    count('attributed_orders', ['成交订单', '带货订单', 'orders', 'attributed orders']),
    amount('attributed_gmv', ['成交金额', '带货gmv', 'gmv', 'attributed gmv']),
    CURRENCY,
    count('live_minutes', ['直播时长分钟', '直播时长', 'live minutes'], { nullable: true }),
    SOURCE,
  ],
  build(v, ctx) {
    const row: Record<string, unknown> = {
      date: v.date, content_id: v.content_id, content_type: v.content_type,
      currency: (v.currency as string | undefined) ?? ctx.store?.currency ?? ctx.workspace.currency,
    };
    copyPresent(row, v, ctx, this.columns, ['date', 'content_id', 'content_type', 'store_id', 'currency', 'source']);
    if (ctx.present.has('store_id')) row.store_id = ctx.store?.id ?? null;
    return { ok: true, row, day: v.date as string };
  },
};
