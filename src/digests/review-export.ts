/**
 * The review pack as one long image and as a PDF (src/render's long export), for forwarding to
 * people outside the chat. Images already stored (`imageId`) are read back from the database.
 */
import { loadImage } from '../bot/images.ts';
import type { Database } from '../db/client.ts';
import { renderLongExport, type LongImage } from '../render/index.ts';
import type { ReviewPack } from './review-pack.ts';

export async function exportReviewPack(database: Database, pack: ReviewPack, footer?: string): Promise<{ image: LongImage; pdf: Uint8Array }> {
  return renderLongExport(pack.cards, {
    title: pack.title,
    ...(footer ? { footer } : {}),
    loadImage: async (id) => loadImage(database, id),
  });
}
