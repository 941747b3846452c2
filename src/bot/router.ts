/**
 * The command registry and the one text parser every platform shares. `/kpi gmv 7d`, `@bot gmv
 * 7d` (mention already stripped) and a DM `gmv 7d` all become the same command. Features register
 * their commands here; `help` lists whatever is registered. Parse order: a registered command
 * word first; otherwise the fallback (the KPI questions parser, registered by the KPI feature);
 * text neither understands gets a hint with the closest words of both vocabularies.
 */
import { authorize } from '../access/authorize.ts';
import type { Action, Principal, Role } from '../access/types.ts';
import { closest, editDistance } from '../shared/edit-distance.ts';
import type { Bilingual } from './language.ts';
import type { BotContext } from './context.ts';
import type { ParseHint } from './parse/types.ts';

/**
 * Who may run a command: a minimum role (see ROLE_RANK), an `authorize` action (checked with the
 * asker's principal, so member_access=none and external people are refused), or a predicate.
 */
export type Permission = Role | { action: Action } | ((asker: Principal) => boolean);

/**
 * Ranks for a minimum role. finance ranks with operator: both are enrolled and read-only outside
 * their own area, so `operator` as a minimum admits finance too; `manager` does not.
 */
export const ROLE_RANK: Record<Role, number> = { member: 0, operator: 1, finance: 1, manager: 2, admin: 3 };

export function permits(permission: Permission | undefined, asker: Principal): boolean {
  if (asker.kind === 'external') return false;
  if (permission === undefined) return true;
  if (typeof permission === 'function') return permission(asker);
  if (typeof permission === 'object') return authorize(asker, permission.action).ok;
  return ROLE_RANK[asker.role] >= ROLE_RANK[permission];
}

export interface CommandSpec {
  /** Canonical English name, e.g. `help`. */
  name: string;
  /** Other words that start the command, e.g. `帮助`, `?`. Matched case-insensitively. */
  aliases?: string[];
  summary: Bilingual;
  /** Shown in help, e.g. `goal set <metric> <target> <period> …`. */
  usage?: string;
  /** Complete commands people can copy, shown by `help <command>`. */
  examples?: string[];
  /** Checked centrally by the bot before `run`; refused politely. Default: everyone enrolled or not. */
  permission?: Permission;
  run(ctx: BotContext, args: string[]): Promise<void>;
}

/** What the fallback made of the text: something to run, or why it could not. */
export type FallbackOutcome = { kind: 'run'; run(): Promise<void> } | ParseHint;

/**
 * Text that starts with no command word goes here (`gmv 7d`, `本周 GMV 按店铺`). Listed in help
 * like a command (name, summary, usage, examples) and checked with the same permission.
 */
export interface FallbackSpec extends Omit<CommandSpec, 'run' | 'aliases'> {
  /** Known words (metric names, periods, dimensions) for "did you mean". */
  vocabulary(): Iterable<string>;
  parse(ctx: BotContext, text: string): Promise<FallbackOutcome>;
}

export interface ActionSpec {
  /** Dotted id, e.g. `alert.ack`. */
  actionId: string;
  /** Checked centrally, like commands' permission. */
  permission?: Permission;
  run(ctx: BotContext, value: string | undefined): Promise<void>;
}

export type ParseResult =
  | { kind: 'command'; spec: CommandSpec; args: string[] }
  | { kind: 'fallback'; spec: FallbackSpec; text: string }
  | { kind: 'empty' }
  | { kind: 'unknown'; word: string; suggestion?: string };

/** Splits on whitespace, keeping "quoted text" (ASCII or Chinese quotes) as one argument. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  return out;
}

/** Control, format (bidi, zero-width) and private-use characters never reach a parser or a reply. */
export function cleanInput(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, ' ');
}

export class CommandRegistry {
  private readonly byWord = new Map<string, CommandSpec>();
  private readonly specs: CommandSpec[] = [];
  private fallbackSpec: FallbackSpec | undefined;

  register(spec: CommandSpec): void {
    const words = [spec.name, ...(spec.aliases ?? [])].map((w) => w.toLowerCase());
    for (const w of words) {
      if (this.byWord.has(w)) throw new Error(`command word "${w}" registered twice`);
    }
    for (const w of words) this.byWord.set(w, spec);
    this.specs.push(spec);
  }

  /** Installs the parser for text that starts with no command word. One per bot. */
  setFallback(spec: FallbackSpec): void {
    if (this.fallbackSpec) throw new Error(`fallback already registered by "${this.fallbackSpec.name}"`);
    this.fallbackSpec = spec;
  }

  get fallback(): FallbackSpec | undefined {
    return this.fallbackSpec;
  }

  list(): readonly CommandSpec[] {
    return this.specs;
  }

  /** Every word that starts a command (names and aliases), for parsers' "did you mean". */
  words(): string[] {
    return [...this.byWord.keys()];
  }

  /** A command by name or alias, or the fallback by name (`help kpi`). */
  find(word: string): CommandSpec | FallbackSpec | undefined {
    const w = word.toLowerCase();
    return this.byWord.get(w) ?? (this.fallbackSpec && this.fallbackSpec.name === w ? this.fallbackSpec : undefined);
  }

  /** The closest registered word within a small edit distance, for "did you mean". */
  closest(word: string): string | undefined {
    return closest(word, this.byWord.keys());
  }

  /**
   * Up to 3 suggestions for a word nobody understood: command words and the fallback's own
   * suggestions and vocabulary, nearest first.
   */
  suggest(word: string, fromFallback: readonly string[] = []): string[] {
    const w = word.toLowerCase();
    const pool = new Set<string>(fromFallback);
    const cmd = this.closest(w);
    if (cmd) pool.add(cmd);
    if (this.fallbackSpec) {
      const v = closest(w, this.fallbackSpec.vocabulary());
      if (v) pool.add(v);
    }
    return [...pool].sort((a, b) => editDistance(w, a.toLowerCase()) - editDistance(w, b.toLowerCase())).slice(0, 3);
  }

  parse(text: string): ParseResult {
    const stripped = cleanInput(text).trim().replace(/^\/kpi(\s+|$)/i, '');
    const tokens = tokenize(stripped);
    const [first, ...rest] = tokens;
    if (!first) return { kind: 'empty' };
    const spec = this.byWord.get(first.toLowerCase());
    if (spec) return { kind: 'command', spec, args: rest };
    if (this.fallbackSpec) return { kind: 'fallback', spec: this.fallbackSpec, text: stripped };
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
