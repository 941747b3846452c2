/**
 * The "why did it move" card: the change, the drivers with their share of it (they add up), the
 * stores and SKUs that moved it most, and a bridge chart from the previous value to the current
 * one. Numbers go through the renderer's formatters, like every KPI card.
 */
import { card, deriveFallback, fields, note, text, type Card, type CardBlock } from '../../bot/card.ts';
import { changeText, compareWord, metricLabel, periodWord, valueText } from '../../bot/commands/kpi/labels.ts';
import type { Locale } from '../../bot/language.ts';
import { metricFormat } from '../../kpi/chart-input.ts';
import { formatValue, type BridgeChart, type ValueFormat } from '../../render/index.ts';
import type { Contribution } from './decompose.ts';
import type { WhyAnswer, WhyDriver } from './explain.ts';

const t = (locale: Locale, en: string, zh: string) => (locale === 'en' ? en : zh);
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10} %`);
const md = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;

/** How each driver's own value is shown (traffic is a count, conversion a %, price money…). */
const FACTOR_UNITS: Record<string, ValueFormat['unit']> = {
  traffic: 'count', orders: 'count', impressions: 'count', conversion: 'percent', ctr: 'percent', ad_cvr: 'percent', acos: 'percent',
  price: 'money', ad_aov: 'money', ad_sales: 'money', ad_spend: 'money',
};

function factorFormat(id: string, currency: string): ValueFormat {
  const unit = FACTOR_UNITS[id] ?? 'count';
  return unit === 'money' ? { unit, currency } : { unit };
}

function signed(a: WhyAnswer, v: number, locale: Locale): string {
  return `${v > 0 ? '+' : ''}${valueText(a.def, v, a.currency, locale)}`;
}

export function driverName(d: WhyDriver, locale: Locale): string {
  return locale === 'en' ? d.name.en : d.name.zh;
}

function driverLine(a: WhyAnswer, d: WhyDriver, locale: Locale): string {
  const f = factorFormat(d.id, a.currency);
  const lang = locale === 'en' ? 'en' : 'zh';
  const moved = d.before === 0 ? '' : ` (${d.after >= d.before ? '+' : ''}${pct((d.after - d.before) / Math.abs(d.before))})`;
  const share = t(locale, `${pct(d.share)} of the change`, `占变化 ${pct(d.share)}`);
  return `• ${driverName(d, locale)}: ${formatValue(d.before, f, lang)} → ${formatValue(d.after, f, lang)}${moved} ⇒ ${signed(a, d.effect, locale)} · ${share}`;
}

function memberLine(a: WhyAnswer, c: Contribution, locale: Locale): string {
  return `• ${c.key}: ${signed(a, c.change, locale)} · ${t(locale, `${pct(c.share)} of the change`, `占变化 ${pct(c.share)}`)}`;
}

/** The largest item moving the same way as the total (an offsetting one explains nothing). */
function leading<T>(items: T[], value: (x: T) => number, change: number): T | undefined {
  const same = items.filter((x) => Math.sign(value(x)) === Math.sign(change) && value(x) !== 0);
  return [...same].sort((x, y) => Math.abs(value(y)) - Math.abs(value(x)))[0];
}

/** The driver, store and SKU that pushed the value most in the direction it went, as one line. */
export function verdict(a: WhyAnswer, locale: Locale): string | undefined {
  const change = a.change ?? 0;
  const top = leading(a.drivers, (d) => d.effect, change);
  const store = leading(a.stores.top, (c) => c.change, change);
  const sku = leading(a.skus.top, (c) => c.change, change);
  const up = change > 0;
  const parts: string[] = [];
  if (top) parts.push(t(locale, `Mainly ${driverName(top, locale)} (${signed(a, top.effect, locale)})`, `主要因为${driverName(top, locale)}（${signed(a, top.effect, locale)}）`));
  if (store) parts.push(t(locale, `biggest ${up ? 'rise' : 'drop'} at ${store.key} (${signed(a, store.change, locale)})`, `${up ? '增长' : '下降'}最多的店铺是 ${store.key}（${signed(a, store.change, locale)}）`));
  if (sku) parts.push(t(locale, `SKU ${sku.key} (${signed(a, sku.change, locale)})`, `SKU ${sku.key}（${signed(a, sku.change, locale)}）`));
  if (!parts.length) return undefined;
  return locale === 'en' ? `${parts.join('; ')}.` : `${parts.join('；')}。`;
}

export function bridgeInput(a: WhyAnswer, locale: Locale): BridgeChart | undefined {
  if (a.before === null || a.after === null) return undefined;
  const lang = locale === 'en' ? 'en' : 'zh';
  const steps = a.drivers.length
    ? a.drivers.map((d) => ({ label: driverName(d, locale), value: d.effect }))
    : a.stores.top.length
      ? [...a.stores.top.map((c) => ({ label: c.key, value: c.change })), ...(a.stores.count > a.stores.top.length ? [{ label: t(locale, 'Other stores', '其他店铺'), value: a.change! - a.stores.top.reduce((s, c) => s + c.change, 0) }] : [])]
      : [];
  if (!steps.length) return undefined;
  return {
    kind: 'bridge',
    lang,
    title: `${metricLabel(a.def, locale)} · ${periodWord(a.period.id, locale)}`,
    subtitle: `${a.compare.from} – ${a.compare.to} → ${a.period.from} – ${a.period.to}`,
    ...metricFormat(a.def, a.currency),
    start: { label: t(locale, 'Before', '上期'), value: a.before },
    steps,
    end: { label: t(locale, 'Now', '本期'), value: a.after },
  };
}

/** `dates`: the answer's days (each site's own when they differ, labels.ts periodLine). */
export function buildWhyCard(a: WhyAnswer, locale: Locale, dates: string, chart?: CardBlock, chartFallback?: string): Card {
  const label = metricLabel(a.def, locale);
  const down = (a.change ?? 0) < 0;
  const title = locale === 'en' ? `Why ${label} ${down ? 'fell' : 'rose'} · ${periodWord(a.period.id, locale)}` : `${label} 为什么${down ? '下降' : '上升'} · ${periodWord(a.period.id, locale)}`;
  const blocks: CardBlock[] = [];
  const late = a.provisional ? t(locale, ` (provisional until ${md(a.provisional.until)})`, `（暂估，至${md(a.provisional.until)}）`) : '';
  blocks.push(fields([
    { label, value: `${valueText(a.def, a.after, a.currency, locale)} (${changeText(a.def, a.after, a.before)} ${compareWord(a.compare.id, locale)})${late}` },
    { label: t(locale, 'Before', '上期'), value: valueText(a.def, a.before, a.currency, locale) },
    { label: t(locale, 'Change', '变化'), value: a.change === null ? '—' : signed(a, a.change, locale) },
  ]));
  blocks.push(text(`${dates} · ${compareWord(a.compare.id, locale)} ${a.compare.from} – ${a.compare.to}`));
  const v = verdict(a, locale);
  if (v) blocks.push(text(v));
  if (a.drivers.length) blocks.push(text([`**${t(locale, 'Drivers', '驱动因素')}**`, ...a.drivers.map((d) => driverLine(a, d, locale))].join('\n')));
  if (a.stores.top.length) blocks.push(text([`**${t(locale, 'Stores', '店铺贡献')}**`, ...a.stores.top.map((c) => memberLine(a, c, locale))].join('\n')));
  if (a.skus.top.length) blocks.push(text([`**${t(locale, 'SKUs', 'SKU 贡献')}**`, ...a.skus.top.map((c) => memberLine(a, c, locale))].join('\n')));
  if (chart) blocks.push(chart);
  if (a.method) {
    blocks.push(note(t(locale, 'Drivers are split with the log-mean Divisia method: they add up exactly to the change.', '驱动因素按对数平均迪氏指数法（LMDI）拆分，合计正好等于变化量。')));
  }
  if (a.provisional) blocks.push(note(t(locale, 'Recent days are provisional: ad attribution and late costs may still change them.', '近几天为暂估：广告归因和延迟费用仍可能改变数值。')));
  const derived = deriveFallback(title, blocks);
  return card({ title, tone: 'info', blocks, fallbackText: chartFallback ? `${derived}\n${chartFallback}` : derived });
}

export function noChangeCard(a: WhyAnswer, locale: Locale): Card {
  const label = metricLabel(a.def, locale);
  const why = a.missing === 'forbidden' ? t(locale, 'your role may not see this metric', '你的角色无权查看该指标') : t(locale, 'one of the two periods has no data', '两个时段中有一个没有数据');
  return card({
    title: locale === 'en' ? `Why ${label} moved · ${periodWord(a.period.id, locale)}` : `${label} 变化原因 · ${periodWord(a.period.id, locale)}`,
    tone: 'warning',
    blocks: [text(t(locale, `Nothing to explain: ${why}.`, `无法分析：${why}。`))],
  });
}

/** A metric `why` cannot split: say which ones it can. */
export function notExplainableCard(metric: string, explainable: string[], locale: Locale): Card {
  const list = explainable.join(', ');
  return card({
    title: t(locale, 'Cannot explain this metric', '无法分析该指标'),
    tone: 'warning',
    blocks: [
      text(t(locale, `${metric} is a ratio without a driver identity. \`why\` explains ${list} and any summed metric (e.g. \`why gmv 7d\`).`, `${metric} 是比率指标，没有可拆分的驱动公式。\`为什么\` 可分析 ${list} 及所有可加总的指标（例如 \`为什么 GMV 下降\`）。`)),
    ],
  });
}
