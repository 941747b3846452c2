/**
 * What people type after `alert ack|snooze|assign` and `跟进`: alert ids, snooze lengths, cause
 * codes and due dates. Pure and strict: anything that is not exactly one of these shapes is
 * refused with a usage hint (`alert ack 1 OR 1=1`, `alert snooze 3 -2h`, ids past bigint).
 */
import { addDays, isValidDate } from '../../kpi/dates.ts';
import type { AckCause } from '../../db/schema/alerts.ts';
import { ACK_CAUSE_LABEL } from '../card.ts';

/** Ids are bigint identities; JS numbers are exact up to 2^53 − 1, far beyond any real id. */
export function parseAlertId(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const m = /^#?(\d{1,15})$/.exec(token.normalize('NFKC').trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `stockout`, `断货`, `缺货`… → the cause code (names from the card's labels). */
export function parseCause(word: string): AckCause | undefined {
  const w = word.normalize('NFKC').trim().toLowerCase();
  for (const [code, names] of Object.entries(ACK_CAUSE_LABEL) as [AckCause, { en: string; 'zh-CN': string }][]) {
    if (w === code || w === names['zh-CN']) return code;
  }
  const extra: Record<string, AckCause> = { 缺货: 'stockout', 降价: 'competitor_price', 预算: 'budget_out', 大促: 'post_promo', 其它: 'other' };
  return extra[w];
}

/** The longest snooze: past a month an alert should be muted or its rule changed instead. */
export const MAX_SNOOZE_MS = 30 * 24 * 3600_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 };
const ZH_UNITS: Record<string, string> = { 分钟: 'm', 分: 'm', 小时: 'h', 时: 'h', 天: 'd', 日: 'd', 周: 'w', 星期: 'w' };

export type SnoozeSpec = { kind: 'for'; ms: number } | { kind: 'until'; date: string };

/**
 * `1h`, `4h`, `1d`, `1w`, `90m`, `2小时`, or a date (`11-30`, `2026-11-30`, `until 11-30`).
 * Negative, zero, shorter than 5 minutes or longer than 30 days → undefined (refused).
 */
export function parseSnooze(args: string[], today: string): SnoozeSpec | undefined {
  const words = args.map((a) => a.normalize('NFKC').trim().toLowerCase()).filter((a) => a !== 'until' && a !== '到');
  if (words.length !== 1) return undefined;
  const w = words[0]!;
  const m = /^(\d{1,4})\s*(m|h|d|w|分钟|分|小时|时|天|日|周|星期)$/.exec(w);
  if (m) {
    const unit = ZH_UNITS[m[2]!] ?? m[2]!;
    const ms = Number(m[1]) * UNIT_MS[unit]!;
    return ms >= 5 * 60_000 && ms <= MAX_SNOOZE_MS ? { kind: 'for', ms } : undefined;
  }
  const date = parseDueDate(w, today);
  if (!date || date <= today || date > addDays(today, 30)) return undefined;
  return { kind: 'until', date };
}

/**
 * A day people type: `11-30`, `11/30`, `11月30日`, `2026-11-30`, `today`/`今天`, `tomorrow`/`明天`.
 * Month-day means its next occurrence from `today` (today included). undefined when not a date.
 */
export function parseDueDate(word: string, today: string): string | undefined {
  const w = word.normalize('NFKC').trim().toLowerCase();
  if (w === 'today' || w === '今天') return today;
  if (w === 'tomorrow' || w === '明天') return addDays(today, 1);
  const full = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(w);
  if (full) {
    const d = `${full[1]}-${full[2]!.padStart(2, '0')}-${full[3]!.padStart(2, '0')}`;
    return isValidDate(d) ? d : undefined;
  }
  const md = /^(\d{1,2})[-/月](\d{1,2})日?$/.exec(w);
  if (!md) return undefined;
  const mmdd = `${md[1]!.padStart(2, '0')}-${md[2]!.padStart(2, '0')}`;
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    const d = `${y}-${mmdd}`;
    if (isValidDate(d) && d >= today) return d;
  }
  return undefined;
}
