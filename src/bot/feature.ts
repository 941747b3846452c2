/**
 * How a feature plugs into the bot: it registers its commands and button actions in the shared
 * registries (so `help` lists them and the one parser routes to them) and may handle the bot
 * joining a group. Features are listed once, in `src/features.ts`; the bot never imports them.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import type { ChartRenderer } from '../render/index.ts';
import type { BotContext, ContextConfig } from './context.ts';
import type { InboundEvent, Platform } from './events.ts';
import type { ChatAdapter, FileSource } from './ports.ts';
import type { ActionRegistry, CommandRegistry } from './router.ts';

export interface FeatureDeps {
  database: Database;
  config: ContextConfig & { publicUrl: string };
  logger: Logger;
  /** Chart PNGs for cards; one renderer per process (it bounds concurrent renders). */
  charts: ChartRenderer;
  adapterFor(platform: Platform): ChatAdapter | undefined;
  wakeOutbox?(): void;
  /** How to fetch the bytes of a file event, for platforms that deliver files. */
  filesFor?(platform: Platform): FileSource | undefined;
}

export interface BotFeature {
  /** Short id for logs, e.g. `kpi`, `goals`. */
  name: string;
  register(registries: { commands: CommandRegistry; actions: ActionRegistry }, deps: FeatureDeps): void;
  /**
   * The bot was added to a group. Return true when this feature answered (e.g. the welcome card
   * with bind buttons); when none does, the bot posts its help card.
   */
  onBotAdded?(ctx: BotContext, deps: FeatureDeps): Promise<boolean>;
  /**
   * Someone sent the bot a file. Return true when this feature took it (e.g. a data import in a
   * bound chat); when none does, the bot says which files it understands.
   */
  onFile?(ctx: BotContext, event: Extract<InboundEvent, { kind: 'file' }>, deps: FeatureDeps): Promise<boolean>;
}
