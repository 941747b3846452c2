/**
 * The platform-neutral bot: the Card model, the adapter port, the command parser and registry,
 * dispatch of inbound events and the outbox. It imports neither Fastify nor a platform SDK; the
 * adapters translate platform payloads into its events and its cards into platform payloads.
 * Filled by the messaging-core and bot issues.
 */
export {};
