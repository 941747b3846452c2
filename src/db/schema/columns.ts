/**
 * Column helpers shared by every table, so money, currency, time and tenancy look the same
 * everywhere (glossary §2: money is numeric in the row's currency, never float).
 */
import { char, numeric, text, timestamp } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.ts';

/** Money in the row's own currency: numeric(18,4). Strings in JS, never floats. */
export const money = (name: string) => numeric(name, { precision: 18, scale: 4 });

/** ISO 4217 code, e.g. `USD`. */
export const currencyCode = (name = 'currency') => char(name, { length: 3 });

/** Owning workspace; deleting a workspace deletes everything it owns. */
export const workspaceId = () =>
  text('workspace_id')
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

/** `timestamptz`, stored in UTC. */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => tstz('created_at').notNull().defaultNow();
export const updatedAt = () => tstz('updated_at').notNull().defaultNow();
