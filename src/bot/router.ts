/**
 * The command registry and the one text parser every platform shares. `/kpi gmv 7d`, `@bot gmv
 * 7d` (mention already stripped) and a DM `gmv 7d` all become the same command. Features register
 * their commands here; `help` lists whatever is registered.
 */
import { closest } from '../shared/edit-distance.ts';
import type { Bilingual } from './language.ts';
import type { BotContext } from './context.ts';

export interface CommandSpec {
  /** Canonical English name, e.g. `help`. */
  name: string;
  /** Other words that start the command, e.g. `帮助`, `?`. Matched case-insensitively. */
  aliases?: string[];
  summary: Bilingual;
  /** Shown in help, e.g. `goal set <metric> <target> <period> …`. */
  usage?: string;
  run(ctx: BotContext, args: string[]): Promise<void>;
}

export interface ActionSpec {
  /** Dotted id, e.g. `alert.ack`. */
  actionId: string;
  run(ctx: BotContext, value: string | undefined): Promise<void>;
}

export type ParseResult =
  | { kind: 'command'; spec: CommandSpec; args: string[] }
  | { kind: 'empty' }
  | { kind: 'unknown'; word: string; suggestion?: string };

/** Splits on whitespace, keeping "quoted text" (ASCII or Chinese quotes) as one argument. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  return out;
}

export class CommandRegistry {
  private readonly byWord = new Map<string, CommandSpec>();
  private readonly specs: CommandSpec[] = [];

  register(spec: CommandSpec): void {
    const words = [spec.name, ...(spec.aliases ?? [])].map((w) => w.toLowerCase());
    for (const w of words) {
      if (this.byWord.has(w)) throw new Error(`command word "${w}" registered twice`);
    }
    for (const w of words) this.byWord.set(w, spec);
    this.specs.push(spec);
  }

  list(): readonly CommandSpec[] {
    return this.specs;
  }

  /** The closest registered word within a small edit distance, for "did you mean". */
  closest(word: string): string | undefined {
    return closest(word, this.byWord.keys());
  }

  parse(text: string): ParseResult {
    const stripped = text.trim().replace(/^\/kpi(\s+|$)/i, '');
    const tokens = tokenize(stripped);
    const [first, ...rest] = tokens;
    if (!first) return { kind: 'empty' };
    const spec = this.byWord.get(first.toLowerCase());
    if (spec) return { kind: 'command', spec, args: rest };
    return { kind: 'unknown', word: first.slice(0, 40), suggestion: this.closest(first) };
  }
}

export class ActionRegistry {
  private readonly byId = new Map<string, ActionSpec>();

  register(spec: ActionSpec): void {
    if (this.byId.has(spec.actionId)) throw new Error(`action "${spec.actionId}" registered twice`);
    this.byId.set(spec.actionId, spec);
  }

  get(actionId: string): ActionSpec | undefined {
    return this.byId.get(actionId);
  }
}
