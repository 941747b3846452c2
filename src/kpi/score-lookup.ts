/**
 * The seam for `kpi_score` (glossary §3.6): scores are computed and locked by the Scores feature
 * (weighted achievement per person and month, adjustments, month close), never derived here.
 * queryKpi asks a ScoreLookup when one is given; without one kpi_score answers
 * `missing: not_available`. Scores are per person-period and never summed or averaged, so the
 * lookup answers the total only where it is one person's score and leaves it null otherwise.
 */
import type { Principal } from '../access/types.ts';
import type { Filters, GroupDimension } from './dimensions.ts';

export interface ScoreLookupRequest {
  workspaceId: string;
  from: string;
  to: string;
  groupBy?: GroupDimension;
  filters: Filters;
  /** Scores go only to who may see them (authorize `score.read`; never in groups). */
  principal: Principal;
}

export interface ScoreAnswer {
  total: number | null;
  /** Group-by row key (a user id when grouped by owner) → score. */
  rows: Map<string, number | null>;
}

export interface ScoreLookup {
  scores(req: ScoreLookupRequest): Promise<ScoreAnswer>;
}
