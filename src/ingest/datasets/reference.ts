/**
 * Reference datasets: `fx` → fx_rates (glossary §2.3; a manual import replaces any rate for the
 * same date and pair) and `calendar` → season_calendar (seasons, promotions, holidays, 调休 days).
 */
import { col, copyPresent } from './common.ts';
import type { DatasetDef } from './types.ts';

export const fx: DatasetDef = {
  id: 'fx',
  table: 'fx_rates',
  conflict: { columns: ['workspace_id', 'from_ccy', 'to_ccy', 'date'] },
  key: ['from_ccy', 'to_ccy', 'date'],
  store: 'none',
  lineage: false,
  exportDate: 'date',
  columns: [
    col('date', { type: 'day' }, { required: true, aliases: ['日期', 'date'] }),
    col('from_ccy', { type: 'currency' }, { required: true, aliases: ['源币种', '原币', 'from', 'from currency', 'base'] }),
    col('to_ccy', { type: 'currency' }, { required: true, aliases: ['目标币种', '本币', 'to', 'to currency', 'quote'] }),
    col('rate', { type: 'decimal' }, { required: true, aliases: ['汇率', 'rate', 'fx rate'], help: 'units of to_ccy per 1 from_ccy' }),
    col('source', { type: 'text', max: 40 }, { aliases: ['来源', 'source'], help: 'named source shown on money cards; default manual' }),
  ],
  build(v) {
    if (v.from_ccy === v.to_ccy) return { ok: false, column: 'to_ccy', reason: 'from and to are the same currency' };
    if (Number(v.rate) <= 0) return { ok: false, column: 'rate', reason: 'a rate must be greater than 0' };
    return { ok: true, row: { date: v.date, from_ccy: v.from_ccy, to_ccy: v.to_ccy, rate: v.rate, source: (v.source as string | undefined) ?? 'manual' }, day: v.date as string };
  },
};

export const calendar: DatasetDef = {
  id: 'calendar',
  table: 'season_calendar',
  conflict: { constraint: 'season_calendar_natural_key' },
  key: ['scope_type', 'scope_id', 'kind', 'name', 'start_date'],
  store: 'none',
  lineage: false,
  exportDate: 'start_date',
  columns: [
    col('scope_type', { type: 'enum', values: ['marketplace', 'team'], aliases: { 站点: 'marketplace', 团队: 'team' } }, { aliases: ['范围类型', 'scope type'] }),
    col('scope_id', { type: 'id' }, { required: true, aliases: ['站点', '范围', 'marketplace', 'scope', 'scope id'] }),
    col('kind', {
      type: 'enum', values: ['season', 'promo', 'double_day', 'holiday', 'makeup_workday', 'spring_festival'],
      aliases: { 旺季: 'season', 大促: 'promo', 促销: 'promo', 双日大促: 'double_day', 节假日: 'holiday', 假期: 'holiday', 调休: 'makeup_workday', 调休上班: 'makeup_workday', 春节: 'spring_festival' },
    }, { required: true, aliases: ['类型', 'kind', 'type'] }),
    col('name', { type: 'text', max: 80 }, { required: true, aliases: ['名称', '活动名称', 'name'] }),
    col('aliases', { type: 'list' }, { aliases: ['别名', 'aliases'] }),
    col('start_date', { type: 'day' }, { required: true, db: 'start_date', aliases: ['开始日期', '开始', 'start', 'start date'] }),
    col('end_date', { type: 'day' }, { required: true, aliases: ['结束日期', '结束', 'end', 'end date'] }),
    col('pace_weight', { type: 'decimal' }, { aliases: ['进度权重', '权重', 'pace weight', 'weight'] }),
    col('threshold_multipliers', { type: 'multipliers' }, { aliases: ['阈值倍数', 'threshold multipliers'] }),
    col('lead_in_days', { type: 'int' }, { aliases: ['预热天数', 'lead in days'] }),
  ],
  build(v, ctx) {
    if ((v.end_date as string) < (v.start_date as string)) return { ok: false, column: 'end_date', reason: 'ends before it starts' };
    const row: Record<string, unknown> = {
      scope_type: (v.scope_type as string | undefined) ?? 'marketplace', scope_id: v.scope_id, kind: v.kind, name: v.name,
      start_date: v.start_date, end_date: v.end_date,
    };
    copyPresent(row, v, ctx, this.columns, ['scope_type', 'scope_id', 'kind', 'name', 'start_date', 'end_date']);
    if (row.aliases === null) row.aliases = [];
    if (row.threshold_multipliers === null) row.threshold_multipliers = {};
    if (row.pace_weight === '0') row.pace_weight = '1';
    return { ok: true, row, day: v.start_date as string };
  },
};
