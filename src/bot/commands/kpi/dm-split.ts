/**
 * Who sees which part of a KPI answer (ARCHITECTURE.md "who sees what"). In a DM: the asker's
 * own role. In a group: only metrics both the chat's audience and the asker may see, within the
 * asker's own stores when the asker is store-scoped; metrics only the asker may see (profit for
 * finance in an unbound group) go to the asker by DM, and the group is told so.
 */
import { canSeeMetricClass } from '../../../access/authorize.ts';
import type { Principal } from '../../../access/types.ts';
import type { FilterDimension } from '../../../kpi/dimensions.ts';
import type { MetricDef } from '../../../kpi/types.ts';
import type { KpiRequest } from './request.ts';

export interface AnswerPart {
  principal: Principal;
  defs: MetricDef[];
  filters: Partial<Record<FilterDimension, string[]>>;
}

export interface SplitPlan {
  /** The answer in the chat the question came from; undefined when nothing may be shown there. */
  here?: AnswerPart;
  /** The restricted part, sent to the asker by DM (groups only). */
  dm?: AnswerPart;
  /** Metrics the asker may not see at all. */
  hidden: MetricDef[];
  /** The asker is store-scoped and none of the asked stores are theirs. */
  outOfScope: boolean;
}

/**
 * Filters narrowed to the asker's own stores (or SKUs) when the asker is store-scoped, because a
 * group audience (member level) would otherwise show an operator the whole workspace.
 * undefined = nothing left.
 */
export function narrowToAsker(filters: KpiRequest['f'], asker: Principal): Partial<Record<FilterDimension, string[]>> | undefined {
  const f = { ...(filters ?? {}) };
  if (asker.scope.all || asker.role === 'member' || asker.role === 'finance') return f;
  const { storeIds, skuIds } = asker.scope;
  if (storeIds.length) {
    const wanted = f.store?.length ? f.store.filter((s) => storeIds.includes(s)) : [...storeIds];
    return wanted.length ? { ...f, store: wanted } : undefined;
  }
  if (skuIds.length) {
    const wanted = f.sku?.length ? f.sku.filter((s) => skuIds.includes(s)) : [...skuIds];
    return wanted.length ? { ...f, sku: wanted } : undefined;
  }
  return undefined;
}

export function splitAnswer(defs: MetricDef[], req: KpiRequest, chat: 'direct' | 'group', asker: Principal, audience: Principal): SplitPlan {
  const askerSees = defs.filter((d) => canSeeMetricClass(asker, d.class));
  const hidden = defs.filter((d) => !askerSees.includes(d));
  const own = { ...(req.f ?? {}) };
  if (chat === 'direct') {
    // Naming only stores (or SKUs) that are not the asker's — typed, or a forged drill-down
    // button — is refused as such, not answered with an empty "no data" that hides why.
    const namesOthers = Boolean(own.store?.length || own.sku?.length) && narrowToAsker(own, asker) === undefined;
    const storeScoped = !asker.scope.all && (asker.scope.storeIds.length > 0 || asker.scope.skuIds.length > 0);
    const outOfScope = askerSees.length > 0 && namesOthers && storeScoped;
    return { ...(askerSees.length && !outOfScope ? { here: { principal: asker, defs: askerSees, filters: own } } : {}), hidden, outOfScope };
  }
  const groupSees = askerSees.filter((d) => canSeeMetricClass(audience, d.class));
  const dmOnly = askerSees.filter((d) => !groupSees.includes(d));
  const narrowed = narrowToAsker(req.f, asker);
  return {
    ...(groupSees.length && narrowed ? { here: { principal: audience, defs: groupSees, filters: narrowed } } : {}),
    ...(dmOnly.length ? { dm: { principal: asker, defs: dmOnly, filters: own } } : {}),
    hidden,
    outOfScope: groupSees.length > 0 && !narrowed,
  };
}
