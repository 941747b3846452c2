/**
 * The demo's lifecycle (ARCHITECTURE.md "Demo workspace", "Start-up and readiness"): seed it once,
 * roll it forward to yesterday at every start, purge it on request. Each runs in one transaction
 * under an advisory lock, so replicas starting together seed once and a failure leaves nothing
 * half-written. Only the workspace `demo` with is_demo = true is ever written or deleted.
 */
import { sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import type { Database, Db } from '../db/client.ts';
import { normalizeRows, resultRows } from '../db/normalize.ts';
import { AppError } from '../errors.ts';
import { alertRuleRows } from './alert-rules.ts';
import { insertRows } from './bulk-insert.ts';
import { addDays, daysInclusive, monthPeriod, toDay, todayIn } from './dates.ts';
import { generateFacts } from './generate.ts';
import { actualsFrom, currentPeriods, goalRows } from './goals.ts';
import { DEFAULT_DEMO_SEED, DEMO_WORKSPACE_ID, DEMO_WORKSPACE_NAME } from './org.ts';
import { masterRunRows, writeStretch } from './writer.ts';
import { rollDemoScores, seedDemoScores } from './scores.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Days of facts a fresh demo holds, ending at the anchor. */
export const DEMO_WINDOW_DAYS = 180;
const LOCK_KEY = 0x64656d6f; // "demo"
const SYSTEM: Actor = { kind: 'system', name: 'demo' };
const WS = DEMO_WORKSPACE_ID;

/** How to seed: the window's last day and seed, and the workspace defaults (config's DEFAULT_*). */
export interface SeedOptions {
  /** Last day of facts (`YYYY-MM-DD`), the demo's "yesterday". */
  anchor: string;
  /** Picks the company's random details; default DEFAULT_DEMO_SEED. */
  seed?: number;
  /** Workspace time zone, currency and locale; default Asia/Shanghai, CNY, zh-CN. */
  timezone?: string;
  currency?: string;
  locale?: 'zh-CN' | 'en';
  /** Who asked, for the audit trail; default the system. */
  actor?: Actor;
}

/** What a seed wrote: the window [from, anchor], rows per table and the time it took. */
export interface DemoSummary {
  anchor: string;
  seed: number;
  from: string;
  rows: Record<string, number>;
  ms: number;
}

/** The workspace `demo` as found: missing, a real workspace, an empty demo row, or seeded. */
export type DemoState =
  | { kind: 'absent' }
  | { kind: 'not_demo' }
  | { kind: 'empty'; seed: number | null }
  | { kind: 'present'; anchor: string; seed: number };

async function lock(tx: Tx): Promise<void> {
  await tx.execute(sql.raw(`select pg_advisory_xact_lock(${LOCK_KEY})`));
}

async function readState(db: Pick<Db, 'execute'>): Promise<DemoState> {
  const [ws] = normalizeRows<{ is_demo: boolean; demo_anchor: string | null; demo_seed: number | null; stores: number }>(
    resultRows(
      await db.execute(sql`select is_demo, demo_anchor::text as demo_anchor, demo_seed,
        (select count(*) from stores where workspace_id = ${WS}) as stores from workspaces where id = ${WS}`),
    ),
  );
  if (!ws) return { kind: 'absent' };
  if (!ws.is_demo) return { kind: 'not_demo' };
  if (Number(ws.stores) === 0 || !ws.demo_anchor) return { kind: 'empty', seed: ws.demo_seed };
  return { kind: 'present', anchor: ws.demo_anchor, seed: ws.demo_seed ?? DEFAULT_DEMO_SEED };
}

/** What is in the database now, without locking. */
export async function demoState(database: Database): Promise<DemoState> {
  return readState(database.db);
}

const NOT_DEMO = `workspace "${WS}" exists and is not a demo workspace; the demo never touches it`;

async function seedInTx(tx: Tx, state: DemoState, o: SeedOptions): Promise<DemoSummary> {
  const started = performance.now();
  const seed = o.seed ?? DEFAULT_DEMO_SEED;
  const from = addDays(o.anchor, -(DEMO_WINDOW_DAYS - 1));
  if (state.kind === 'absent') {
    await insertRows(tx, 'workspaces', [{
      id: WS, name: DEMO_WORKSPACE_NAME, timezone: o.timezone ?? 'Asia/Shanghai', currency: o.currency ?? 'CNY',
      locale: o.locale ?? 'zh-CN', is_demo: true, demo_anchor: o.anchor, demo_seed: seed,
    }]);
  } else {
    await tx.execute(sql`update workspaces set demo_anchor = ${o.anchor}, demo_seed = ${seed}, updated_at = now() where id = ${WS}`);
  }
  const requestedBy = o.actor?.name ?? 'demo';
  const written = await writeStretch(tx, { ws: WS, seed, from, to: o.anchor, requestedBy, rollForward: false });
  const rows = written.rows;
  const periods = [...currentPeriods(o.anchor), monthPeriod(addDays(monthPeriod(o.anchor).start, -1))];
  const goals = periods.flatMap((p) => goalRows(WS, written.actuals, p, o.anchor));
  await insertRows(tx, 'goals', goals);
  rows.goals = goals.length;
  Object.assign(rows, await seedDemoScores(tx, WS, written.actuals, o.anchor));
  const rules = alertRuleRows(WS);
  await insertRows(tx, 'alert_rules', rules, { onConflict: 'on conflict do nothing' });
  rows.alert_rules = rules.length;
  const runs = masterRunRows(WS, o.anchor, rows, requestedBy);
  await insertRows(tx, 'sync_runs', runs);
  rows.sync_runs = (rows.sync_runs ?? 0) + runs.length;
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  await recordAudit(tx, {
    workspaceId: WS, actor: o.actor ?? SYSTEM, action: 'seed', entity: 'workspace', entityId: WS,
    after: { anchor: o.anchor, seed, from, rows: total },
  });
  return { anchor: o.anchor, seed, from, rows, ms: Math.round(performance.now() - started) };
}

/**
 * Seeds the demo workspace with 180 days ending at `anchor`. Refuses (conflict, nothing written)
 * when the demo already has data or `demo` is a real workspace.
 */
export async function seedDemo(database: Database, o: SeedOptions): Promise<DemoSummary> {
  return database.db.transaction(async (tx) => {
    await lock(tx);
    const state = await readState(tx);
    if (state.kind === 'not_demo') throw new AppError('conflict', NOT_DEMO);
    if (state.kind === 'present') {
      throw new AppError(
        'conflict',
        `the demo workspace already exists (anchor ${state.anchor}, seed ${state.seed}); nothing was changed. ` +
          'Run "kpibot demo purge --yes" first to seed it again.',
      );
    }
    return seedInTx(tx, state, o);
  });
}

/** Outcome of a roll-forward: nothing to do, the days added, or a fresh window after a long sleep. */
export type RollResult =
  | { status: 'absent' | 'not_demo' | 'current'; anchor?: string }
  | { status: 'rolled'; from: string; anchor: string; days: number; rows: Record<string, number>; ms: number }
  | { status: 'reseeded'; summary: DemoSummary };

async function rollInTx(tx: Tx, state: Extract<DemoState, { kind: 'present' }>, target: string, actor: Actor): Promise<RollResult> {
  if (state.anchor >= target) return { status: 'current', anchor: state.anchor };
  const days = daysInclusive(state.anchor, target) - 1;
  if (days > DEMO_WINDOW_DAYS) {
    // Asleep for more than a window: a fresh window is cheaper and has no hole in it.
    const ws = await readWs(tx);
    await tx.execute(sql`delete from workspaces where id = ${WS} and is_demo`);
    const summary = await seedInTx(tx, { kind: 'absent' }, {
      anchor: target, seed: state.seed, timezone: ws.timezone, currency: ws.currency, locale: ws.locale as 'zh-CN' | 'en', actor,
    });
    return { status: 'reseeded', summary };
  }
  const started = performance.now();
  const from = addDays(state.anchor, 1);
  const written = await writeStretch(tx, { ws: WS, seed: state.seed, from, to: target, requestedBy: actor.name ?? 'demo', rollForward: true });
  const rows = written.rows;
  await tx.execute(sql`update goals set status = 'closed', updated_at = now()
    where workspace_id = ${WS} and created_by = 'demo' and status = 'active' and period_end < ${target}`);
  const existing = new Set(
    resultRows(await tx.execute(sql`select distinct period_id from goals where workspace_id = ${WS} and created_by = 'demo'`)).map((r) =>
      String(r.period_id),
    ),
  );
  const missing = currentPeriods(target).filter((p) => !existing.has(p.id));
  if (missing.length > 0) {
    const actuals = generateFacts(WS, state.seed, toDay(actualsFrom(missing, target)), toDay(target), { actualsOnly: true }).actuals;
    const goals = missing.flatMap((p) => goalRows(WS, actuals, p, target));
    await insertRows(tx, 'goals', goals);
    rows.goals = goals.length;
    Object.assign(rows, await rollDemoScores(tx, WS, state.seed, target));
  }
  await tx.execute(sql`update workspaces set demo_anchor = ${target}, updated_at = now() where id = ${WS}`);
  await recordAudit(tx, {
    workspaceId: WS, actor, action: 'roll_forward', entity: 'workspace', entityId: WS,
    before: { anchor: state.anchor }, after: { anchor: target, days },
  });
  return { status: 'rolled', from, anchor: target, days, rows, ms: Math.round(performance.now() - started) };
}

async function readWs(tx: Tx): Promise<Record<string, string>> {
  const [row] = resultRows(await tx.execute(sql`select timezone, currency, locale from workspaces where id = ${WS}`));
  return (row ?? {}) as Record<string, string>;
}

/** Generates the days after the demo's anchor up to yesterday (`today` − 1), from the same seed. */
export async function rollDemoForward(database: Database, o: { today: string; actor?: Actor }): Promise<RollResult> {
  return database.db.transaction(async (tx) => {
    await lock(tx);
    const state = await readState(tx);
    if (state.kind === 'absent' || state.kind === 'empty') return { status: 'absent' };
    if (state.kind === 'not_demo') return { status: 'not_demo' };
    return rollInTx(tx, state, addDays(o.today, -1), o.actor ?? SYSTEM);
  });
}

/** Deletes the demo workspace and everything in it (foreign keys cascade); the audit trail stays. */
export async function purgeDemo(database: Database, o: { actor?: Actor } = {}): Promise<{ anchor: string | null; seed: number | null }> {
  return database.db.transaction(async (tx) => {
    await lock(tx);
    const state = await readState(tx);
    if (state.kind === 'absent') throw new AppError('not_found', 'there is no demo workspace to purge');
    if (state.kind === 'not_demo') throw new AppError('conflict', NOT_DEMO);
    await tx.execute(sql`delete from workspaces where id = ${WS} and is_demo`);
    const before = state.kind === 'present' ? { anchor: state.anchor, seed: state.seed } : { anchor: null, seed: state.seed };
    await recordAudit(tx, { workspaceId: WS, actor: o.actor ?? SYSTEM, action: 'purge', entity: 'workspace', entityId: WS, before });
    return before;
  });
}

/** Start-up step options: the config's defaults and a clock. */
export interface EnsureOptions {
  timezone: string;
  currency: string;
  locale: 'zh-CN' | 'en';
  now?: Date;
  actor?: Actor;
}

/**
 * The start-up step (DEMO=auto): seed when the demo is absent or empty, else roll it forward to
 * yesterday in the default time zone. A real workspace called `demo` is left alone.
 */
export async function ensureDemo(database: Database, o: EnsureOptions): Promise<{ action: 'seeded'; summary: DemoSummary } | { action: 'rolled'; result: RollResult } | { action: 'skipped' }> {
  const today = todayIn(o.timezone, o.now);
  const actor = o.actor ?? { kind: 'system', name: 'startup' };
  return database.db.transaction(async (tx) => {
    await lock(tx);
    const state = await readState(tx);
    if (state.kind === 'not_demo') return { action: 'skipped' as const };
    if (state.kind === 'absent' || state.kind === 'empty') {
      const summary = await seedInTx(tx, state, {
        anchor: addDays(today, -1), seed: state.kind === 'empty' ? (state.seed ?? undefined) : undefined,
        timezone: o.timezone, currency: o.currency, locale: o.locale, actor,
      });
      return { action: 'seeded' as const, summary };
    }
    return { action: 'rolled' as const, result: await rollInTx(tx, state, addDays(today, -1), actor) };
  });
}
