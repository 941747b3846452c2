/**
 * REST bearer tokens (`kpibot token create`). A token is `kpb_<id>_<secret>`; only the SHA-256 of
 * the secret is stored, so a database dump does not leak working tokens. Secrets are 256 bits of
 * randomness, which is why a fast hash is enough here (no password stretching needed).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiTokens } from '../db/schema/index.ts';
import type { EnrolledRole } from './types.ts';
import { AppError } from '../errors.ts';

const TOKEN_RE = /^kpb_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export interface CreatedToken {
  id: string;
  /** Shown once; never stored. */
  token: string;
}

export interface TokenRow {
  id: string;
  workspaceId: string;
  role: EnrolledRole;
  teamId: string | null;
  userId: string | null;
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('');
}

export async function createToken(
  db: Db,
  input: { workspaceId: string; role: EnrolledRole; teamId?: string; userId?: string; name?: string; createdBy: string },
): Promise<CreatedToken> {
  if (input.role === 'manager' && !input.teamId) {
    throw new AppError('invalid_argument', 'a manager token needs --team (the subtree it manages)', { field: 'team' });
  }
  if (input.role === 'operator' && !input.userId) {
    throw new AppError('invalid_argument', 'an operator token needs --user (whose stores it sees)', { field: 'user' });
  }
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  await db.insert(apiTokens).values({
    id,
    workspaceId: input.workspaceId,
    role: input.role,
    teamId: input.teamId ?? null,
    userId: input.userId ?? null,
    name: input.name ?? null,
    secretHash: hashSecret(secret),
    createdBy: input.createdBy,
  });
  return { id, token: `kpb_${id}_${secret}` };
}

/** The token's row when it is well-formed, known, unrevoked and its secret matches; else null. */
export async function verifyToken(db: Db, token: string): Promise<TokenRow | null> {
  const m = TOKEN_RE.exec(token);
  if (!m) return null;
  const [, id, secret] = m as unknown as [string, string, string];
  const [row] = await db.select().from(apiTokens).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  const a = Buffer.from(row.secretHash, 'hex');
  const b = Buffer.from(hashSecret(secret), 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id));
  return toRow(row);
}

export async function listTokens(db: Db, workspaceId?: string): Promise<TokenRow[]> {
  const rows = workspaceId
    ? await db.select().from(apiTokens).where(eq(apiTokens.workspaceId, workspaceId)).orderBy(apiTokens.createdAt)
    : await db.select().from(apiTokens).orderBy(apiTokens.createdAt);
  return rows.map(toRow);
}

/** Returns the revoked row, or null when there is no such unrevoked token. */
export async function revokeToken(db: Db, id: string): Promise<TokenRow | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning();
  return row ? toRow(row) : null;
}

function toRow(r: typeof apiTokens.$inferSelect): TokenRow {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    role: r.role,
    teamId: r.teamId,
    userId: r.userId,
    name: r.name,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
  };
}
