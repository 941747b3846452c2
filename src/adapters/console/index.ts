/**
 * The console binding: its adapter (always on, so console chats get pushes such as demo
 * digests) and its receiver (the page and API, only when CONSOLE is on).
 */
export { createConsoleAdapter, CONSOLE_TENANT } from './adapter.ts';
export { consoleReceiver, conversationFor } from './receiver.ts';
export { consoleFiles, createConsoleFileStore, CONSOLE_FILE_MAX_BYTES } from './files.ts';
