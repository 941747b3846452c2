/**
 * `activity` → fact_team_events (glossary §2.2 E): one row per event, keyed by the producer's
 * `event_id`; `occurred_at` is stored in UTC (a time without an offset is read in the
 * workspace's zone). A store named on an event must exist.
 */
import { col, copyPresent, SOURCE } from './common.ts';
import type { DatasetDef } from './types.ts';
import { localDay } from '../values/dates.ts';

export const EVENT_TYPES = ['listing_created', 'listing_updated', 'ad_change', 'cs_reply', 'neg_review_handled', 'task_completed', 'creator_contacted', 'content_ready', 'content_published'] as const;

const id = (name: string, aliases: string[], o = {}) => col(name, { type: 'id' }, { nullable: true, aliases, ...o });

export const activity: DatasetDef = {
  id: 'activity',
  table: 'fact_team_events',
  conflict: { constraint: 'fact_team_events_natural_key' },
  key: ['event_id'],
  store: 'optional',
  lineage: true,
  exportDate: 'occurred_at',
  columns: [
    col('event_id', { type: 'id' }, { required: true, aliases: ['事件id', '事件编号', 'event id', 'id'] }),
    col('occurred_at', { type: 'instant' }, { required: true, aliases: ['发生时间', '时间', 'time', 'timestamp', 'occurred at'] }),
    col('user_id', { type: 'id' }, { required: true, aliases: ['用户', '员工', '操作人', 'user', 'user id', 'operator'] }),
    id('team_id', ['团队', 'team', 'team id']),
    col('event_type', {
      type: 'enum', values: EVENT_TYPES,
      aliases: { 新建listing: 'listing_created', 更新listing: 'listing_updated', 广告调整: 'ad_change', 客服回复: 'cs_reply', 差评处理: 'neg_review_handled', 任务完成: 'task_completed', 联系达人: 'creator_contacted', 内容就绪: 'content_ready', 内容发布: 'content_published' },
    }, { required: true, aliases: ['事件类型', '类型', 'type', 'event type'] }),
    id('store_id', ['店铺', 'store', 'shop']),
    id('sku_id', ['sku', 'msku']),
    id('ad_group_id', ['广告组', 'ad group']),
    id('creator_id', ['达人', 'creator']),
    id('task_id', ['任务', 'task']),
    col('value', { type: 'decimal', sign: 'any' }, { nullable: true, aliases: ['数值', '值', 'value'] }),
    col('due_at', { type: 'instant' }, { nullable: true, aliases: ['截止时间', 'due', 'due at'] }),
    col('completed_at', { type: 'instant' }, { nullable: true, aliases: ['完成时间', 'completed', 'completed at'] }),
    col('event_source', { type: 'enum', values: ['platform_log', 'erp', 'manual', 'bot'] }, { nullable: true, aliases: ['来源', 'event source'] }),
    SOURCE,
  ],
  build(v, ctx) {
    const row: Record<string, unknown> = { event_id: v.event_id, occurred_at: v.occurred_at, user_id: v.user_id, event_type: v.event_type };
    copyPresent(row, v, ctx, this.columns, ['event_id', 'occurred_at', 'user_id', 'event_type', 'source']);
    if (ctx.store) row.store_id = ctx.store.id;
    return { ok: true, row, day: localDay(v.occurred_at as Date, ctx.store?.timezone ?? ctx.workspace.timezone) };
  },
};
