/**
 * Chart PNGs behind unguessable URLs. Bytes go to the `images` table before a card leaves the
 * process, so the card's wire form carries a URL that any replica can serve.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Card, CardBlock, OutboundMessage } from './card.ts';

/** 128 random bits, base64url: 22 characters. */
export const IMAGE_ID_RE = /^[A-Za-z0-9_-]{22}$/;

export function newImageId(): string {
  return randomBytes(16).toString('base64url');
}

export function imageUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/images/${id}.png`;
}

export async function storeImage(
  database: Database,
  img: { png: Uint8Array; width: number; height: number; workspaceId?: string },
): Promise<string> {
  const id = newImageId();
  await database.query(sql`insert into images (id, workspace_id, png, width, height)
    values (${id}, ${img.workspaceId ?? null}, ${Buffer.from(img.png)}, ${img.width}, ${img.height})`);
  return id;
}

export async function loadImage(database: Database, id: string): Promise<Buffer | null> {
  if (!IMAGE_ID_RE.test(id)) return null;
  const [row] = await database.query<{ png: Uint8Array }>(sql`select png from images where id = ${id}`);
  return row ? Buffer.from(row.png) : null;
}

/** Replaces PNG bytes in a card's image blocks by stored image ids. */
export async function storeCardImages(database: Database, message: OutboundMessage, workspaceId?: string): Promise<OutboundMessage> {
  if (message.kind === 'text' || !message.card.blocks.some((b) => b.type === 'image' && 'png' in b.source)) return message;
  const blocks: CardBlock[] = [];
  for (const b of message.card.blocks) {
    if (b.type === 'image' && 'png' in b.source) {
      const id = await storeImage(database, { png: b.source.png, width: b.width, height: b.height, workspaceId });
      blocks.push({ ...b, source: { imageId: id } });
    } else blocks.push(b);
  }
  const card: Card = { ...message.card, blocks };
  return { kind: 'card', card };
}
