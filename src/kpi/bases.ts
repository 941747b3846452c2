/**
 * Base measures: the sums every `daily` metric is built from, with the SQL that produces them.
 * `money` bases are in the row's currency and converted at the row's day rate before summing
 * (glossary §2.3); `nullable` bases stay null when every row is null (missing ≠ zero, trap 14).
 */
import type { FactTable } from './types.ts';

export interface BaseDef {
  table: FactTable;
  /** Column (or expression over columns) of that table. */
  expr: string;
  money?: boolean;
  nullable?: boolean;
}

const s = (expr: string, opts: Partial<BaseDef> = {}): BaseDef => ({ table: 'S', expr, ...opts });
const a = (expr: string, opts: Partial<BaseDef> = {}): BaseDef => ({ table: 'A', expr, ...opts });
const v = (expr: string, opts: Partial<BaseDef> = {}): BaseDef => ({ table: 'V', expr, ...opts });
const c = (expr: string, opts: Partial<BaseDef> = {}): BaseDef => ({ table: 'C', expr, ...opts });
const i = (expr: string, opts: Partial<BaseDef> = {}): BaseDef => ({ table: 'I', expr, ...opts });
const r = (expr: string, opts: Partial<BaseDef> = {}): BaseDef => ({ table: 'R', expr, ...opts });
const M = { money: true };

export const BASES: Record<string, BaseDef> = {
  'S.gross_sales': s('gross_sales', M),
  'S.refund_amount': s('refund_amount', M),
  'S.tax_amount': s('tax_amount', M),
  'S.promo_fees': s('promo_fees', M),
  'S.platform_fees': s('platform_fees', M),
  'S.fulfillment_fees': s('fulfillment_fees', M),
  'S.first_leg_cost': s('first_leg_cost', M),
  'S.storage_fees': s('storage_fees', M),
  'S.cogs': s('cogs', M),
  // Not imported means 0 for other_costs (glossary §2.2), unlike traffic.
  'S.other_costs': s('coalesce(other_costs, 0)', M),
  'S.units_ordered': s('units_ordered'),
  'S.order_count': s('order_count'),
  'S.units_returned': s('units_returned'),
  'S.sessions': s('sessions', { nullable: true }),
  'S.page_views': s('page_views', { nullable: true }),
  'A.spend': a('spend', M),
  'A.attributed_sales': a('attributed_sales', M),
  'A.attributed_orders': a('attributed_orders'),
  'A.attributed_units': a('attributed_units'),
  'A.impressions': a('impressions'),
  'A.clicks': a('clicks'),
  'V.orders_distinct': v('orders_distinct'),
  'V.cancelled_by_seller': v('cancelled_by_seller'),
  'V.defect_orders': v('defect_orders'),
  'V.orders_shipped': v('orders_shipped'),
  'V.shipped_late': v('shipped_late'),
  'V.threads_received': v('threads_received'),
  'V.threads_first_responded': v('threads_first_responded'),
  'V.responded_within_24h': v('responded_within_24h'),
  'V.first_response_minutes_sum': v('first_response_minutes_sum'),
  'V.negative_reviews': v('negative_reviews'),
  'V.negative_reviews_handled': v('negative_reviews_handled'),
  'V.neg_review_handle_hours_sum': v('neg_review_handle_hours_sum'),
  'V.rating_sum': v('rating_sum'),
  'V.rating_count': v('rating_count'),
  'V.csat_positive': v('csat_positive', { nullable: true }),
  'V.csat_responses': v('csat_responses', { nullable: true }),
  'V.nps_promoters': v('nps_promoters', { nullable: true }),
  'V.nps_detractors': v('nps_detractors', { nullable: true }),
  'V.nps_responses': v('nps_responses', { nullable: true }),
  'V.policy_violations': v('policy_violations'),
  'C.views': c('views'),
  'C.video_views': c(`case when content_type = 'video' then views else 0 end`),
  'C.completions': c('completions', { nullable: true }),
  'C.engagements': c('likes + comments + shares'),
  'C.product_clicks': c('product_clicks'),
  'C.attributed_orders': c('attributed_orders'),
  'C.attributed_gmv': c('attributed_gmv', M),
  'C.live_minutes': c('live_minutes', { nullable: true }),
  'C.followers_gained': c('followers_gained'),
  // creator_gmv: only content of affiliate creators (paid per sale), not the shop's own accounts.
  'C.affiliate_gmv': c(`case when (f.workspace_id, f.creator_id) in (select cr.workspace_id, cr.id from creators cr where cr.type = 'affiliate')
    then attributed_gmv else 0 end`, M),
  // Refund lines by order date (the table's day column): units returned from each day's orders.
  'R.units': r('units'),
  // Inventory snapshots; unfulfillable units are excluded everywhere (glossary §2.2 I).
  'I.on_hand_units': i('on_hand_units'),
  'I.available_units': i('on_hand_units - reserved_units'),
  'I.inbound_units': i('inbound_units'),
  'I.inventory_value': i('on_hand_units * unit_cost', { money: true, nullable: true }),
  // Age shares only over rows that report ageing, so "not reported" never reads as "all fresh".
  'I.aged_on_hand': i('case when age_0_30 is null then null else on_hand_units end', { nullable: true }),
  'I.age_91_plus': i('age_91_180 + age_181_365 + age_365_plus', { nullable: true }),
  'I.age_181_plus': i('age_181_365 + age_365_plus', { nullable: true }),
};
