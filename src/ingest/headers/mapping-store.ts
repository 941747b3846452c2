/**
 * A workspace's own header mappings (import_mappings) and the inline `map=` / `set=` options:
 * `map=sku_id=商品编码;gross_sales=金额` maps template columns onto the file's headers, `set=ad_platform=amazon_sp`
 * fixes a value for a column the file lacks. A mapping can be saved under a name and is then
 * auto-detected like the built-in profiles.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { importMappings } from '../../db/schema/index.ts';
import type { DatasetId } from '../../db/schema/sync.ts';
import { AppError } from '../../errors.ts';
import type { DatasetDef } from '../datasets/types.ts';
import type { HeaderProfile } from './profile.ts';

/** `a=B;c=D` (also `,` between pairs; `:` instead of `=`) → {a: 'B', c: 'D'}, columns checked. */
export function parsePairs(text: string, def: DatasetDef, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  const known = new Set(def.columns.map((c) => c.name));
  for (const part of text.split(/[;,，；]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9_]+)\s*[=:]\s*(.+)$/i.exec(part);
    if (!m) throw new AppError('invalid_argument', `write ${field} as column=Header pairs separated by ";" (got "${part.slice(0, 40)}")`, { field });
    const column = m[1]!.toLowerCase();
    if (!known.has(column)) {
      throw new AppError('invalid_argument', `"${column}" is not a ${def.id} column; columns: ${[...known].join(', ')}`, { field });
    }
    out[column] = m[2]!.trim();
  }
  return out;
}

export function inlineProfile(def: DatasetDef, columns: Record<string, string>, constants: Record<string, string>): HeaderProfile {
  return {
    id: 'inline',
    dataset: def.id,
    label: { en: 'mapping given with the import', zh: '本次导入指定的列映射' },
    origin: 'inline',
    columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, [v]])),
    constants,
  };
}

export async function workspaceProfiles(database: Database, workspaceId: string, dataset: DatasetId): Promise<HeaderProfile[]> {
  const rows = await database.db
    .select()
    .from(importMappings)
    .where(and(eq(importMappings.workspaceId, workspaceId), eq(importMappings.dataset, dataset)));
  return rows.map((r) => ({
    id: `workspace:${r.name}`,
    dataset,
    label: { en: `workspace mapping "${r.name}"`, zh: `工作区映射“${r.name}”` },
    origin: 'workspace' as const,
    columns: Object.fromEntries(Object.entries(r.columns).map(([k, v]) => [k, [v]])),
    constants: r.constants,
  }));
}

export async function saveMapping(
  database: Database,
  m: { workspaceId: string; dataset: DatasetId; name: string; columns: Record<string, string>; constants: Record<string, string>; createdBy: string },
): Promise<void> {
  if (!/^[\p{L}\p{N}_.-]{1,60}$/u.test(m.name)) throw new AppError('invalid_argument', 'a mapping name is 1–60 letters, digits, _ . or -', { field: 'saveMapping' });
  await database.db
    .insert(importMappings)
    .values({ workspaceId: m.workspaceId, dataset: m.dataset, name: m.name, columns: m.columns, constants: m.constants, createdBy: m.createdBy })
    .onConflictDoUpdate({
      target: [importMappings.workspaceId, importMappings.dataset, importMappings.name],
      set: { columns: m.columns, constants: m.constants, updatedAt: sql`now()` },
    });
}
