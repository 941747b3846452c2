/**
 * Chat platform adapters: one folder per platform (`slack/`, `feishu/`, `dingtalk/`, `console/`),
 * each a receiver (verify, ack, dedup, normalise) plus a client behind the bot's three-method port.
 * Platform payload types never leave their folder. Filled by the adapter issues.
 */
export {};
