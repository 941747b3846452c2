/**
 * One transaction with raw SQL that reads back the same on PGlite and Postgres (normalised rows),
 * for org changes that must land with their audit entry or not at all.
 */
import type { SQL } from 'drizzle-orm';
import type { Database, Db } from '../db/client.ts';
import { normalizeRows, resultRows } from '../db/normalize.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface TxScope {
  tx: Tx;
  q<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
}

export async function inTransaction<R>(database: Database, fn: (t: TxScope) => Promise<R>): Promise<R> {
  return database.db.transaction(async (tx) =>
    fn({ tx, q: async <T,>(query: SQL) => normalizeRows<T>(resultRows(await tx.execute(query))) }),
  );
}
