/**
 * Merging low-priority pushes: on platforms with tight per-chat limits and a monthly API quota
 * (DingTalk: 20 messages/min per group, org-wide monthly calls — platforms.md §Summary 10),
 * several digests or notices due for the same chat in one batch go out as one message, the way
 * DingTalk's own guidance says to summarise many notifications into one markdown message.
 * Only button-free rows merge: a merged message is edited as a whole, so rows whose cards may be
 * updated later (alerts, lists with buttons) always go alone. Pure.
 */
import type { WireBlock, WireCard, WireMessage } from '../card.ts';
import type { ConversationRef } from '../events.ts';
import { PRIORITY } from './enqueue.ts';

export interface MergeCandidate {
  id: number;
  kind: 'push' | 'update' | 'reply';
  priority: number;
  target: ConversationRef;
  payload: WireMessage;
}

/** Most rows folded into one message (keeps it well under the platform's size limit). */
export const MAX_MERGED = 5;

function mergeable(r: MergeCandidate): boolean {
  if (r.kind !== 'push' || r.priority < PRIORITY.digest) return false;
  return r.payload.kind === 'text' || !r.payload.card.blocks.some((b) => b.type === 'actions');
}

/** Groups rows into units sent as one message each; a unit of one row is sent unchanged. */
export function mergeUnits<T extends MergeCandidate>(rows: T[], mergesOn: (platform: T['target']['platform']) => boolean): T[][] {
  const units: T[][] = [];
  const open = new Map<string, T[]>();
  for (const r of rows) {
    if (!mergesOn(r.target.platform) || !mergeable(r)) {
      units.push([r]);
      continue;
    }
    const key = `${r.target.platform}\u0000${r.target.tenantKey}\u0000${r.target.chatId}`;
    const unit = open.get(key);
    if (unit && unit.length < MAX_MERGED) unit.push(r);
    else {
      const fresh = [r];
      open.set(key, fresh);
      units.push(fresh);
    }
  }
  return units;
}

/** One message saying what every row said, in order: each row's title in bold, then its blocks. */
export function mergePayloads(payloads: WireMessage[]): WireMessage {
  if (payloads.length === 1) return payloads[0]!;
  const blocks: WireBlock[] = [];
  const fallbacks: string[] = [];
  let mentions: string[] = [];
  for (const p of payloads) {
    if (p.kind === 'text') {
      blocks.push({ type: 'text', markdown: p.markdown });
      fallbacks.push(p.markdown);
      continue;
    }
    blocks.push({ type: 'text', markdown: `**${p.card.title}**` }, ...p.card.blocks);
    fallbacks.push(p.card.fallbackText);
    mentions = [...new Set([...mentions, ...(p.card.mentions ?? [])])];
  }
  const first = payloads.find((p): p is { kind: 'card'; card: WireCard } => p.kind === 'card')?.card.title ?? 'KPI';
  return {
    kind: 'card',
    card: {
      title: `${first} (+${payloads.length - 1})`,
      tone: 'info',
      blocks,
      fallbackText: fallbacks.join('\n\n'),
      ...(mentions.length ? { mentions } : {}),
    },
  };
}
