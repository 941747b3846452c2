/**
 * Dataset ids as people say them in chat, both languages: `orders` / 订单 in a file's caption or
 * a `data` command, and the zh label on cards. Ids stay the ARCHITECTURE.md ones.
 */
import type { DatasetId } from '../../db/schema/sync.ts';
import type { Bilingual } from '../../bot/language.ts';
import { DATASETS } from '../datasets/index.ts';

const ZH: Record<string, string> = {
  orders: '订单', ads: '广告', inventory: '库存', service: '客服', activity: '动态', content: '内容', costs: '成本',
  fx: '汇率', calendar: '日历', stores: '店铺', skus: 'SKU', campaigns: '广告活动', warehouses: '仓库',
};

const EXTRA_WORDS: Record<string, string[]> = { orders: ['sales', '销售'], ads: ['广告报表'], skus: ['商品'], fx: ['汇率表'] };

export function datasetName(id: string): Bilingual {
  return { en: id, 'zh-CN': ZH[id] ?? id };
}

/** A dataset named by one word (`orders`, `订单`, `Orders`), or undefined. */
export function datasetFromWord(word: string): DatasetId | undefined {
  const w = word.trim().toLowerCase();
  for (const id of Object.keys(DATASETS) as DatasetId[]) {
    if (w === id || w === ZH[id]?.toLowerCase() || (EXTRA_WORDS[id] ?? []).includes(w)) return id;
  }
  return undefined;
}
