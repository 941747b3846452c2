/**
 * Slack's inbound payload shapes as this adapter reads them. Every field is optional: bodies come
 * from the network, so the normaliser checks what it needs and returns null when it is missing.
 * Never imported outside `src/adapters/slack/` (style.md §6). Shapes from the Events API, slash
 * command and `block_actions` references (platforms.md §1 a–d; fixtures in tests/fixtures/slack/).
 */

/** `authorizations[]` of an event envelope: who the app acts as in that workspace. */
export interface RawAuthorization {
  team_id?: string | null;
  enterprise_id?: string | null;
  user_id?: string;
  is_bot?: boolean;
}

/** An `app_mention` or `message` event inside an `event_callback` envelope. */
export interface RawMessageEvent {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  /** `im`, `mpim`, `channel`, `group`; only on `message` events. */
  channel_type?: string;
  event_ts?: string;
  /** The workspace of the author (differs from the envelope's team for Slack Connect users). */
  user_team?: string;
  team?: string;
  source_team?: string;
  /** Files shared with the message (subtype `file_share`, or an app_mention with an upload). */
  files?: RawFile[];
}

/**
 * A file object as events carry it (https://docs.slack.dev/reference/objects/file-object). Files
 * from a Slack Connect channel arrive as `{id, mode:"file_access", file_access:"check_file_info"}`
 * only: the rest comes from files.info.
 */
export interface RawFile {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  mode?: string;
  file_access?: string;
  url_private?: string;
  url_private_download?: string;
}

export interface RawEventEnvelope {
  type?: string;
  token?: string;
  challenge?: string;
  team_id?: string;
  enterprise_id?: string;
  context_team_id?: string;
  api_app_id?: string;
  event_id?: string;
  event_time?: number;
  is_ext_shared_channel?: boolean;
  authorizations?: RawAuthorization[];
  event?: RawMessageEvent;
}

/** A slash command: form fields, all strings (`is_enterprise_install` is "true"/"false"). */
export interface RawSlashCommand {
  command?: string;
  text?: string;
  team_id?: string;
  team_domain?: string;
  enterprise_id?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
  user_name?: string;
  api_app_id?: string;
  response_url?: string;
  trigger_id?: string;
  is_enterprise_install?: string;
}

export interface RawBlockAction {
  type?: string;
  action_id?: string;
  block_id?: string;
  value?: string;
  action_ts?: string;
}

/** The JSON inside the `payload` form field of an interactivity request. */
export interface RawBlockActions {
  type?: string;
  user?: { id?: string; username?: string; name?: string; team_id?: string };
  team?: { id?: string; domain?: string } | null;
  enterprise?: { id?: string } | null;
  api_app_id?: string;
  trigger_id?: string;
  response_url?: string;
  container?: { type?: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean; thread_ts?: string };
  channel?: { id?: string; name?: string };
  message?: { ts?: string; thread_ts?: string; bot_id?: string };
  actions?: RawBlockAction[];
  /** Set by Slack for users of another organisation in a Slack Connect channel. */
  is_enterprise_install?: boolean;
}
