/**
 * After-import hooks: the seam other features use to react to new data (issue #29's alert
 * evaluation registers here) without the pipeline knowing them. Every import path — file, upload,
 * chat file, push, the Postgres COPY fast path — calls `run` once its transaction committed rows;
 * dry runs, failed and skipped runs, and workspace restores do not. A hook that throws never
 * undoes the import: its failure is returned (and shown in the import result) and the others
 * still run.
 */
import type { Database } from '../../db/client.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import type { DatasetId } from '../../db/schema/sync.ts';

/** What was just written. */
export interface ImportedData {
  workspaceId: string;
  dataset: DatasetId;
  runId: number;
  kind: 'import' | 'push' | 'connector';
  source: FactSource;
  status: 'ok' | 'partial';
  /** Stores whose rows were written (empty for data without stores: fx, calendar). */
  storeIds: string[];
  /** Days the written rows cover (null for master data). */
  from: string | null;
  to: string | null;
  rowsWritten: number;
}

export type ImportHook = (data: ImportedData, deps: { database: Database }) => Promise<void>;

export interface HookFailure {
  hook: string;
  message: string;
}

export class ImportHookRegistry {
  private readonly hooks = new Map<string, ImportHook>();

  /** Adds a hook under a unique name; returns a function that removes it (tests, shutdown). */
  register(name: string, hook: ImportHook): () => void {
    if (this.hooks.has(name)) throw new Error(`import hook "${name}" registered twice`);
    this.hooks.set(name, hook);
    return () => void this.hooks.delete(name);
  }

  names(): string[] {
    return [...this.hooks.keys()];
  }

  /** Runs every hook in registration order, one after the other. */
  async run(database: Database, data: ImportedData): Promise<HookFailure[]> {
    const failures: HookFailure[] = [];
    for (const [name, hook] of this.hooks) {
      try {
        await hook(data, { database });
      } catch (err) {
        failures.push({ hook: name, message: (err instanceof Error ? err.message : String(err)).slice(0, 300) });
      }
    }
    return failures;
  }
}

/** The process-wide registry every import path runs (features register at start-up). */
export const importHooks = new ImportHookRegistry();

/** The hook call shared by the import paths: only committed, non-restore runs with rows. */
export async function afterImport(
  database: Database,
  hooks: ImportHookRegistry | false | undefined,
  r: { runId: number; status: string; dryRun: boolean; dataset: DatasetId; rowsWritten: number; coverage: Record<string, unknown>; dateRange: { from: string; to: string } | null },
  o: { workspaceId: string; kind?: 'import' | 'push' | 'connector'; source: FactSource },
): Promise<HookFailure[]> {
  const registry = hooks === undefined ? importHooks : hooks;
  if (!registry || r.dryRun || (r.status !== 'ok' && r.status !== 'partial') || r.rowsWritten === 0) return [];
  return registry.run(database, {
    workspaceId: o.workspaceId, dataset: r.dataset, runId: r.runId, kind: o.kind ?? 'import', source: o.source, status: r.status,
    storeIds: Object.keys(r.coverage).sort(), from: r.dateRange?.from ?? null, to: r.dateRange?.to ?? null, rowsWritten: r.rowsWritten,
  });
}
