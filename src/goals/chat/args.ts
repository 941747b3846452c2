/**
 * Arguments of the goal commands, read with the chat parser's shared primitives (src/bot/parse:
 * amounts, periods, scope tokens, mentions, `key:value` options) and resolved against the
 * workspace (src/bot/resolve.ts): `goal set gmv 1.2m 2026-12 team:amazon-us owner:@carol`,
 * `目标 设定 GMV 120万 2026-12 团队:亚马逊美国 负责人:@李强`. Only goal-specific words live here
 * (next month, a bare year, split methods); numbers and dates are never re-parsed.
 */
import { parseAmount, parseOptions, parseScopeToken, periodFromToken } from '../../bot/parse/index.ts';
import { METRIC_WORDS } from '../../bot/parse/vocab-metrics.ts';
import type { ScopeRef } from '../../bot/parse/types.ts';
import { metricById } from '../../kpi/catalogue/index.ts';
import { addMonths } from '../../kpi/dates.ts';
import { normalizeNumberText } from '../../bot/parse/index.ts';
import type { SplitMethod } from '../decompose.ts';
import type { SplitBy } from '../split-members.ts';

export const OPTION_KEYS: Record<string, string[]> = {
  currency: ['币种', '货币'],
  parent: ['上级', '父目标'],
  profile: ['节奏', '进度方式', 'seasonality'],
  reason: ['原因', '理由', 'note', '备注'],
  method: ['方式', '方法'],
  weights: ['权重'],
  status: ['状态'],
  rag: ['灯', '颜色', '红黄绿'],
};

