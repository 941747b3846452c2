/**
 * Saved scores (the `scores` table) and the rule that makes them final: while a month is open,
 * preliminary or reopened, every read recomputes and saves; once it is final or locked the saved
 * score never changes — a recomputation only records `recomputed_score`, and the card reports
 * the difference (late data after the lock, glossary §3.6).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { scores, type VetoCode } from '../db/schema/index.ts';
import { closeRow, isFrozen, type MonthState } from './close-state.ts';
import { computeUserScore, type CardLine, type ComputedScore } from './compute.ts';
import type { Grade } from './scorecard.ts';

export interface ScoreRecord {
  userId: string;
  name: string;
  teamId: string | null;
  position: string | null;
  templateId: string | null;
  month: string;
  /** The score's own status; the month's close state is `monthState`. */
  status: 'preliminary' | 'final' | 'locked';
  monthState: MonthState;
  score: number | null;
  grade: Grade | null;
  veto: boolean;
  vetoReasons: VetoCode[];
  /** Over half the weight excluded: no score, manual review. */
  manualReview: boolean;
  lines: CardLine[];
  computedAt: string;
  lockedAt: string | null;
  signOff: { by: string; at: string } | null;
  /** Frozen months only: what today's data would give, when it differs from the locked score. */
  lateData?: { recomputedScore: number | null; difference: number | null };
}

type Row = typeof scores.$inferSelect;

const num = (v: string | null) => (v === null ? null : Number(v));

function toRecord(r: Row, user: { name: string; teamId: string | null; position: string | null }, close: Awaited<ReturnType<typeof closeRow>>): ScoreRecord {
  const score = num(r.score);
  const recomputed = num(r.recomputedScore);
  const signed = user.teamId ? close.teamSignOffs[user.teamId] : undefined;
  const late = isFrozen(close.state) && r.recomputedScore !== null && recomputed !== score;
  return {
    userId: r.userId, name: user.name, teamId: user.teamId, position: user.position, templateId: r.templateId, month: r.month,
    status: r.status, monthState: close.state, score, grade: r.grade, veto: r.veto,
    vetoReasons: r.vetoReason ? (r.vetoReason.split(',') as VetoCode[]) : [],
    manualReview: score === null, lines: r.breakdown as CardLine[],
    computedAt: r.computedAt.toISOString(), lockedAt: r.lockedAt?.toISOString() ?? null,
    signOff: signed ? { by: signed.by, at: signed.at } : null,
    ...(late ? { lateData: { recomputedScore: recomputed, difference: score === null || recomputed === null ? null : Math.round((recomputed - score) * 100) / 100 } } : {}),
  };
}

function values(c: ComputedScore) {
  return {
    templateId: c.template.id,
    score: c.score === null ? null : c.score.toFixed(2),
    grade: c.grade,
    breakdown: c.lines,
    veto: c.veto,
    vetoReason: c.vetoReasons.length ? c.vetoReasons.join(',') : null,
  };
}

async function userInfo(database: Database, workspaceId: string, userId: string) {
  const [u] = await database.query<{ display_name: string; team_id: string | null; position: string | null }>(sql`
    select display_name, team_id, position from users where workspace_id = ${workspaceId} and id = ${userId}`);
  return { name: u?.display_name ?? userId, teamId: u?.team_id ?? null, position: u?.position ?? null };
}

export async function savedScore(database: Database, workspaceId: string, userId: string, month: string): Promise<Row | undefined> {
  const [row] = await database.db.select().from(scores).where(and(eq(scores.workspaceId, workspaceId), eq(scores.userId, userId), eq(scores.month, month)));
  return row;
}

/**
 * The person's score for the month, recomputed now. Open months are saved as preliminary; a
 * frozen month keeps its saved score and records what the data says now.
 */
export async function refreshScore(database: Database, o: { workspaceId: string; userId: string; month: string; now: Date; freezeAs?: 'final' }): Promise<ScoreRecord> {
  const close = await closeRow(database.db, o.workspaceId, o.month);
  const existing = await savedScore(database, o.workspaceId, o.userId, o.month);
  const computed = await computeUserScore(database, o);
  const user = await userInfo(database, o.workspaceId, o.userId);
  let row: Row;
  if (existing && isFrozen(close.state) && !o.freezeAs) {
    const recomputed = computed.score === null ? null : computed.score.toFixed(2);
    [row] = (await database.db.update(scores).set({ recomputedScore: recomputed, updatedAt: new Date() }).where(eq(scores.id, existing.id)).returning()) as [Row];
  } else {
    const status: ScoreRecord['status'] = o.freezeAs ?? (isFrozen(close.state) ? 'final' : 'preliminary');
    const lockedAt = status === 'final' ? o.now : null;
    const v = { ...values(computed), status, computedAt: o.now, lockedAt, recomputedScore: null, updatedAt: new Date() };
    [row] = (await database.db.insert(scores).values({ workspaceId: o.workspaceId, userId: o.userId, month: o.month, ...v })
      .onConflictDoUpdate({ target: [scores.workspaceId, scores.userId, scores.month], set: v }).returning()) as [Row];
  }
  return toRecord(row, user, close);
}

/** A saved score as it stands (no recomputation); undefined when never computed. */
export async function readScore(database: Database, workspaceId: string, userId: string, month: string): Promise<ScoreRecord | undefined> {
  const row = await savedScore(database, workspaceId, userId, month);
  if (!row) return undefined;
  return toRecord(row, await userInfo(database, workspaceId, userId), await closeRow(database.db, workspaceId, month));
}
