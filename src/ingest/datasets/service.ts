/**
 * `service` → fact_service_daily (glossary §2.2 V): service and account health per (date, store).
 * Survey counts are nullable (no survey ≠ zero responses).
 */
import { col, copyPresent, count, DATE, SOURCE, STORE } from './common.ts';
import type { DatasetDef } from './types.ts';

const sum = (name: string, aliases: string[]) => col(name, { type: 'decimal' }, { aliases });

export const service: DatasetDef = {
  id: 'service',
  table: 'fact_service_daily',
  conflict: { constraint: 'fact_service_daily_natural_key' },
  key: ['date', 'store_id'],
  store: 'required',
  priorityDataset: 'service',
  lineage: true,
  exportDate: 'date',
  columns: [
    DATE, STORE,
    count('orders_distinct', ['订单数', '订单量', 'orders']),
    count('cancelled_by_seller', ['卖家取消', '卖家取消订单', 'cancelled by seller', 'seller cancellations']),
    count('defect_orders', ['缺陷订单', 'odr订单', 'defect orders']),
    count('orders_shipped', ['发货订单', '已发货订单', 'orders shipped']),
    count('shipped_late', ['延迟发货', '迟发订单', 'late shipments', 'shipped late']),
    count('return_requests', ['退货请求', '退货申请', 'return requests']),
    count('threads_received', ['收到消息', '买家消息', 'messages received', 'threads received']),
    count('threads_first_responded', ['已回复消息', 'threads responded', 'threads first responded']),
    count('responded_within_24h', ['24小时内回复', 'responded within 24h', 'within 24 hours']),
    sum('first_response_minutes_sum', ['首次回复分钟合计', 'first response minutes']),
    count('negative_reviews', ['差评', '差评数', 'negative reviews']),
    count('negative_reviews_handled', ['已处理差评', 'negative reviews handled']),
    sum('neg_review_handle_hours_sum', ['差评处理小时合计', 'negative review handle hours']),
    sum('rating_sum', ['评分合计', 'rating sum']),
    count('rating_count', ['评分数', '评价数', 'rating count', 'ratings']),
    count('csat_positive', ['满意数', 'csat positive'], { nullable: true }),
    count('csat_responses', ['满意度回复数', 'csat responses'], { nullable: true }),
    count('nps_promoters', ['推荐者', 'nps promoters'], { nullable: true }),
    count('nps_detractors', ['贬损者', 'nps detractors'], { nullable: true }),
    count('nps_responses', ['nps回复数', 'nps responses'], { nullable: true }),
    count('policy_violations', ['违规', '政策违规', 'policy violations']),
    col('account_health_value', { type: 'decimal', sign: 'any' }, { nullable: true, aliases: ['账户健康', '账户健康评级', 'account health', 'ahr'] }),
    col('account_health_scale', { type: 'text', max: 40 }, { nullable: true, aliases: ['健康评级类型', 'account health scale'] }),
    SOURCE,
  ],
  build(v, ctx) {
    const row: Record<string, unknown> = { date: v.date, store_id: ctx.store!.id };
    copyPresent(row, v, ctx, this.columns, ['date', 'store_id', 'source']);
    for (const [part, whole] of [['cancelled_by_seller', 'orders_distinct'], ['defect_orders', 'orders_distinct'], ['shipped_late', 'orders_shipped']] as const) {
      if (ctx.present.has(whole) && typeof row[part] === 'number' && (row[part] as number) > ((row[whole] as number | undefined) ?? 0)) {
        return { ok: false, column: part, reason: `${part} (${row[part]}) exceeds ${whole} (${row[whole]})` };
      }
    }
    return { ok: true, row, day: v.date as string };
  },
};
