/**
 * The importable datasets by id (ARCHITECTURE.md "Datasets"). `goals` (the annual plan) is
 * imported by the goals feature (`POST /api/v1/goals/import`), not here.
 */
import type { DatasetId } from '../../db/schema/sync.ts';
import { AppError } from '../../errors.ts';
import { activity } from './activity.ts';
import { ads } from './ads.ts';
import { content } from './content.ts';
import { costs } from './costs.ts';
import { inventory } from './inventory.ts';
import { campaigns, skus, stores, warehouses } from './master.ts';
import { orders } from './orders.ts';
import { calendar, fx } from './reference.ts';
import { service } from './service.ts';
import type { DatasetDef } from './types.ts';

export const DATASETS: Readonly<Record<string, DatasetDef>> = Object.freeze({
  orders, ads, inventory, service, activity, content, costs, fx, calendar, stores, skus, campaigns, warehouses,
});

export const IMPORT_DATASETS = Object.keys(DATASETS) as DatasetId[];

export function datasetById(id: string): DatasetDef {
  const def = DATASETS[id];
  if (!def) {
    const hint = id === 'goals' ? ' (goal plans are imported with POST /api/v1/goals/import)' : '';
    throw new AppError('not_found', `unknown dataset "${id.slice(0, 40)}"${hint}; use one of ${IMPORT_DATASETS.join(', ')}`, { field: 'dataset' });
  }
  return def;
}

export type { DatasetDef } from './types.ts';
