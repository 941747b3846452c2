/**
 * `kpibot` entry: parse argv, run one command, map errors to exit codes (2 = usage, 1 = failure).
 * Errors print one readable line, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { isAppError } from '../errors.ts';
import { withDatabase } from './context.ts';
import { demoCommand, seedDemoCommand } from './commands/demo.ts';
import { tokenCommand } from './commands/token.ts';
import { workspaceCommand } from './commands/workspace.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { USAGE, UsageError } from './usage.ts';

const OPTIONS = {
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  timezone: { type: 'string' },
  currency: { type: 'string' },
  locale: { type: 'string' },
  platform: { type: 'string' },
  tenant: { type: 'string' },
  workspace: { type: 'string' },
  role: { type: 'string' },
  team: { type: 'string' },
  user: { type: 'string' },
  anchor: { type: 'string' },
  seed: { type: 'string' },
  // import / export (src/cli/commands/import.ts, export.ts)
  dataset: { type: 'string' },
  'dry-run': { type: 'boolean' },
  store: { type: 'string' },
  'on-error': { type: 'string' },
  'date-order': { type: 'string' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  profile: { type: 'string' },
  map: { type: 'string' },
  set: { type: 'string' },
  'save-mapping': { type: 'string' },
  force: { type: 'boolean' },
  report: { type: 'string' },
  format: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  month: { type: 'string' },
  out: { type: 'string' },
  all: { type: 'string' },
  // digest (src/cli/commands/digest.ts)
  chat: { type: 'string' },
} as const;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

// A command's results are its stdout (pipe `--json` into other tools); problems go to stderr.
const defaultIo: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Runs one command; returns the exit code. */
export async function runCli(
  argv: string[],
  io: CliIo = defaultIo,
  env?: Record<string, string | undefined>,
): Promise<number> {
  const dbOpts = { out: io.out, env };
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const [command, sub, ...rest] = parsed.positionals;
    if (!command || command === 'help' || parsed.values.help) {
      io.out(USAGE);
      return command || parsed.values.help ? 0 : 2;
    }
    const args = { sub, positionals: rest, options: parsed.values, json: parsed.values.json === true };
    switch (command) {
      case 'migrate':
        await withDatabase(async (ctx) => ctx.out(`migrations applied (${ctx.database.kind})`), dbOpts);
        return 0;
      case 'workspace':
        await withDatabase((ctx) => workspaceCommand(ctx, args), dbOpts);
        return 0;
      case 'token':
        await withDatabase((ctx) => tokenCommand(ctx, args), dbOpts);
        return 0;
      case 'seed-demo':
        await withDatabase((ctx) => seedDemoCommand(ctx, args), dbOpts);
        return 0;
      case 'demo':
        await withDatabase((ctx) => demoCommand(ctx, args), dbOpts);
        return 0;
      case 'import':
        return await importCommand(args, { ...io, env });
      case 'export':
        return await exportCommand(args, { ...io, env });
      case 'digest':
        // Loaded on demand: it pulls in the chart renderer (vega, sharp), which other commands never need.
        return await (await import('./commands/digest.ts')).digestCommand(args, { ...io, env });
      case 'connectors':
        return await (await import('./commands/connectors.ts')).connectorsCommand(args, { ...io, env });
      default:
        throw new UsageError(`unknown command "${command.slice(0, 40)}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`kpibot: ${err.message}`);
      io.err('run "kpibot help" for usage');
      return 2;
    }
    if (err instanceof ConfigError) {
      for (const p of err.problems) io.err(`config: ${p}`);
      return 1;
    }
    if (isAppError(err)) {
      io.err(`kpibot: ${err.message}`);
      if (err.code !== 'invalid_argument') return 1;
      io.err('run "kpibot help" for usage');
      return 2;
    }
    io.err(`kpibot: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
