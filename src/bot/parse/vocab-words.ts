/**
 * The rest of the KPI grammar's words (glossary §5): compare words → ARCHITECTURE.md compare
 * ids, currency words → ISO codes, chart words, bare ranking words, and filler words that carry
 * no meaning in a KPI question (的, 多少, what's, show me …).
 */
import type { CompareId } from '../../kpi/periods.ts';

const COMPARE: Record<CompareId, string[]> = {
  prev: [
    '环比', '对比上期', '比上期', '与上期相比', '较上期', '上期对比', '月环比', '季环比', '日环比', 'vs prev', 'vs previous', 'vs last period',
    'vs previous period', 'vs prior period', 'vs 上期', 'vs上期', 'vs last month', 'vs 上月', 'vs last quarter', 'vs yesterday', 'vs 昨天', 'pop', 'mom', 'qoq', 'dod', 'compare:prev',
  ],
  wow: ['周环比', '比上周', '对比上周', '较上周', 'vs last week', 'vs 上周', 'wow', 'w/w', 'compare:wow'],
  yoy: ['同比', '去年同期', '比去年同期', '对比去年', '比去年', '较去年同期', '与去年同期相比', 'vs last year', 'vs 去年', 'vs去年同期', 'yoy', 'y/y', 'compare:yoy'],
  goal: ['vs 目标', 'vs目标', '对比目标', '比目标', '和目标比', '目标对比', 'vs goal', 'vs goals', 'vs target', 'against goal', 'against target', 'compare:goal'],
};

export const COMPARE_WORDS: [string, CompareId][] = Object.entries(COMPARE).flatMap(([id, ws]) =>
  ws.map((w): [string, CompareId] => [w, id as CompareId]),
);

const CURRENCIES: Record<string, string[]> = {
  USD: ['美元', '美金', 'usd', 'in usd', 'in dollars', '以美元计', '美元口径', '换算成美元'],
  CNY: ['人民币', 'rmb', 'cny', 'in cny', 'in rmb', '以人民币计', '人民币口径', '换算成人民币'],
  JPY: ['日元', 'jpy', 'in jpy', '以日元计'],
  EUR: ['欧元', 'eur', 'in eur', '以欧元计'],
  GBP: ['英镑', 'gbp', 'in gbp'],
  SGD: ['新币', '新加坡元', 'sgd', 'in sgd'],
  MYR: ['令吉', '马币', 'myr', 'in myr'],
};

export const CURRENCY_WORDS: [string, string][] = Object.entries(CURRENCIES).flatMap(([code, ws]) =>
  ws.map((w): [string, string] => [w, code]),
);

export const CHART_WORDS = ['chart', 'charts', 'graph', 'plot', '图表', '趋势图', '出图', '画图', '折线图', '柱状图', '图'];

/** Ranking words without a number; the number defaults to DEFAULT_RANK_N. */
export const RANK_WORDS: [string, boolean][] = [
  ...['排名', '排行', '排行榜', '最好', '最佳', 'top', 'best', 'ranking', 'rank', 'leaderboard'].map((w): [string, boolean] => [w, false]),
  ...['最差', '倒数', '垫底', 'bottom', 'worst'].map((w): [string, boolean] => [w, true]),
];

export const DEFAULT_RANK_N = 10;
/** Largest ranking a chat card can show. */
export const MAX_RANK_N = 100;

export const FILLER_WORDS = [
  // Chinese
  '的', '得', '多少', '是', '是多少', '有多少', '查', '查询', '查下', '查一下', '看', '看看', '看下', '看一下', '一下', '请', '请问', '吗', '呢', '呀',
  '啊', '吧', '了', '帮我', '给我', '帮忙', '麻烦', '我想', '我要', '想看', '想知道', '显示', '展示', '统计', '数据', '情况', '怎么样', '如何',
  '和', '与', '跟', '及', '以及', '还有', '对比', '各', '总', '总共', '一共', '合计', '汇总', '整体', '全部', '所有', '现在', '目前', '当前',
  '期间', '内', '里', '中', '报表', '报告', '表现', '指标', '一共是', '多少钱', '我们', '咱们', '下', '在', '按', '分', '列出', '告诉我', '哪个', '哪些', '哪家', 'which', 'who',
  // Value words, not ranking: the highest ACoS is the worst one, so they do not pick an order.
  '最高', '最低', '最多', '最少', 'highest', 'lowest', 'most', 'least', 'by', 'sort', 'sorted', 'ranked',
  // English
  "what's", 'whats', 'what', 'is', 'are', 'was', 'were', 'show', 'me', 'the', 'how much', 'how many', 'how', 'much', 'many', 'please', 'pls', 'plz',
  'for', 'of', 'in', 'on', 'at', 'our', 'my', 'i', 'want', 'to', 'see', 'get', 'give', 'tell', 'check', 'did', 'do', 'does', 'and', 'with',
  'a', 'an', 'kpi', '/kpi', 'vs', 'vs.', 'versus', 'compare', 'compared', 'over', 'during', 'total', 'all', 'list', 'report', 'can', 'you',
];
