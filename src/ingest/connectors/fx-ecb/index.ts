/**
 * The daily FX feed: the ECB's euro reference rates (no key; published around 16:00 CET on TARGET
 * working days, none on weekends and TARGET holidays). Stored per published day as the `fx`
 * dataset expects (`rate` = units of `to_ccy` per 1 `from_ccy`): EUR→X for every listed currency,
 * plus X→W into the workspace currency W crossed through EUR (rate(W) ÷ rate(X)), because KPI
 * conversion (src/kpi/fx.ts) pivots through the workspace currency, not EUR. Rows carry
 * `source = ecb`, which money cards name; a manual `fx` row for the same day and pair is never
 * replaced (manual-wins.ts). Days without a publication fall back to the previous rate (≤ 7 days,
 * flagged stale) in src/kpi/fx.ts.
 */
import { addDays } from '../../../kpi/dates.ts';
import type { SourceRow } from '../../source/csv.ts';
import { ConnectorError, type ConnectorDefinition, type PullContext } from '../types.ts';
import { parseEcbXml, type EcbDay } from './parse.ts';

export const ECB_BASE_URL = 'https://www.ecb.europa.eu/stats/eurofxref';
export const ECB_SOURCE = 'ecb';
/** Days the 90-day history file reaches back (the daily file has one day). */
const HISTORY_DAYS = 90;

const FX_HEADER = ['date', 'from_ccy', 'to_ccy', 'rate', 'source'];

/** 8 decimals: the fx_rates column's scale. */
const fmtRate = (n: number) => n.toFixed(8).replace(/\.?0+$/, '');

async function fetchXml(ctx: PullContext, file: string): Promise<EcbDay[]> {
  const base = typeof ctx.config.baseUrl === 'string' ? ctx.config.baseUrl : ECB_BASE_URL;
  let res: Response;
  try {
    res = await ctx.fetch(`${base}/${file}`, { headers: { accept: 'application/xml, text/xml' }, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (err) {
    throw new ConnectorError('provider_unavailable', `the ECB could not be reached (${(err as Error).message.slice(0, 100)})`);
  }
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after'));
    throw new ConnectorError('rate_limited', 'the ECB asked us to slow down', Number.isFinite(after) && after >= 0 ? after : undefined);
  }
  if (res.status >= 500) throw new ConnectorError('provider_unavailable', `the ECB answered ${res.status}`);
  if (!res.ok) throw new ConnectorError('malformed_response', `the ECB answered ${res.status} for ${file}`);
  return parseEcbXml(await res.text());
}

/** The rows of one published day: EUR→X, and X→W into the workspace currency. */
export function dayRows(day: EcbDay, wanted: Set<string> | null, workspaceCurrency?: string): string[][] {
  const rates = new Map([...day.rates].filter(([c]) => !wanted || wanted.has(c) || c === workspaceCurrency));
  const out: string[][] = [...rates].map(([ccy, r]) => [day.date, 'EUR', ccy, fmtRate(r), ECB_SOURCE]);
  const w = workspaceCurrency;
  const rw = w ? rates.get(w) : undefined;
  if (w && rw) {
    for (const [ccy, r] of rates) if (ccy !== w) out.push([day.date, ccy, w, fmtRate(rw / r), ECB_SOURCE]);
  }
  return out;
}

export const fxEcb: ConnectorDefinition = {
  kind: 'fx_feed',
  label: { en: 'ECB reference rates', zh: '欧洲央行参考汇率' },
  datasets: ['fx'],
  source: 'api',
  configSchema: [
    { key: 'baseUrl', label: { en: 'Base URL', zh: '地址' }, secret: false, required: false, kind: 'url', help: `default ${ECB_BASE_URL}` },
    { key: 'currencies', label: { en: 'Currencies', zh: '币种' }, secret: false, required: false, kind: 'string[]', help: 'ISO codes to store (default: all the ECB lists)' },
  ],
  repullDays: 3,
  initialDays: 7,
  includeToday: true,
  // The rates appear at about 16:00 CET; half an hour later they are there.
  runAt: { time: '16:30', timeZone: 'Europe/Berlin' },
  async test(ctx) {
    const [day] = await fetchXml(ctx, 'eurofxref-daily.xml');
    return { ok: true, detail: `rates of ${day!.date} for ${day!.rates.size} currencies` };
  },
  async *pull(ctx) {
    const daily = await fetchXml(ctx, 'eurofxref-daily.xml');
    const latest = daily[daily.length - 1]!.date;
    let days = daily;
    if (ctx.from < latest) {
      if (ctx.from < addDays(latest, -HISTORY_DAYS)) ctx.log(`the ECB keeps ${HISTORY_DAYS} days online; ${ctx.from} is older, pulling what there is`);
      days = await fetchXml(ctx, 'eurofxref-hist-90d.xml');
    }
    const wanted = Array.isArray(ctx.config.currencies) ? new Set((ctx.config.currencies as string[]).map((c) => c.toUpperCase())) : null;
    const rows: SourceRow[] = [{ row: 0, cells: FX_HEADER }];
    for (const day of days) {
      if (day.date < ctx.from || day.date > ctx.to) continue;
      for (const cells of dayRows(day, wanted, ctx.workspaceCurrency)) rows.push({ row: rows.length, cells });
    }
    if (rows.length > 1) yield { dataset: 'fx', rows };
  },
};