/** A goal id as typed: `12`, `#12`, `＃12`. */
export function goalId(token: string | undefined): number | undefined {
  const m = /^#?(\d{1,12})$/.exec(normalizeNumberText(token ?? ''));
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A catalogue word, else the id of one of the workspace's custom metrics (src/kpi/custom). */
export function metricOf(token: string, workspaceId?: string): string | undefined {
  const t = token.normalize('NFKC').trim().toLowerCase();
  const word = METRIC_WORDS.find(([w]) => w.toLowerCase() === t)?.[1];
  if (word || !workspaceId) return word;
  return metricById(t, workspaceId)?.custom ? t : undefined;
}

/** Goal periods beyond the shared parser's past-facing words: next month/quarter/year, a bare year. */
const NEXT_WORDS: Record<string, string> = {
  下月: 'next_month', 下个月: 'next_month', 'next month': 'next_month', next_month: 'next_month',
  下季度: 'next_quarter', 下个季度: 'next_quarter', 'next quarter': 'next_quarter', next_quarter: 'next_quarter',
  明年: 'next_year', 'next year': 'next_year', next_year: 'next_year', 下周: 'next_week', 'next week': 'next_week', next_week: 'next_week',
};

/**
 * A period for a goal. A month or quarter typed without its year means the next one to come
 * (goals are plans), unlike KPI questions, where it means the latest past one.
 */
export function goalPeriodOf(token: string, now: Date, timeZone: string, today: string, bareYear = true): string | undefined {
  const t = token.normalize('NFKC').trim().toLowerCase();
  if (NEXT_WORDS[t]) return NEXT_WORDS[t];
  const year = /^(20\d\d)(?:年|年度)?$/.exec(t);
  if (year) return bareYear || t.length > 4 ? `year:${year[1]}` : undefined;
  if (/^year:\d{4}$/.test(t)) return t;
  const hit = periodFromToken(token, now, timeZone);
  if (!hit?.period) return undefined;
  const p = hit.period;
  const typedYear = /\d{4}/.test(t);
  const m = /^month:(\d{4})-(\d{2})$/.exec(p);
  if (m && !typedYear && p.slice(6) < today.slice(0, 7)) return `month:${addMonths(`${p.slice(6)}-01`, 12).slice(0, 7)}`;
  const q = /^quarter:(\d{4})-Q(\d)$/.exec(p);
  if (q && !typedYear && Number(q[1]) < Number(today.slice(0, 4))) return `quarter:${Number(q[1]) + 1}-Q${q[2]}`;
  return p;
}

export interface SetArgs {
  metric?: string;
  target?: number;
  percent?: boolean;
  amountCurrency?: string;
  period?: string;
  scope?: ScopeRef | { dim: 'company'; text: '' };
  owner?: string;
  options: Record<string, string>;
  unknown: string[];
}

const COMPANY_WORDS = new Set(['company', 'company:all', '公司', '全公司', '整体']);

export function parseSetArgs(args: string[], now: Date, timeZone: string, today: string, workspaceId?: string): SetArgs {
  const { options, rest } = parseOptions(args, OPTION_KEYS);
  const out: SetArgs = { options, unknown: [] };
  // `2050` is a year only when no other period was typed (`orders 2050 2027-02` is a target).
  const otherPeriod = rest.some((t) => !/^\d{4}$/.test(t.trim()) && goalPeriodOf(t, now, timeZone, today) !== undefined);
  for (const token of rest) {
    const scope = parseScopeToken(token);
    if (scope?.dim === 'owner' && out.owner === undefined) {
      out.owner = scope.text;
      continue;
    }
    if (scope && scope.dim !== 'owner' && !out.scope) {
      out.scope = scope;
      continue;
    }
    if (COMPANY_WORDS.has(token.normalize('NFKC').toLowerCase()) && !out.scope) {
      out.scope = { dim: 'company', text: '' };
      continue;
    }
    const metric = out.metric === undefined ? metricOf(token, workspaceId) : undefined;
    if (metric) {
      out.metric = metric;
      continue;
    }
    const period = out.period === undefined ? goalPeriodOf(token, now, timeZone, today, !otherPeriod) : undefined;
    if (period) {
      out.period = period;
      continue;
    }
    const amount = out.target === undefined ? parseAmount(token) : undefined;
    if (amount) {
      out.target = amount.value;
      out.percent = amount.percent;
      if (amount.currency) out.amountCurrency = amount.currency;
      continue;
    }
    out.unknown.push(token);
  }
  return out;
}

const BY_WORDS: Record<SplitBy, string[]> = {
  store: ['store', 'stores', 'shop', '店铺', '店', '按店铺', '按店'],
  team: ['team', 'teams', '团队', '按团队', '部门', '按部门'],
  person: ['person', 'people', 'owner', 'owners', '人', '个人', '负责人', '按人', '按负责人'],
  sku: ['sku', 'skus', 'product', '按sku', '按产品', '产品'],
  month: ['month', 'months', 'monthly', '月', '按月', '月份', '按月份'],
};

const METHOD_WORDS: Record<SplitMethod, string[]> = {
  trailing: ['trailing', 'last', 'last_period', 'history', '上期', '近90天', '历史', '按历史', '占比'],
  yoy: ['yoy', 'last_year', '同比', '去年同期', '按去年'],
  even: ['even', 'evenly', 'equal', '平均', '均分', '平分'],
  weights: ['weights', 'weighted', '权重', '按权重'],
};

const find = <K extends string>(table: Record<K, string[]>, w: string): K | undefined =>
  (Object.entries(table) as [K, string[]][]).find(([, words]) => words.includes(w))?.[0];

export interface SplitArgs {
  id?: number;
  by?: SplitBy;
  method?: SplitMethod;
  weights?: Record<string, number>;
  unknown: string[];
}

/** `12 by store even`, `12 按店铺 同比`, `12 by store weights:us-main=2,us-outlet=1`. */
export function parseSplitArgs(args: string[]): SplitArgs {
  const { options, rest } = parseOptions(args, { weights: OPTION_KEYS.weights!, method: OPTION_KEYS.method! });
  const out: SplitArgs = { unknown: [] };
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!.normalize('NFKC').toLowerCase();
    if (out.id === undefined && goalId(w) !== undefined) out.id = goalId(w);
    else if (w === 'by' || w === '按') out.by = find(BY_WORDS, (rest[++i] ?? '').normalize('NFKC').toLowerCase()) ?? out.by;
    else if (find(BY_WORDS, w) && !out.by) out.by = find(BY_WORDS, w);
    else if (find(METHOD_WORDS, w)) out.method = find(METHOD_WORDS, w);
    else out.unknown.push(rest[i]!);
  }
  if (options.method) out.method = find(METHOD_WORDS, options.method.toLowerCase()) ?? out.method;
  if (options.weights) {
    out.weights = {};
    for (const pair of options.weights.split(/[,，;；]/)) {
      const [k, v] = pair.split(/[=＝:：]/);
      const n = parseAmount(v ?? '');
      if (k?.trim() && n && n.value >= 0) out.weights[k.trim()] = n.value;
      else out.unknown.push(pair);
    }
    out.method = 'weights';
  }
  return out;
}
