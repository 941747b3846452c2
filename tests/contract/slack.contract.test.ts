/**
 * The Slack adapter (real @slack/bolt + @slack/web-api) against the fake Slack on loopback,
 * through the twelve contract assertions. Fixtures: tests/fixtures/slack/ (Slack's shapes).
 */
import { readFileSync } from 'node:fs';
import { adapterContract } from './adapter-contract.ts';
import type { InjectableCode, RecordedPost } from './types.ts';
import { CLIENT_TIMEOUT_MS, newImageId, startSlackHarness } from '../fakes/slack/harness.ts';
import type { FakeSlack, Injection } from '../fakes/slack/server.ts';
import { clickPayload } from '../fakes/slack/click.ts';

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as Json;

const INJECT: Record<InjectableCode, Injection> = {
  rate_limited: { method: 'chat.postMessage', status: 429, retryAfter: 7 },
  auth: { method: 'chat.postMessage', error: 'invalid_auth' },
  timeout: { method: 'chat.postMessage', hangMs: CLIENT_TIMEOUT_MS * 2 },
  unavailable: { method: 'chat.postMessage', status: 503 },
};

const blocksOf = (p: RecordedPost) => ((p.body as Json).blocks as Json[] | undefined) ?? [];
const textsOf = (o: unknown): string[] => {
  if (Array.isArray(o)) return o.flatMap(textsOf);
  if (!o || typeof o !== 'object') return [];
  return Object.entries(o as Json).flatMap(([k, v]) => (k === 'text' && typeof v === 'string' ? [v] : textsOf(v)));
};
const buttonsOf = (p: RecordedPost) => blocksOf(p).flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : []));

let current: FakeSlack | undefined;

adapterContract({
  name: 'slack',
  platform: 'slack',
  ackDeadlineMs: 3000,
  async setup(sink) {
    const h = await startSlackHarness({ sink });
    current = h.fake;
    return {
      binding: h.binding,
      conversation: { platform: 'slack', tenantKey: 'T0001', chatId: 'C0GENERAL1', kind: 'group' },
      fake: {
        posts: async () => h.fake.log.map((l) => ({ op: l.op, chatId: l.channel, messageId: l.ts, body: l.body })),
        uploads: async () => h.fake.uploads,
        inject: (code) => h.fake.inject(INJECT[code]),
        failNextUpload: () => h.fake.inject({ method: 'upload', status: 500 }),
        violations: () => h.fake.violations,
      },
      deliver: (payload, o = {}) => h.deliver(payload, { badSignature: o.badSignature, retryNum: o.redelivery ? 1 : undefined }),
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
      expect: { kind: 'message', text: 'gmv 7d by store', mentionedBot: true, user: { id: 'U0ALICE01' }, conversation: { kind: 'group', chatId: 'C0GENERAL1', tenantKey: 'T0001' } },
    },
    directMessage: {
      payload: fixture('direct-message'),
      expect: { kind: 'message', text: '本周 GMV 按店铺', conversation: { kind: 'direct', chatId: 'D0ALICE01' } },
    },
    command: {
      payload: fixture('command'),
      expect: { kind: 'command', name: 'gmv', args: ['7d'], text: 'gmv 7d', conversation: { kind: 'group', chatId: 'C0GENERAL1' } },
    },
    selfMessage: fixture('self-message'),
    malformed: JSON.parse(readFileSync(new URL('../fixtures/slack/malformed.json', import.meta.url), 'utf8')) as unknown[],
  },
  redelivers: true,
  injectableErrors: ['rate_limited', 'auth', 'timeout', 'unavailable'],
  canFailUploads: true,
  clickPayloadFor: (post, actionId) =>
    clickPayload({ channel: post.chatId, ts: post.messageId, text: (post.body as Json).text, blocks: blocksOf(post) }, actionId, current!.responseUrl()),
  buttonsIn: (p) => buttonsOf(p).map((e) => String(e.action_id).split('#')[0]!),
  textOf: (p) => [String((p.body as Json).text ?? ''), ...textsOf(blocksOf(p))].join('\n'),
  imagesIn: (p) => [
    ...(((p.body as Json).files as { id: string }[] | undefined) ?? []).map((f) => f.id),
    ...blocksOf(p).flatMap((b) => (b.type === 'image' ? [String((b.slack_file as Json | undefined)?.id ?? b.image_url)] : [])),
  ],
});
