/**
 * Adding, listing and removing a workspace's custom metrics: the one place chat (`metric add`)
 * and REST (`POST /api/v1/metrics`) go through, so both refuse the same things the same way.
 * Only admins change formulas (glossary §3.8, authorize `formula.edit`). A changed definition
 * gets a new id, never an edit in place (trap 3): remove and add again.
 */
import { sql } from 'drizzle-orm';
import { authorize } from '../../access/authorize.ts';
import type { Principal } from '../../access/types.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Database } from '../../db/client.ts';
import { customMetrics } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { actorOf } from '../../goals/access.ts';
import { findMetric, metricByIdStatic } from '../../kpi/catalogue/index.ts';
import { compileCustomMetric, DIRECTION_ALIASES, DIRECTIONS, UNIT_ALIASES, UNITS } from '../../kpi/custom/compile.ts';
import { FormulaError, namesOf, parseFormula } from '../../kpi/custom/formula.ts';
import { customMetricRows, loadCustomMetrics } from '../../kpi/custom/registry.ts';
import type { Direction, MetricDef, Unit } from '../../kpi/types.ts';

export const CUSTOM_ID_RE = /^[a-z][a-z0-9_]{1,39}$/;
const MAX_NAME = 60;

/** A refusal with a stable code, the field at fault, both languages and, for formulas, the position. */
export class CustomMetricError extends AppError {
  constructor(
    code: 'invalid_argument' | 'forbidden' | 'not_found' | 'conflict',
    message: string,
    readonly zh: string,
    field: string,
    readonly pos?: number,
    readonly suggestion?: string,
  ) {
    super(code, message, { field });
  }
}

export interface CustomMetricInput {
  id: unknown;
  formula: unknown;
  unit?: unknown;
  direction?: unknown;
  name?: unknown;
}

function clean(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex -- control and bidi characters never reach a card
  const s = value.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return s && s.length <= max ? s : undefined;
}

export function unitOf(value: unknown): Unit | undefined {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return (UNITS as readonly string[]).includes(v) ? (v as Unit) : UNIT_ALIASES[v];
}

export function directionOf(value: unknown): Direction | undefined {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return (DIRECTIONS as readonly string[]).includes(v) ? (v as Direction) : DIRECTION_ALIASES[v];
}

function namesIn(value: unknown, id: string): { en: string; zh: string } {
  if (value === undefined || value === null || value === '') return { en: id, zh: id };
  if (typeof value === 'string') {
    const n = clean(value, MAX_NAME);
    if (!n) throw new CustomMetricError('invalid_argument', `name must be 1–${MAX_NAME} characters`, `名称需为 1–${MAX_NAME} 个字符`, 'name');
    return { en: n, zh: n };
  }
  const o = value as { en?: unknown; zh?: unknown };
  const en = clean(o?.en, MAX_NAME);
  const zh = clean(o?.zh, MAX_NAME) ?? en;
  if (!en || !zh) throw new CustomMetricError('invalid_argument', `name.en and name.zh must be 1–${MAX_NAME} characters`, `名称需为 1–${MAX_NAME} 个字符`, 'name');
  return { en, zh };
}

function refuseFormula(err: FormulaError): never {
  const where = err.pos > 0 ? `（第 ${err.pos} 个字符）` : '';
  const zh: Record<string, string> = {
    too_long: `公式过长：最多 500 个字符`,
    unknown_name: `公式里有未知名称${err.suggestion ? `，你是不是想用 ${err.suggestion}？` : ''}${where}`,
    cycle: `公式循环引用${where}`,
    not_daily: `库存快照、滚动指标和团队事件不能用在公式里${where}`,
    ambiguous_name: `名称有歧义，请写明表前缀${err.suggestion ? `（如 ${err.suggestion}）` : ''}${where}`,
  };
  throw new CustomMetricError('invalid_argument', err.message, zh[err.code] ?? `公式有误${where}`, 'formula', err.pos || undefined, err.suggestion);
}

function mustBeAdmin(p: Principal): void {
  if (!authorize(p, 'formula.edit').ok) {
    throw new CustomMetricError('forbidden', 'only admins add or remove custom metrics', '只有管理员可以新增或删除自定义指标', 'role');
  }
}

