/**
 * Who may import what, for REST, the CLI and files sent in chat alike: admins import anything;
 * managers and operators fact rows of their own stores (checked per row by the validator with
 * their principal), never master or reference data.
 */
import { authorize, inScope } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import { AppError } from '../errors.ts';
import { datasetById } from './datasets/index.ts';
import type { Lookups } from './pipeline/lookups.ts';

export function checkImportAllowed(p: Principal, dataset: string): void {
  const d = authorize(p, 'data.import', {});
  if (d.ok) return;
  const storeFacts = datasetById(dataset).store === 'required';
  if ((p.role === 'manager' || p.role === 'operator') && storeFacts && d.code === 'out_of_scope') return;
  throw new AppError('forbidden', storeFacts ? d.reason : `only admins import ${dataset}`);
}

/**
 * The stores both principals may touch, as a store-only scope: a file sent into a group bound to
 * a team imports rows of that team's stores only, even when the sender's own scope is wider.
 */
export function narrowToStores(asker: Principal, limit: Principal, lookups: Pick<Lookups, 'stores'>): Principal {
  if (limit.scope.all) return asker;
  const storeIds = [...lookups.stores.values()]
    .filter((s) => {
      const r = { storeId: s.id, teamId: s.teamId ?? undefined };
      return inScope(asker.scope, r) && inScope(limit.scope, r);
    })
    .map((s) => s.id);
  return { ...asker, scope: { all: false, teamIds: [], storeIds, skuIds: [] } };
}
