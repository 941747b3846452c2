/**
 * The Feishu adapter (real @larksuiteoapi/node-sdk) in webhook mode — every push encrypted and
 * signed with the Encrypt Key — against the fake Feishu on loopback, through the twelve contract
 * assertions. Fixtures: tests/fixtures/feishu/ (Feishu's v2 envelope shapes, ids made up).
 */
import { readFileSync } from 'node:fs';
import { adapterContract } from './adapter-contract.ts';
import type { InjectableCode, RecordedPost } from './types.ts';
import { CLIENT_TIMEOUT_MS, newImageId, startFeishuHarness } from '../fakes/feishu/harness.ts';
import { buttonsOf, cardImages, cardText, clickPayload, fixture } from '../fakes/feishu/requests.ts';
import type { Injection } from '../fakes/feishu/server.ts';

const INJECT: Record<InjectableCode, Injection> = {
  rate_limited: { api: 'send', status: 429, code: 99991400, msg: 'request trigger frequency limit', reset: 7 },
  // Feishu's usual error answer: HTTP 200 with a non-zero code.
  auth: { api: 'send', status: 200, code: 99991663, msg: 'Invalid access token for authorization' },
  timeout: { api: 'send', hangMs: CLIENT_TIMEOUT_MS * 2 },
  unavailable: { api: 'send', status: 503 },
};

const ALICE = 'ou_alice00000000000000000000000001';
const GENERAL = 'oc_general000000000000000000000001';

adapterContract({
  name: 'feishu',
  platform: 'feishu',
  ackDeadlineMs: 3000,
  async setup(sink) {
    const h = await startFeishuHarness({ sink });
    return {
      binding: h.binding,
      conversation: { platform: 'feishu', tenantKey: 'tenant-acme', chatId: GENERAL, kind: 'group' },
      fake: {
        posts: async () => h.fake.log.map((l) => ({ op: l.op, chatId: l.chatId, messageId: l.messageId, body: l.body })),
        uploads: async () => h.fake.uploads,
        inject: (code) => h.fake.inject(INJECT[code]),
        failNextUpload: () => h.fake.inject({ api: 'image', status: 500 }),
        violations: () => h.fake.violations,
      },
      deliver: (payload, o = {}) => h.deliver(payload, { badSignature: o.badSignature }),
      async storeImage(png) {
        const id = newImageId();
        h.images.set(id, png);
        return { imageId: id };
      },
      teardown: () => h.close(),
    };
  },
  fixtures: {
    mention: {
      payload: fixture('mention'),
      expect: { kind: 'message', text: 'gmv 7d by store @Bob', mentionedBot: true, user: { id: ALICE }, conversation: { kind: 'group', chatId: GENERAL, tenantKey: 'tenant-acme' } },
    },
    directMessage: {
      payload: fixture('direct-message'),
      expect: { kind: 'message', text: '本周 GMV 按店铺', mentionedBot: false, conversation: { kind: 'direct', chatId: 'oc_p2p_alice0000000000000000000001' } },
    },
    // No native slash commands on Feishu: the text reaches the bot's one parser, which strips `/kpi`.
    command: {
      payload: fixture('command'),
      expect: { kind: 'message', text: '/kpi gmv 7d', mentionedBot: true, conversation: { kind: 'group', chatId: GENERAL } },
    },
    selfMessage: fixture('self-message'),
    malformed: JSON.parse(readFileSync(new URL('../fixtures/feishu/malformed.json', import.meta.url), 'utf8')) as unknown[],
  },
  redelivers: true,
  injectableErrors: ['rate_limited', 'auth', 'timeout', 'unavailable'],
  canFailUploads: true,
  clickPayloadFor: (post: RecordedPost, actionId) => clickPayload({ chatId: post.chatId, messageId: post.messageId, card: post.body }, actionId),
  buttonsIn: (p) => buttonsOf(p.body).map((b) => String(b.value.a)),
  textOf: (p) => cardText(p.body),
  imagesIn: (p) => cardImages(p.body),
});
