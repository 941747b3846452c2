/**
 * Validation of workspace settings, shared by `kpibot workspace set` and the chat commands
 * `workspace set …` / `member access …`, so both accept and refuse exactly the same values.
 * Messages come in both languages; the CLI prints the English one.
 */
import { eq } from 'drizzle-orm';
import { isTimeZone } from '../config.ts';
import type { Db } from '../db/client.ts';
import { workspaces, type WorkspaceSettings } from '../db/schema/index.ts';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceSettingKey } from './workspaces.ts';

export const WORKSPACE_SETTING_KEYS: readonly WorkspaceSettingKey[] = ['timezone', 'currency', 'locale'];

export type SettingCheck = { ok: true; value: string } | { ok: false; message: { en: string; 'zh-CN': string } };

/** Normalises a value for `key` (currency upper-cased) or says why it is refused. */
export function checkWorkspaceSetting(key: WorkspaceSettingKey, value: string): SettingCheck {
  const v = value.trim();
  if (key === 'timezone') {
    return isTimeZone(v) && v.length <= 64
      ? { ok: true, value: v }
      : { ok: false, message: { en: `"${v.slice(0, 40)}" is not an IANA time zone (e.g. Asia/Shanghai)`, 'zh-CN': `“${v.slice(0, 40)}”不是有效的时区（例如 Asia/Shanghai）` } };
  }
  if (key === 'currency') {
    return /^[A-Za-z]{3}$/.test(v)
      ? { ok: true, value: v.toUpperCase() }
      : { ok: false, message: { en: `"${v.slice(0, 40)}" is not a 3-letter currency code (e.g. CNY)`, 'zh-CN': `“${v.slice(0, 40)}”不是三位货币代码（例如 CNY）` } };
  }
  return v === 'zh-CN' || v === 'en'
    ? { ok: true, value: v }
    : { ok: false, message: { en: 'locale must be zh-CN or en', 'zh-CN': '语言只能是 zh-CN 或 en' } };
}

export type MemberAccess = NonNullable<WorkspaceSettings['member_access']>;

/** Sets `member_access` (what people who were never enrolled may see), audited. */
export async function setMemberAccess(db: Db, id: string, value: MemberAccess, actor: Actor): Promise<{ before: MemberAccess; after: MemberAccess }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, id));
    if (!row) throw new AppError('not_found', `no workspace "${id}"`, { field: 'id' });
    const before = row.settings?.member_access ?? 'sales';
    if (before === value) return { before, after: value };
    await tx
      .update(workspaces)
      .set({ settings: { ...row.settings, member_access: value }, updatedAt: new Date() })
      .where(eq(workspaces.id, id));
    await recordAudit(tx, {
      workspaceId: id,
      actor,
      action: 'update',
      entity: 'workspace',
      entityId: id,
      before: { member_access: before },
      after: { member_access: value },
    });
    return { before, after: value };
  });
}
