/**
 * One digest card for a target: the numbers (compose.ts), the charts and the card; or, for a
 * workspace (or team) without any data, the setup hint instead of a card full of dashes.
 */
import { card, text, type Card } from '../bot/card.ts';
import { tr, type Bilingual } from '../bot/language.ts';
import type { Database } from '../db/client.ts';
import type { ChartRenderer } from '../render/index.ts';
import { composeDigest, type DigestCadence, type DigestData } from './compose.ts';
import { buildDigestCard, CADENCE_TITLE } from './digest-card.ts';
import { digestCharts } from './digest-charts.ts';
import type { GoalSource } from './goal-source.ts';
import type { DigestTarget } from './target.ts';

export interface DigestDeps {
  database: Database;
  charts: ChartRenderer;
  goals?: GoalSource;
}

export type BuiltDigest = { kind: 'digest'; card: Card; data: DigestData } | { kind: 'setup'; card: Card };

export function setupCard(t: DigestTarget, cadence: DigestCadence): Card {
  const s = (b: Bilingual) => tr(t.locale, b);
  return card({
    title: `${s(CADENCE_TITLE[cadence])} · ${s({ en: 'no data yet', 'zh-CN': '还没有数据' })}`,
    tone: 'info',
    blocks: [
      text(
        s({
          en: 'There is nothing to report yet: no store has data. To get your first digest:',
          'zh-CN': '还没有可汇报的数据：店铺都还没有导入数据。三步收到第一份日报：',
        }),
      ),
      text(
        s({
          en: '1. Send me an orders export (CSV or XLSX), or run `npx kpibot import orders.csv --dataset orders`\n2. Bind this group to its team: `bind team:<team id>`\n3. Check what arrived: `data status`, then `digest preview`',
          'zh-CN': '1. 把订单导出文件（CSV 或 XLSX）发给我，或运行 `npx kpibot import orders.csv --dataset orders`\n2. 把本群绑定到团队：`bind team:<团队 id>`\n3. 查看导入情况：`data status`，再发 `digest preview`',
        }),
      ),
    ],
  });
}

export async function buildDigest(
  deps: DigestDeps,
  t: DigestTarget,
  o: { cadence: DigestCadence; now: Date; kpis?: readonly string[] | null },
): Promise<BuiltDigest> {
  const data = await composeDigest({ database: deps.database, ...(deps.goals ? { goals: deps.goals } : {}) }, t, o);
  if (!data) return { kind: 'setup', card: setupCard(t, o.cadence) };
  const charts = await digestCharts(deps.database, deps.charts, data);
  return { kind: 'digest', card: buildDigestCard(data, charts), data };
}
