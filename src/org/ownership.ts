/**
 * Effective-dated ownership of stores (glossary trap 16): a hand-over on day D closes the current
 * row at D (valid_to is exclusive) and opens the new owner's row from D, so facts before D stay
 * with the old owner and history is never rewritten. `who owns` reads the row valid on a day.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import { OrgError } from './errors.ts';
import { inTransaction } from './tx.ts';

export type OwnedScope = 'store' | 'sku' | 'campaign' | 'category';

export interface OwnershipRow {
  userId: string;
  displayName: string;
  share: number;
  validFrom: string;
  validTo: string | null;
}

type Raw = { user_id: string; display_name: string; share: string | number; valid_from: string; valid_to: string | null };
const toRow = (r: Raw): OwnershipRow => ({
  userId: r.user_id,
  displayName: r.display_name,
  share: Number(r.share),
  validFrom: r.valid_from,
  validTo: r.valid_to,
});

/** Every ownership row of a scope, oldest first. */
export async function ownershipHistory(database: Database, workspaceId: string, scopeType: OwnedScope, scopeId: string): Promise<OwnershipRow[]> {
  const rows = await database.query<Raw>(sql`
    select o.user_id, u.display_name, o.share, o.valid_from::text as valid_from, o.valid_to::text as valid_to
    from ownership o join users u on u.workspace_id = o.workspace_id and u.id = o.user_id
    where o.workspace_id = ${workspaceId} and o.scope_type = ${scopeType} and o.scope_id = ${scopeId}
    order by o.valid_from, o.id`);
  return rows.map(toRow);
}

/** The owners on `day` (usually one; co-owners carry shares). */
export async function ownersOn(database: Database, workspaceId: string, scopeType: OwnedScope, scopeId: string, day: string): Promise<OwnershipRow[]> {
  const all = await ownershipHistory(database, workspaceId, scopeType, scopeId);
  return all.filter((r) => r.validFrom <= day && (r.validTo === null || r.validTo > day));
}

/**
 * Makes `userId` the sole owner of the scope from `from` on. Refused when a row already starts on
 * or after `from` (a planned hand-over: change it explicitly rather than silently rewriting it).
 */
export async function assignOwner(
  database: Database,
  input: { workspaceId: string; scopeType: OwnedScope; scopeId: string; userId: string; from: string; actor: Actor },
): Promise<{ closed: OwnershipRow[]; unchanged: boolean }> {
  const { workspaceId: ws, scopeType, scopeId, from } = input;
  return inTransaction(database, async ({ tx, q }) => {
    // Serialises concurrent hand-overs of one scope (both would otherwise close the same row).
    await q(sql`select pg_advisory_xact_lock(hashtext(${`ownership:${ws}:${scopeType}:${scopeId}`}))`);
    const rows = await q<Raw & { id: number }>(sql`
      select o.id, o.user_id, u.display_name, o.share, o.valid_from::text as valid_from, o.valid_to::text as valid_to
      from ownership o join users u on u.workspace_id = o.workspace_id and u.id = o.user_id
      where o.workspace_id = ${ws} and o.scope_type = ${scopeType} and o.scope_id = ${scopeId}
        and (o.valid_to is null or o.valid_to > ${from}) order by o.valid_from`);
    const onDay = rows.filter((r) => r.valid_from <= from);
    const sole = onDay.length === 1 && rows.length === 1 ? onDay[0]! : undefined;
    if (sole && sole.user_id === input.userId && Number(sole.share) === 1 && sole.valid_to === null) return { closed: [], unchanged: true };
    const later = rows.find((r) => r.valid_from >= from);
    const current = rows.filter((r) => r.valid_from < from);
    if (later) {
      throw new OrgError('conflict', {
        en: `${later.display_name} already owns ${scopeId} from ${later.valid_from}: pick a date after that.`,
        'zh-CN': `${later.display_name} 自 ${later.valid_from} 起已负责 ${scopeId}：请选择之后的日期。`,
      }, 'from');
    }
    for (const r of current) await q(sql`update ownership set valid_to = ${from} where id = ${r.id}`);
    await q(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, share, valid_from, created_by)
      values (${ws}, ${scopeType}, ${scopeId}, ${input.userId}, 1, ${from}, ${input.actor.id ?? input.actor.kind})`);
    const closed = current.map((r) => ({ ...toRow(r), validTo: from }));
    await recordAudit(tx, {
      workspaceId: ws,
      actor: input.actor,
      action: 'update',
      entity: 'ownership',
      entityId: `${scopeType}:${scopeId}`,
      before: current.map((r) => ({ user: r.user_id, from: r.valid_from, to: r.valid_to })),
      after: [...closed.map((r) => ({ user: r.userId, from: r.validFrom, to: from })), { user: input.userId, from, to: null }],
    });
    return { closed, unchanged: false };
  });
}
