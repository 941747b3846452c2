/**
 * JSON schemas of `/api/v1/goals` (ARCHITECTURE.md HTTP routes), so bad requests are a 400
 * naming the field and the OpenAPI document describes every route. Targets may be numbers or
 * numeric strings; the goal checks (src/goals/validate.ts) decide what is sane.
 */
const ID = { type: 'string', minLength: 1, maxLength: 100 } as const;
const NUMBER = { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 40 }] } as const;
const TEXT = { type: 'string', minLength: 1, maxLength: 1000 } as const;

export const workspaceQuery = { workspace: { type: 'string', maxLength: 63 } } as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...workspaceQuery,
    status: { type: 'string', maxLength: 60, description: 'comma list of draft, active, closed' },
    rag: { type: 'string', maxLength: 60, description: 'comma list of red, amber, green, grey' },
    team: { ...ID, description: 'goals in this team subtree' },
    owner: { type: 'string', maxLength: 400, description: 'comma list of user ids' },
    metric: ID,
    period: { type: 'string', maxLength: 60 },
  },
} as const;

export const scopeSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  description: 'exactly one of company (true), team, marketplace, store, category, sku, user',
  properties: {
    company: { type: 'boolean' },
    team: ID,
    marketplace: ID,
    store: ID,
    category: ID,
    sku: ID,
    user: ID,
  },
} as const;

const band = { type: 'object', additionalProperties: false, required: ['lo', 'hi'], properties: { lo: NUMBER, hi: NUMBER } } as const;

export const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['metric', 'period', 'scope', 'owner'],
  properties: {
    metric: { ...ID, description: 'catalogue metric id (GET /api/v1/metrics)' },
    target: NUMBER,
    band,
    period: { type: 'string', minLength: 1, maxLength: 60, description: 'month:YYYY-MM, quarter:YYYY-Qn, year:YYYY, week:YYYY-Www, custom:YYYY-MM-DD..YYYY-MM-DD' },
    scope: scopeSchema,
    owner: { ...ID, description: 'user id of the one accountable owner' },
    currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
    fxMode: { type: 'string', enum: ['store', 'fixed_budget'] },
    parentId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    seasonality: { type: 'string', enum: ['flat', 'seasonal', 'day_of_week'] },
    stage: { type: 'string', enum: ['new', 'growth', 'mature', 'clearance'] },
    status: { type: 'string', enum: ['draft', 'active'] },
    milestones: {
      type: 'array',
      maxItems: 24,
      items: { type: 'object', additionalProperties: false, required: ['title', 'due'], properties: { title: { type: 'string', minLength: 1, maxLength: 200 }, due: { type: 'string', maxLength: 10 }, target: NUMBER } },
    },
    reason: TEXT,
  },
} as const;

export const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    target: NUMBER,
    band,
    owner: ID,
    status: { type: 'string', enum: ['draft', 'active', 'closed'] },
    seasonality: { type: 'string', enum: ['flat', 'seasonal', 'day_of_week'] },
    reason: TEXT,
  },
} as const;

// The maximum keeps `Infinity`, `1e400` and 20-digit ids (which Ajv coerces to numbers) out of bigint queries.
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } } as const;

export const importQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...workspaceQuery, dryRun: { type: 'boolean', default: false, description: 'validate and report only' } },
} as const;
