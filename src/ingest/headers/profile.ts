/**
 * A header profile maps one export layout onto a dataset's template columns. Built-in profiles
 * cover our own templates and the seller ERPs and marketplaces named in issue 30; `origin` says
 * whether a layout was taken from published documentation or assumed from common exports (to be
 * confirmed against a real file). Workspaces add their own (import_mappings).
 */
import type { DatasetId } from '../../db/schema/sync.ts';
import type { DateOrder } from '../values/dates.ts';

export interface HeaderProfile {
  id: string;
  dataset: DatasetId;
  label: { en: string; zh: string };
  origin: 'template' | 'documented' | 'assumed' | 'workspace' | 'inline';
  /** Template column → header names the layout uses for it (any language). */
  columns: Record<string, string[]>;
  /** Values for template columns the layout has no column for. */
  constants?: Record<string, string>;
  dateOrder?: DateOrder;
  /** Where the documented layout was read. */
  reference?: string;
}

/**
 * Header text as compared: Unicode-compatible forms (full-width → ASCII), lower case, without
 * spaces, punctuation and brackets, so `Order ID`, `order-id`, `order_id` and `订单号（平台）` vs
 * `订单号(平台)` compare equal.
 */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^\ufeff/, '')
    .replace(/[\s_\-./\\:：,，;；'"“”‘’()[\]【】{}<>《》|*#?？!！]/g, '');
}
