/** The alert lifecycle in chat: `alert list|ack|snooze|assign`, `跟进`, and the card buttons. */
import type { BotFeature } from '../../bot/feature.ts';
import { alertActions } from './actions.ts';
import { alertCommand } from './alert-commands.ts';
import { followupCommand } from './followup-commands.ts';

export const alertLifecycleFeature: BotFeature = {
  name: 'alerts',
  register({ commands, actions }, deps) {
    commands.register(alertCommand(deps));
    commands.register(followupCommand(deps));
    for (const a of alertActions(deps)) actions.register(a);
  },
};
