/**
 * Templates as stored: a workspace row per position (score_templates + its veto items) wins over
 * the shipped default of that position. Only admins save; a save is validated (the first broken
 * rule is named) and audited with before/after, in one transaction.
 */
import { and, eq } from 'drizzle-orm';
import { authorize } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Database } from '../db/client.ts';
import { scoreTemplates, scoreTemplateVetoes } from '../db/schema/index.ts';
import { actorOf } from '../goals/access.ts';
import { ScoreError } from './errors.ts';
import { DEFAULT_TEMPLATES, defaultTemplateFor, validateTemplate, type ScoreTemplate } from './templates.ts';

/** Every position's template in the workspace: stored rows, then defaults for the rest. */
export async function loadTemplates(database: Database, workspaceId: string): Promise<ScoreTemplate[]> {
  const rows = await database.db.select().from(scoreTemplates).where(eq(scoreTemplates.workspaceId, workspaceId));
  const vetoRows = await database.db.select().from(scoreTemplateVetoes).where(eq(scoreTemplateVetoes.workspaceId, workspaceId));
  const vetoes = new Map(vetoRows.map((v) => [v.templateId, v.vetoes]));
  const stored: ScoreTemplate[] = rows.map((r) => ({
    id: r.id, position: r.position, name: r.name, items: r.items, defaultCap: Number(r.defaultCap), vetoCap: Number(r.vetoCap),
    vetoes: vetoes.get(r.id) ?? defaultTemplateFor(r.position)?.vetoes ?? [],
  }));
  const have = new Set(stored.map((t) => t.position));
  return [...stored, ...DEFAULT_TEMPLATES.filter((t) => !have.has(t.position))];
}

export async function templateForPosition(database: Database, workspaceId: string, position: string | null): Promise<ScoreTemplate | undefined> {
  if (!position) return undefined;
  return (await loadTemplates(database, workspaceId)).find((t) => t.position === position);
}

export interface TemplateChange {
  position: string;
  items?: ScoreTemplate['items'];
  vetoes?: ScoreTemplate['vetoes'];
  defaultCap?: number;
}

/** Saves a position's template (admins only); refuses with the broken rule named. */
export async function saveTemplate(database: Database, p: Principal, change: TemplateChange): Promise<ScoreTemplate> {
  const d = authorize(p, 'workspace.admin', { workspaceId: p.workspaceId });
  if (!d.ok) throw new ScoreError('forbidden', 'only admins edit score templates', { zh: '只有管理员可以修改考核模板', rule: 'admin_only' });
  const before = (await loadTemplates(database, p.workspaceId)).find((t) => t.position === change.position);
  const base: ScoreTemplate = before ?? {
    id: `position-${Buffer.from(change.position).toString('hex').slice(0, 24)}`, position: change.position, name: change.position,
    items: [], defaultCap: 1.2, vetoCap: 60, vetoes: [],
  };
  const next: ScoreTemplate = {
    ...base,
    ...(change.items ? { items: change.items } : {}),
    ...(change.vetoes ? { vetoes: change.vetoes } : {}),
    ...(change.defaultCap !== undefined ? { defaultCap: change.defaultCap } : {}),
  };
  const broken = validateTemplate(next);
  if (broken) throw new ScoreError('invalid_argument', `template not saved: ${broken.en}`, { zh: `模板未保存：${broken.zh}`, rule: broken.rule, field: 'items' });
  await database.db.transaction(async (tx) => {
    await tx.insert(scoreTemplates).values({
      workspaceId: p.workspaceId, id: next.id, position: next.position, name: next.name, items: next.items,
      defaultCap: String(next.defaultCap), vetoCap: String(next.vetoCap), createdBy: p.userId ?? p.kind,
    }).onConflictDoUpdate({
      target: [scoreTemplates.workspaceId, scoreTemplates.id],
      set: { items: next.items, defaultCap: String(next.defaultCap), updatedAt: new Date() },
    });
    await tx.insert(scoreTemplateVetoes).values({ workspaceId: p.workspaceId, templateId: next.id, vetoes: next.vetoes })
      .onConflictDoUpdate({ target: [scoreTemplateVetoes.workspaceId, scoreTemplateVetoes.templateId], set: { vetoes: next.vetoes, updatedAt: new Date() } });
    await recordAudit(tx, {
      workspaceId: p.workspaceId, actor: actorOf(p), action: 'score_template.save', entity: 'score_template', entityId: next.id,
      before: before ? { items: before.items, vetoes: before.vetoes, defaultCap: before.defaultCap } : null,
      after: { items: next.items, vetoes: next.vetoes, defaultCap: next.defaultCap },
    });
  });
  return next;
}

/** Stores the defaults as rows (demo seeding), leaving any stored template alone. */
export async function storeDefaultTemplates(db: Database['db'], workspaceId: string): Promise<void> {
  for (const t of DEFAULT_TEMPLATES) {
    const [hit] = await db.select({ id: scoreTemplates.id }).from(scoreTemplates).where(and(eq(scoreTemplates.workspaceId, workspaceId), eq(scoreTemplates.position, t.position)));
    if (hit) continue;
    await db.insert(scoreTemplates).values({ workspaceId, id: t.id, position: t.position, name: t.name, items: t.items, defaultCap: String(t.defaultCap), vetoCap: String(t.vetoCap), createdBy: 'demo' });
    await db.insert(scoreTemplateVetoes).values({ workspaceId, templateId: t.id, vetoes: t.vetoes });
  }
}
