/**
 * A data alert when a KPI answer had no usable exchange rate (glossary §2.3: "the metric is null
 * and a data alert fires"). The value itself is already null with `fx_missing`; this records one
 * live alert per workspace, currency pair and day range in `alerts` (type `freshness`: the fx
 * dataset is not fresh enough) for the Alerts feature to deliver. Idempotent: a transaction-scoped
 * advisory lock on the dedup key serialises concurrent queries, and an alert is only inserted
 * while no live (open, acknowledged or snoozed) one has the same key.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { FxMode } from './fx.ts';

export function fxAlertKey(mode: FxMode, currency: string, reporting: string, from: string, to: string): string {
  return `fx:${mode}:${currency}>${reporting}:${from}..${to}`;
}

/** Records one alert per currency with missing days; returns the dedup keys touched. */
export async function recordFxGaps(
  database: Database,
  workspaceId: string,
  o: { reporting: string; mode: FxMode; gaps: Map<string, Set<string>> },
): Promise<string[]> {
  const keys: string[] = [];
  for (const [currency, daySet] of [...o.gaps].sort(([a], [b]) => a.localeCompare(b))) {
    const days = [...daySet].sort();
    if (days.length === 0) continue;
    const from = days[0]!;
    const to = days[days.length - 1]!;
    const key = fxAlertKey(o.mode, currency, o.reporting, from, to);
    const what = o.mode === 'budget' ? 'budget rate' : 'rate within 7 days';
    const title = `No ${currency}→${o.reporting} ${what} for ${from === to ? from : `${from}..${to}`}: KPI values in ${o.reporting} are missing`;
    const details = { kind: 'fx_missing', currency, reporting: o.reporting, mode: o.mode, from, to, days };
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${workspaceId}|${key}`}))`);
      await tx.execute(sql`
        insert into alerts (workspace_id, type, scope_key, status, severity, title, details)
        select ${workspaceId}, 'freshness', ${key}, 'open', 'warning', ${title}, ${JSON.stringify(details)}::jsonb
        where not exists (select 1 from alerts a where a.workspace_id = ${workspaceId} and a.type = 'freshness' and a.rule_id is null
          and a.scope_key = ${key} and a.status in ('open', 'acknowledged', 'snoozed'))`);
    });
    keys.push(key);
  }
  return keys;
}
