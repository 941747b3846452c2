/**
 * The organisation feature: people, roles, owners, teams, workspace settings, group binding (with
 * the welcome card when the bot joins a group), directory sync, `setup` and `usage`. Listed once
 * in src/features.ts.
 */
import type { BotFeature, FeatureDeps } from '../../bot/feature.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { registerBindCommands, welcome } from './bind-commands.ts';
import { registerOwnershipCommands } from './ownership-commands.ts';
import { registerSettingsCommands } from './settings-commands.ts';
import { registerTeamCommands } from './team-commands.ts';
import { registerUserCommands } from './user-commands.ts';

export const orgFeature: BotFeature = {
  name: 'org',
  register({ commands, actions }, deps) {
    registerUserCommands(commands, deps);
    registerOwnershipCommands(commands, deps);
    registerTeamCommands(commands, deps);
    registerSettingsCommands(commands, deps);
    registerBindCommands(commands, actions, deps);
    registerAdminCommands(commands, deps);
  },
  async onBotAdded(ctx, deps: FeatureDeps) {
    return welcome(deps, ctx);
  },
};
