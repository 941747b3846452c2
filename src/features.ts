/**
 * The composition root of chat features: every feature that registers commands, actions or a
 * welcome handler is listed here, in the order `help` shows them. The bot core (`src/bot`) never
 * imports a feature; features import the bot's registry and card types.
 */
import type { BotFeature } from './bot/feature.ts';

export const FEATURES: readonly BotFeature[] = [];
