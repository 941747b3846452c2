/**
 * The DingTalk adapter (real dingtalk-stream DWClient over the fake's Stream WebSocket, our own
 * HTTP client against the fake's APIs) through the twelve contract assertions, in its full mode:
 * DINGTALK_CARD_TEMPLATE_ID set, so sends are advanced cards that update in place and whose
 * buttons call back over Stream. The template-less mode (actionCards + signed links) has its own
 * tests in tests/adapters/dingtalk/. Fixtures: tests/fixtures/dingtalk/ (platforms.md §3 b shapes).
 */
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { adapterContract } from './adapter-contract.ts';
import type { InjectableCode, RecordedPost } from './types.ts';
import { CLIENT_TIMEOUT_MS, TOPIC_CARD, TOPIC_ROBOT, newImageId, startDingTalkHarness, type StreamPayload } from '../fakes/dingtalk/harness.ts';
import type { Injection } from '../fakes/dingtalk/server.ts';

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/dingtalk/${name}.json`, import.meta.url), 'utf8')) as Json;
const robot = (name: string): StreamPayload => ({ type: 'CALLBACK', topic: TOPIC_ROBOT, data: fixture(name) });

const CREATE = '/v1.0/card/instances/createAndDeliver';
const INJECT: Record<InjectableCode, Injection> = {
  rate_limited: { path: CREATE, errcode: 130101 },
  auth: { path: CREATE, status: 401, code: 'InvalidAuthentication' },
  timeout: { path: CREATE, hangMs: CLIENT_TIMEOUT_MS * 2 },
  unavailable: { path: CREATE, status: 503, code: 'ServiceUnavailable' },
};

let database: Database | undefined;
const db = async () => (database ??= await openTestDatabase('pglite'));
afterAll(async () => database?.close());

const paramsOf = (p: RecordedPost) => ((p.body as Json).cardData as Json | undefined)?.cardParamMap as Record<string, string> | undefined;
const buttonsOf = (p: RecordedPost) => JSON.parse(paramsOf(p)?.buttons ?? '[]') as { text: string; actionId: string; value: string }[];

adapterContract({
  name: 'dingtalk',
  platform: 'dingtalk',
  // Stream has no ack deadline for robot messages (no redelivery); ours: the response frame within 1 s.
  ackDeadlineMs: 1000,
  async setup(sink) {
    const h = await startDingTalkHarness({ sink, database: await db(), template: true });
    return {
      binding: h.binding,
      conversation: { platform: 'dingtalk', tenantKey: h.fake.corpId, chatId: 'cidGroupGeneral001==', kind: 'group' },
      fake: {
        posts: async () => h.fake.posts.map((p) => ({ op: p.op, chatId: p.chatId, messageId: p.messageId, body: p.body })),
        uploads: async () => h.fake.uploads,
        inject: (code) => h.fake.inject(INJECT[code]),
        failNextUpload: () => h.fake.inject({ path: '/media/upload', status: 500 }),
        violations: () => h.fake.violations,
      },
      deliver: (payload, o = {}) => h.deliver(payload as StreamPayload, { badSignature: o.badSignature }),
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
      payload: robot('mention'),
      expect: { kind: 'message', text: 'gmv 7d by store', mentionedBot: true, user: { id: 'alice-staff', displayName: '王丽' }, conversation: { kind: 'group', chatId: 'cidGroupGeneral001==', tenantKey: 'dingcorp0001' } },
    },
    directMessage: {
      payload: robot('direct-message'),
      expect: { kind: 'message', text: '本周 GMV 按店铺', conversation: { kind: 'direct', chatId: 'user:alice-staff' } },
    },
    // No slash commands on DingTalk: the words reach the bot's one parser, which strips `/kpi`.
    command: { payload: robot('command'), expect: { kind: 'message', text: '/kpi gmv 7d', user: { id: 'bob-staff' } } },
    // DingTalk never delivers the robot's own messages to it.
    selfMessage: null,
    malformed: JSON.parse(readFileSync(new URL('../fixtures/dingtalk/malformed.json', import.meta.url), 'utf8')) as unknown[],
  },
  // Unacked EVENT frames are redelivered; a repeated msgId keeps its event id and is dropped.
  redelivers: true,
  injectableErrors: ['rate_limited', 'auth', 'timeout', 'unavailable'],
  canFailUploads: true,
  clickPayloadFor(post, actionId) {
    const b = buttonsOf(post).find((x) => x.actionId === actionId);
    if (!b) throw new Error(`no ${actionId} button on ${post.messageId}`);
    const payload: StreamPayload = {
      type: 'CALLBACK',
      topic: TOPIC_CARD,
      data: {
        ...fixture('card-callback'),
        outTrackId: post.messageId,
        spaceId: post.chatId,
        content: JSON.stringify({ cardPrivateData: { actionIds: [b.actionId], params: { actionId: b.actionId, value: b.value } } }),
      },
    };
    return payload;
  },
  buttonsIn: (p) => buttonsOf(p).map((b) => b.actionId),
  textOf: (p) => {
    const m = paramsOf(p);
    return m ? [m.title, m.markdown, m.imageAlt, m.fallback].join('\n') : JSON.stringify(p.body);
  },
  imagesIn: (p) => {
    const m = paramsOf(p);
    return m?.image ? [m.image] : [];
  },
});
