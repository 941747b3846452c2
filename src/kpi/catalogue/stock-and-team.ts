/**
 * Glossary §1.3 inventory and §1.5 team activity. Stock levels, value, days of cover and aged
 * shares are snapshots at each store's period end (window `snapshot`). Turnover, OOS rate and
 * sell-through run over the period's SKU-days (inventory-flow.ts), storage use and reorder
 * quantities at its end (inventory-end.ts), team events deduplicated per person-object-hour
 * (team-activity.ts). kpi_score comes from the Scores feature through a ScoreLookup.
 */
import type { BaseValues } from '../types.ts';
import { b, div, m } from './define.ts';

const inv = { source: 'inventory' as const, cls: 'sales' as const };
const snap = { source: 'daily' as const, cls: 'sales' as const, window: 'snapshot' as const };
/** Units sold per day over the 30 days ending at the snapshot (velocity30). */
const velocity = (v: BaseValues) => {
  const u = b(v, 'S.units_ordered');
  return u === null ? null : u / 30;
};
const sumOf = (id: string) => ({ needs: [id], compute: (v: BaseValues) => b(v, id) });
const ev = { source: 'events' as const, cls: 'sales' as const };

export const STOCK_METRICS = [
  m({ id: 'on_hand_units', en: 'On-hand units', zh: '库存', synonyms: ['在库库存', '现有库存'], unit: 'units', dir: 'band', agg: 'snap_end', ...snap, ...sumOf('I.on_hand_units') }),
  m({ id: 'available_units', en: 'Available units', zh: '可售库存', synonyms: ['可用库存'], unit: 'units', dir: 'band', agg: 'snap_end', ...snap, ...sumOf('I.available_units') }),
  m({ id: 'inbound_units', en: 'Inbound units', zh: '在途', synonyms: ['在途库存'], unit: 'units', dir: 'none', agg: 'snap_end', ...snap, ...sumOf('I.inbound_units') }),
  m({ id: 'inventory_value', en: 'Inventory value at cost', zh: '库存金额', synonyms: ['库存货值', '压货金额'], unit: 'money', dir: 'band', agg: 'snap_end', ...snap, cls: 'cost', ...sumOf('I.inventory_value') }),
  m({ id: 'days_of_cover', en: 'Days of cover', zh: '可售天数', synonyms: ['库存可售天数', '够卖几天', 'doc'], unit: 'days', dir: 'band', agg: 'ratio', ...snap, needs: ['I.available_units', 'S.units_ordered'], compute: (v) => div(b(v, 'I.available_units'), velocity(v)) }),
  m({ id: 'days_of_cover_incl_inbound', en: 'Days of cover incl. inbound', zh: '含在途可售天数', unit: 'days', dir: 'band', agg: 'ratio', ...snap, needs: ['I.available_units', 'I.inbound_units', 'S.units_ordered'], compute: (v) => { const a = b(v, 'I.available_units'); const i = b(v, 'I.inbound_units'); return div(a === null || i === null ? null : a + i, velocity(v)); } }),
  m({ id: 'inventory_turnover', en: 'Inventory turnover', zh: '库存周转率', synonyms: ['周转次数', 'ito'], unit: 'per_year', dir: 'higher', agg: 'ratio', ...inv }),
  m({ id: 'inventory_turnover_days', en: 'Days inventory outstanding', zh: '库存周转天数', synonyms: ['周转天数'], unit: 'days', dir: 'lower', agg: 'ratio', ...inv }),
  m({ id: 'stock_age_90d_share', en: 'Aged stock share > 90 d', zh: '库龄>90天占比', synonyms: ['90天以上库龄占比', '库龄结构'], unit: 'ratio', dir: 'lower', agg: 'snap_end', ...snap, needs: ['I.age_91_plus', 'I.aged_on_hand'], compute: (v) => div(b(v, 'I.age_91_plus'), b(v, 'I.aged_on_hand')) }),
  m({ id: 'stock_age_180d_share', en: 'Aged stock share > 180 d', zh: '库龄>180天占比', synonyms: ['长期仓储费风险'], unit: 'ratio', dir: 'lower', agg: 'snap_end', ...snap, needs: ['I.age_181_plus', 'I.aged_on_hand'], compute: (v) => div(b(v, 'I.age_181_plus'), b(v, 'I.aged_on_hand')) }),
  m({ id: 'oos_rate', en: 'Out-of-stock rate', zh: '断货率', synonyms: ['缺货率'], unit: 'ratio', dir: 'lower', agg: 'ratio', ...inv }),
  m({ id: 'sku_sell_through_rate', en: 'SKU sell-through', zh: '动销率', synonyms: ['滞销'], unit: 'ratio', dir: 'higher', agg: 'distinct', ...inv }),
  m({ id: 'storage_utilization', en: 'Storage capacity use', zh: '仓容利用率', synonyms: ['仓容', '库容'], unit: 'ratio', dir: 'band', agg: 'snap_end', ...inv }),
  m({ id: 'reorder_qty', en: 'Suggested reorder', zh: '补货建议', synonyms: ['建议补货量', 'fba补货'], unit: 'units', dir: 'none', agg: 'sum', ...inv }),
];

export const TEAM_METRICS = [
  m({ id: 'new_listings', en: 'New listings', zh: '上新数', synonyms: ['上新数量', '新品上架'], unit: 'count', dir: 'higher', agg: 'distinct', ...ev }),
  m({ id: 'listing_updates', en: 'Listing updates', zh: 'Listing更新次数', synonyms: ['listing更新频率', 'listing优化'], unit: 'count', dir: 'higher', agg: 'sum', ...ev }),
  m({ id: 'ad_optimizations', en: 'Ad optimisations', zh: '广告优化次数', synonyms: ['广告组优化频次', '调价次数'], unit: 'count', dir: 'higher', agg: 'sum', ...ev }),
  m({ id: 'tasks_completed', en: 'Tasks completed', zh: '任务完成数', unit: 'count', dir: 'higher', agg: 'sum', ...ev }),
  m({ id: 'task_on_time_rate', en: 'On-time task rate', zh: '任务按时完成率', synonyms: ['节点达成率'], unit: 'ratio', dir: 'higher', agg: 'ratio', ...ev }),
  m({ id: 'cs_replies', en: 'CS replies', zh: '客服回复数', synonyms: ['接待量'], unit: 'count', dir: 'higher', agg: 'sum', ...ev }),
  m({ id: 'neg_reviews_handled', en: 'Negative reviews handled', zh: '差评处理数', unit: 'count', dir: 'higher', agg: 'sum', ...ev }),
  m({ id: 'kpi_score', en: 'Performance score', zh: '绩效得分', synonyms: ['绩效分', '考核分', '打分'], unit: 'points', dir: 'higher', agg: 'per_person', source: 'scores', cls: 'score' }),
];
