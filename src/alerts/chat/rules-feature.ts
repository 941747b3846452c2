/**
 * Adds the engine's sub-commands to the lifecycle's `alert` command word (one word, two halves):
 * `alert rule …`, `alert mute …`, `alert unmute …`. Listed in src/features.ts after the
 * lifecycle feature.
 */
import type { BotFeature } from '../../bot/feature.ts';
import { registerAlertSubcommand } from './alert-commands.ts';
import { muteCommand, ruleCommand } from './rule-commands.ts';

export function createAlertRulesFeature(opts: { clock?: () => Date } = {}): BotFeature {
  const clock = opts.clock ?? (() => new Date());
  return {
    name: 'alert-rules',
    register(_registries, deps) {
      registerAlertSubcommand({ name: 'rule', aliases: ['rules', '规则'], usage: 'alert rule add|list|remove|test …', run: (ctx, args) => ruleCommand(deps.database, ctx, args, clock()) });
      registerAlertSubcommand({ name: 'mute', aliases: ['静音'], usage: 'alert mute store:<id>|sku:<id> until <date> [reason]', run: (ctx, args) => muteCommand(deps.database, ctx, args, clock()) });
      registerAlertSubcommand({ name: 'unmute', aliases: ['取消静音'], usage: 'alert unmute store:<id>|sku:<id>', run: (ctx, args) => muteCommand(deps.database, ctx, args, clock(), true) });
    },
  };
}

export const alertRulesFeature = createAlertRulesFeature();
