/**
 * What the one chat parser produces (ARCHITECTURE.md "Chat command language", glossary §5).
 * Pure data: ids are catalogue metric ids, ARCHITECTURE.md period and compare ids, and the KPI
 * engine's dimension names. Names typed by people (store names, 团队:亚马逊美国, @李强) stay as
 * written in `ScopeRef.text`; resolving them against the workspace is `src/bot/resolve.ts`.
 */
import type { FilterDimension, GroupDimension } from '../../kpi/dimensions.ts';
import type { CompareId } from '../../kpi/periods.ts';

/** A scope as typed: `store:us-main`, `店铺:美国主店`, `team:amazon-us`, `@carol`. */
export interface ScopeRef {
  dim: FilterDimension | 'owner' | 'category' | 'warehouse' | 'ad_group';
  /** As typed, trimmed, without the `store:` prefix. */
  text: string;
}

/** A KPI question: `gmv 7d by store`, `本周 GMV 按店铺`, `chart gmv 30d`, `上月 净利润 同比`. */
export interface KpiAsk {
  kind: 'kpi';
  /** `chart …` / `图表 …`: the chart only. */
  chartOnly: boolean;
  /** Catalogue ids, in the order asked, deduplicated. At least one. */
  metrics: string[];
  /** Period id; `last_7d`-style default chosen by the parser when none was typed. */
  period: string;
  /** false when the parser filled in the default period. */
  periodExplicit: boolean;
  compare?: CompareId;
  groupBy?: GroupDimension | 'owner' | 'category';
  scopes: ScopeRef[];
  /** `top 10` / `前10` / `倒数5`: rank rows, best first unless `bottom`. */
  rank?: { n: number; bottom: boolean };
  /** Reporting currency asked for (`in USD`, `美元`). */
  currency?: string;
}

/** Why text could not become a command; the bot turns it into a short hint in the asker's language. */
export type HintReason =
  | 'empty'
  | 'too_long'
  | 'unknown_word'
  | 'no_metric'
  | 'bad_period'
  | 'bad_number'
  | 'conflict';

export interface ParseHint {
  kind: 'hint';
  reason: HintReason;
  /** The offending word (at most 40 characters, control and bidi characters removed). */
  word?: string;
  /** Closest known words ("did you mean"), best first, at most 3. */
  suggestions: string[];
}

export type ParsedKpiText = KpiAsk | ParseHint;

/** A parsed amount: `1.2万` → 12000, `35%` → 0.35 (percent), `$1.2m` → 1.2e6 USD. */
export interface Amount {
  value: number;
  percent: boolean;
  currency?: string;
}
