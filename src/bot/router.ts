/**
 * The command registry and the one text parser every platform shares. `/kpi gmv 7d`, `@bot gmv
 * 7d` (mention already stripped) and a DM `gmv 7d` all become the same command. Features register
 * their commands here; `help` lists whatever is registered.
 */
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

/** Optimal string alignment distance: edits plus adjacent swaps ("hlep" → "help" is 1). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
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
    const w = word.toLowerCase();
    let best: { word: string; d: number } | undefined;
    for (const candidate of this.byWord.keys()) {
      const d = distance(w, candidate);
      if (d <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || d < best.d)) best = { word: candidate, d };
    }
    return best?.word;
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
