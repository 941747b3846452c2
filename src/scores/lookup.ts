/**
 * The ScoreLookup behind `kpi_score` (src/kpi/score-lookup.ts): a person's monthly score, only
 * for a calendar month and only to who may see it (operators their own, managers their team,
 * admins all, never finance, members or groups). Scores are never summed or averaged: the
 * total is one person's score (the `owner` filter, else the asker's own), rows are per person.
 */
import type { Database } from '../db/client.ts';
import type { ScoreAnswer, ScoreLookup, ScoreLookupRequest } from '../kpi/score-lookup.ts';
import { scoredPeople } from './close.ts';
import { monthBounds } from './close-state.ts';
import { ScoreError } from './errors.ts';
import { refreshScore } from './store.ts';
import { demandScoreRead } from './view.ts';

const EMPTY: ScoreAnswer = { total: null, rows: new Map() };

export function createScoreLookup(database: Database, clock: () => Date = () => new Date()): ScoreLookup {
  const deps = { database, now: clock };
  async function visible(req: ScoreLookupRequest, userId: string, month: string): Promise<number | null | undefined> {
    try {
      await demandScoreRead(deps, req.principal, userId);
      return (await refreshScore(database, { workspaceId: req.workspaceId, userId, month, now: clock() })).score;
    } catch (err) {
      if (err instanceof ScoreError) return undefined;
      throw err;
    }
  }
  return {
    async scores(req) {
      const month = req.from.slice(0, 7);
      const b = monthBounds(month);
      if (req.from !== b.from || req.to !== b.to) return EMPTY;
      const owners = req.filters.owner;
      if (req.groupBy === 'owner') {
        const rows = new Map<string, number | null>();
        for (const u of await scoredPeople(database, req.workspaceId)) {
          if (owners && !owners.includes(u.id)) continue;
          const v = await visible(req, u.id, month);
          if (v !== undefined) rows.set(u.id, v);
        }
        return { total: null, rows };
      }
      const one = owners?.length === 1 ? owners[0]! : !owners && req.principal.userId ? req.principal.userId : undefined;
      if (!one) return EMPTY;
      const v = await visible(req, one, month);
      return { total: v ?? null, rows: new Map() };
    },
  };
}
