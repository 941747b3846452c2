/**
 * The fake Feishu / Lark for tests and benchmarks: `startFakeFeishu()` (Open API + long
 * connection, frequency limits enforced, sends countable per chat via `sendsPerChat()`), request
 * builders for the webhook route, and the harness that wires the real binding to it.
 */
export { startFakeFeishu, FAKE_APP_ID, FAKE_APP_SECRET, FAKE_BOT_OPEN_ID, FAKE_TENANT, type FakeFeishu, type Injection } from './server.ts';
export { feishuRequest, clickPayload, buttonsOf, encryptFeishu, fixture } from './requests.ts';
export { startFeishuHarness, ENCRYPT_KEY, VERIFICATION_TOKEN, CLIENT_TIMEOUT_MS, type FeishuHarness } from './harness.ts';