/** Checks an input without saving it: the compiled metric, or a CustomMetricError. */
export async function checkCustomMetric(database: Database, workspaceId: string, input: CustomMetricInput): Promise<MetricDef> {
  const id = typeof input.id === 'string' ? input.id.trim().toLowerCase() : '';
  if (!CUSTOM_ID_RE.test(id)) {
    throw new CustomMetricError('invalid_argument', 'id must be 2–40 lower-case letters, digits or _, starting with a letter', 'id 需为 2–40 位小写字母、数字或下划线，以字母开头', 'id');
  }
  if (metricByIdStatic(id)) throw new CustomMetricError('conflict', `${id} is a catalogue metric; pick another id`, `${id} 是内置指标，请换一个 id`, 'id');
  // A chat word of a catalogue metric (`sales` = gmv) would always win over the custom id.
  const word = findMetric(id);
  if (word) throw new CustomMetricError('conflict', `${id} already means ${word.id} in chat; pick another id`, `${id} 在对话中已表示 ${word.id}，请换一个 id`, 'id');
  const unit = unitOf(input.unit ?? 'count');
  if (!unit) throw new CustomMetricError('invalid_argument', `unit must be one of percent, ${UNITS.join(', ')}`, `单位必须是 percent、money、count、ratio 等之一`, 'unit');
  const direction = directionOf(input.direction ?? 'none');
  if (!direction) throw new CustomMetricError('invalid_argument', 'direction must be up, down, band or none', '方向必须是 up、down、band 或 none', 'direction');
  const name = namesIn(input.name, id);
  if (typeof input.formula !== 'string') throw new CustomMetricError('invalid_argument', 'formula must be text', '公式必须是文本', 'formula');
  const { defs } = await loadCustomMetrics(database, workspaceId);
  if (defs.has(id)) throw new CustomMetricError('conflict', `${id} already exists; a changed definition gets a new id`, `${id} 已存在；修改定义请用新的 id`, 'id');
  try {
    return compileCustomMetric({ id, nameEn: name.en, nameZh: name.zh, formula: input.formula.trim(), unit, direction }, defs);
  } catch (err) {
    if (err instanceof FormulaError) refuseFormula(err);
    throw err;
  }
}

export async function addCustomMetric(database: Database, principal: Principal, input: CustomMetricInput): Promise<MetricDef> {
  mustBeAdmin(principal);
  const ws = principal.workspaceId;
  const def = await checkCustomMetric(database, ws, input);
  const row = { workspaceId: ws, id: def.id, nameEn: def.name.en, nameZh: def.name.zh, formula: def.custom!.formula, unit: def.unit, direction: def.direction, createdBy: principal.userId ?? principal.kind };
  await database.db.transaction(async (tx) => {
    const inserted = await tx.insert(customMetrics).values(row).onConflictDoNothing().returning({ id: customMetrics.id });
    if (!inserted.length) throw new CustomMetricError('conflict', `${def.id} already exists`, `${def.id} 已存在`, 'id');
    await recordAudit(tx, { workspaceId: ws, actor: actorOf(principal), action: 'create', entity: 'custom_metric', entityId: def.id, after: { formula: row.formula, unit: row.unit, direction: row.direction } });
  });
  await loadCustomMetrics(database, ws);
  return def;
}

/** Refused while another custom metric or a goal uses it (their numbers would silently vanish). */
export async function removeCustomMetric(database: Database, principal: Principal, rawId: string): Promise<void> {
  mustBeAdmin(principal);
  const ws = principal.workspaceId;
  const id = rawId.trim().toLowerCase();
  const rows = await customMetricRows(database, ws);
  const row = rows.find((r) => r.id === id);
  if (!row) throw new CustomMetricError('not_found', `no custom metric "${id.slice(0, 40)}"`, `没有自定义指标“${id.slice(0, 40)}”`, 'id');
  const users = rows.filter((r) => r.id !== id && safeNames(r.formula).includes(id)).map((r) => r.id);
  if (users.length) throw new CustomMetricError('conflict', `${id} is used by ${users.join(', ')}; remove those first`, `${id} 被 ${users.join('、')} 引用，请先删除它们`, 'id');
  const [goal] = await database.query<{ n: number }>(sql`select count(*)::int as n from goals where workspace_id = ${ws} and metric_id = ${id} and status <> 'closed'`);
  if (goal && Number(goal.n) > 0) throw new CustomMetricError('conflict', `${id} has ${goal.n} open goal(s); close them first`, `${id} 还有 ${goal.n} 个未关闭的目标，请先关闭`, 'id');
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`delete from custom_metrics where workspace_id = ${ws} and id = ${id}`);
    await recordAudit(tx, { workspaceId: ws, actor: actorOf(principal), action: 'delete', entity: 'custom_metric', entityId: id, before: { formula: row.formula, unit: row.unit, direction: row.direction } });
  });
  await loadCustomMetrics(database, ws);
}

function safeNames(formula: string): string[] {
  try {
    return namesOf(parseFormula(formula)).map((n) => n.name.toLowerCase());
  } catch {
    return [];
  }
}

export async function listCustomMetrics(database: Database, workspaceId: string): Promise<{ def?: MetricDef; id: string; formula: string; createdBy: string; error?: string }[]> {
  const [rows, { defs, errors }] = await Promise.all([customMetricRows(database, workspaceId), loadCustomMetrics(database, workspaceId)]);
  return rows.map((r) => {
    const def = defs.get(r.id);
    const error = errors.get(r.id)?.message;
    return { id: r.id, formula: r.formula, createdBy: r.createdBy, ...(def ? { def } : {}), ...(error ? { error } : {}) };
  });
}
