/**
 * Per-workspace insight thresholds (issue #27), stored under `workspaces.settings.insights` and
 * merged over the defaults below. Defaults marked *(rec.)* in kpi-glossary.md are quoted from it;
 * the others are ours and say so. A stored value that is not a finite number in range is ignored
 * (the default applies), so a bad edit can never make a rule fire on everything.
 */
import { eq, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import type { Database, Db } from '../db/client.ts';
import { workspaces, type WorkspaceSettings } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';

export interface InsightSettings {
  /** Ad tags: an ad group with at least this many clicks and 0 orders is a 否定/关停 candidate (glossary wasted_spend_share). */
  adTagMinClicks: number;
  /** Ad tags: ROAS target for 加预算; default 4 = 1 ÷ the 25 % mature ACoS target (glossary §3.4). */
  adTargetRoas: number;
  /** A day counts as budget-capped when spend reached this share of the daily budget (ours). */
  adBudgetCappedShare: number;
  /** A campaign is budget-capped when at least this share of the window's spending days were capped (ours). */
  adBudgetCappedDays: number;
  /** 花费突增 on a campaign: a day's spend at least this multiple of its same-weekday median, besides |z| ≥ anomalyZ (ours: a fat-finger, not a season ramp). */
  adSpikeMinRatio: number;
  /** Replenishment lists SKUs whose days of cover are under this (glossary §3.5: days_of_cover < 14). */
  coverThresholdDays: number;
  /** Anomalies: |robust z| at or above this flags a value (glossary §3.5 sudden change: abs(z) ≥ 3). */
  anomalyZ: number;
  /** Anomalies: and the value differs from the baseline median by at least this share (glossary §3.5: Δ ≥ 30 %). */
  anomalyMinChange: number;
  /** Ad health targets (ours, except ACoS 25 % from glossary §3.4). */
  healthAcosTarget: number;
  healthCtrTarget: number;
  healthAdCvrTarget: number;
  healthWastedShareTarget: number;
  /** Account health targets (ours; stricter than the platform red lines, which cap the score at 60 when breached). */
  healthOdrTarget: number;
  healthOnTimeTarget: number;
  healthCancelTarget: number;
  healthReply24hTarget: number;
  /** Ad-attributed values of each store's last N complete days are provisional (glossary §3.9; read by src/kpi/provisional.ts). */
  attributionDays: number;
}

export const INSIGHT_DEFAULTS: Readonly<InsightSettings> = {
  adTagMinClicks: 20,
  adTargetRoas: 4,
  adBudgetCappedShare: 0.95,
  adBudgetCappedDays: 0.5,
  adSpikeMinRatio: 2,
  coverThresholdDays: 14,
  anomalyZ: 3,
  anomalyMinChange: 0.3,
  healthAcosTarget: 0.25,
  healthCtrTarget: 0.004,
  healthAdCvrTarget: 0.1,
  healthWastedShareTarget: 0.1,
  healthOdrTarget: 0.005,
  healthOnTimeTarget: 0.98,
  healthCancelTarget: 0.01,
  healthReply24hTarget: 0.95,
  attributionDays: 3,
};

/** Allowed range per key: counts and days are positive, shares are fractions. */
const RANGES: Record<keyof InsightSettings, [number, number]> = {
  adTagMinClicks: [1, 100_000],
  adTargetRoas: [0.01, 1000],
  adBudgetCappedShare: [0.01, 1],
  adBudgetCappedDays: [0.01, 1],
  adSpikeMinRatio: [1, 1000],
  coverThresholdDays: [1, 365],
  anomalyZ: [0.5, 50],
  anomalyMinChange: [0, 10],
  healthAcosTarget: [0.001, 10],
  healthCtrTarget: [0.0001, 1],
  healthAdCvrTarget: [0.0001, 1],
  healthWastedShareTarget: [0.0001, 1],
  healthOdrTarget: [0.0001, 1],
  healthOnTimeTarget: [0.0001, 1],
  healthCancelTarget: [0.0001, 1],
  healthReply24hTarget: [0.0001, 1],
  attributionDays: [0, 30],
};

/** The stored overrides merged over the defaults; out-of-range or non-numeric values are ignored. */
export function insightSettingsOf(settings: WorkspaceSettings | null | undefined): InsightSettings {
  const out: InsightSettings = { ...INSIGHT_DEFAULTS };
  const stored = settings?.insights ?? {};
  for (const key of Object.keys(RANGES) as (keyof InsightSettings)[]) {
    const v = stored[key];
    const [lo, hi] = RANGES[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi) out[key] = v;
  }
  return out;
}

export async function loadInsightSettings(database: Database, workspaceId: string): Promise<InsightSettings> {
  const [row] = await database.query<{ settings: WorkspaceSettings | null }>(sql`select settings from workspaces where id = ${workspaceId}`);
  return insightSettingsOf(row?.settings);
}

export const INSIGHT_KEYS = Object.keys(RANGES) as (keyof InsightSettings)[];

/** A key as typed (any case) → its name, or undefined. */
export function insightKey(word: string): keyof InsightSettings | undefined {
  return INSIGHT_KEYS.find((k) => k.toLowerCase() === word.trim().toLowerCase());
}

/** Sets one insight threshold, audited; a value outside its range is refused with the range. */
export async function setInsightSetting(db: Db, workspaceId: string, key: keyof InsightSettings, value: number, actor: Actor): Promise<{ before: number; after: number }> {
  const [lo, hi] = RANGES[key];
  if (!Number.isFinite(value) || value < lo || value > hi) {
    throw new AppError('invalid_argument', `${key} takes ${lo} to ${hi}`, { field: key });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    if (!row) throw new AppError('not_found', `no workspace "${workspaceId}"`, { field: 'workspace' });
    const before = insightSettingsOf(row.settings)[key];
    const insights = { ...(row.settings?.insights ?? {}), [key]: value };
    await tx.update(workspaces).set({ settings: { ...row.settings, insights }, updatedAt: new Date() }).where(eq(workspaces.id, workspaceId));
    await recordAudit(tx, { workspaceId, actor, action: 'update', entity: 'workspace', entityId: workspaceId, before: { [`insights.${key}`]: before }, after: { [`insights.${key}`]: value } });
    return { before, after: value };
  });
}
