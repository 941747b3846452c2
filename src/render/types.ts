/**
 * Neutral chart inputs. `src/render` is a leaf: callers (the bot's cards, digests, the charts
 * route) map KPI results onto these shapes; nothing here knows about platforms, Fastify or the
 * bot's Card model. Every chart is phone-first (about 600×340 CSS px, PNG at 2×) and carries its
 * own language, because number, date and label forms follow the reader, while currency symbols
 * follow the currency (kpi-glossary.md, ARCHITECTURE.md "Chat command language").
 */

/** Reader's language. `zh` → 1.2万, 11月3日(周一); `en` → 12K, Mon 3 Nov. */
export type Lang = 'zh' | 'en';

/**
 * How a value is shown. Percentages and shares arrive as fractions (0.253 → `25.3 %`), money in
 * `currency` (ISO 4217) after FX; `multiple` is ROAS-style (3.2×).
 */
export type ValueUnit = 'money' | 'count' | 'percent' | 'multiple' | 'days' | 'hours' | 'minutes' | 'score' | 'rating';

export interface ValueFormat {
  unit: ValueUnit;
  /** ISO 4217 code; required for `money`, ignored otherwise. */
  currency?: string;
}

/** Goal status colour (glossary §3.4); grey = insufficient data. */
export type Rag = 'red' | 'amber' | 'green' | 'grey';

export interface ChartBase {
  /** Shown on top of the chart and used as its alt text. Emoji are dropped (no emoji font). */
  title: string;
  subtitle?: string;
  lang: Lang;
}

/** One day of a series; `date` is the store-local day `YYYY-MM-DD`, `null` = no data that day. */
export interface DayValue {
  date: string;
  value: number | null;
}

/** Daily trend with optional target line, pace band and previous-period ghost line. */
export interface TrendChart extends ChartBase, ValueFormat {
  kind: 'trend';
  series: DayValue[];
  /**
   * The comparison period, aligned by position (its first day under the current first day), so
   * `prev`/`yoy` compare like with like. Drawn as a thin dashed "ghost" line.
   */
  previous?: DayValue[];
  /** Horizontal target line (daily target or a ratio goal), with a direct label. */
  target?: number | null;
  /** Pace band per day (e.g. the amber zone of a cumulative goal), computed by the KPI engine. */
  pace?: { date: string; lo: number; hi: number }[];
  /** Override the default direct labels (上期/Prev, 目标/Target, 进度/Pace). */
  labels?: { previous?: string; target?: string; pace?: string };
}

/** Values by one dimension (store, SKU, campaign): top N and the rest folded into 其他/Other. */
export interface BarsChart extends ChartBase, ValueFormat {
  kind: 'bars';
  bars: { label: string; value: number | null }[];
  /** Largest bars kept before folding (default and max 7, so at most 8 bars are drawn). */
  top?: number;
  /** `auto` (default) turns bars horizontal when labels are long or many. */
  orientation?: 'auto' | 'vertical' | 'horizontal';
}

/** Goal bullets: progress towards each target, coloured by RAG plus a shape and a word. */
export interface GoalsChart extends ChartBase {
  kind: 'goals';
  goals: GoalBullet[];
}

export interface GoalBullet extends ValueFormat {
  label: string;
  actual: number | null;
  target: number;
  /** Where the actual should be by now (time-progress pacing, glossary §3.3); a tick on the bar. */
  expected?: number | null;
  rag: Rag;
  /**
   * Achievement as a fraction of target, already inverted for lower-is-better metrics (glossary
   * §3.2). Default: actual / target.
   */
  progress?: number | null;
}

/** Cost ids with default labels; any other id needs `label`. */
export type WaterfallStepId = 'cogs' | 'fees' | 'promo' | 'ads' | 'logistics' | 'storage' | 'other';

/**
 * Net-profit bridge: sales, then each cost (positive amounts, subtracted), then profit. Profit is
 * computed here (sales − Σ costs) and may be negative.
 */
export interface WaterfallChart extends ChartBase {
  kind: 'waterfall';
  currency: string;
  sales: number;
  costs: { id: WaterfallStepId | (string & {}); label?: string; value: number }[];
  salesLabel?: string;
  profitLabel?: string;
}

/**
 * Change bridge ("why did it move"): the previous period's value, each driver's signed effect
 * stepping up or down, then the current value. The effects should add up to end − start; the
 * chart draws them as given and lands the last bar on `end`.
 */
export interface BridgeChart extends ChartBase, ValueFormat {
  kind: 'bridge';
  start: { label: string; value: number };
  steps: { label: string; value: number }[];
  end: { label: string; value: number };
}

/** A small line for a card field or a scorecard row; the last value is labelled. */
export interface SparklineChart extends ChartBase, ValueFormat {
  kind: 'sparkline';
  values: (number | null)[];
  rag?: Rag;
}

/** A digest's scorecard as an image: one row per metric with RAG marker, value and change. */
export interface ScorecardChart extends ChartBase {
  kind: 'scorecard';
  rows: ScorecardRow[];
  /** Column header of the change, e.g. 环比 / vs prev. */
  changeHeader?: string;
}

export interface ScorecardRow extends ValueFormat {
  label: string;
  value: number | null;
  /** Relative change as a fraction (+0.12 → +12.0 %), or points for percent metrics (see changeUnit). */
  change?: number | null;
  /** `pp`: the change of a percent metric in percentage points, given as a fraction (0.021 → +2.1 pp). */
  changeUnit?: 'relative' | 'pp';
  /** Which way is good, for colouring the change (default higher). */
  better?: 'higher' | 'lower';
  rag?: Rag;
}

export type ChartInput = TrendChart | BarsChart | GoalsChart | WaterfallChart | BridgeChart | SparklineChart | ScorecardChart;
export type ChartKind = ChartInput['kind'];
