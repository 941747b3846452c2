/**
 * Helpers for chart tests: fonts prepared the way the server does it (src/config.ts writes the
 * fonts.conf and sets FONTCONFIG_FILE before sharp's first text render), PNG decoding and
 * perceptual diffs (pixelmatch), and a walk over vega's scenegraph to measure text.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import sharp from 'sharp';
import type { View } from 'vega';
import { applyRuntimeEnv, loadConfig } from '../../src/config.ts';

let prepared: string | undefined;

/** Once per process, before any render: a DATA_DIR of its own, fonts.conf and FONTCONFIG_FILE. */
export function prepareFonts(): string {
  if (!prepared) {
    const dataDir = mkdtempSync(join(tmpdir(), 'kpibot-render-'));
    applyRuntimeEnv(loadConfig({ DATA_DIR: dataDir }));
    prepared = dataDir;
  }
  return prepared;
}

export interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

export async function decode(png: Buffer | Uint8Array, region?: { left: number; top: number; width: number; height: number }): Promise<Raw> {
  let img = sharp(png).ensureAlpha();
  if (region) img = img.extract(region);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Share of pixels that differ perceptually (pixelmatch, YIQ threshold 0.1, anti-aliasing ignored). */
export function diffShare(a: Raw, b: Raw): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  const changed = pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.1 });
  return changed / (a.width * a.height);
}

/** Distinct colours in an image, capped: a blank image has 1. */
export function distinctColours(img: Raw, cap = 64): number {
  const seen = new Set<number>();
  for (let i = 0; i < img.data.length && seen.size < cap; i += 4) seen.add(img.data.readUInt32BE(i));
  return seen.size;
}

export interface TextBox {
  text: string;
  fontSize: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Every visible text item with its bounds in canvas CSS px (vega bounds are group-relative). */
export function textBoxes(view: View): TextBox[] {
  const [ox, oy] = (view as unknown as { origin(): [number, number] }).origin();
  const out: TextBox[] = [];
  type Node = { marktype?: string; items?: Item[] };
  type Item = Node & { x?: number; y?: number; text?: unknown; fontSize?: number; opacity?: number; bounds: { x1: number; y1: number; x2: number; y2: number } };
  const visit = (mark: Node, dx: number, dy: number) => {
    for (const item of mark.items ?? []) {
      if (mark.marktype === 'text') {
        const text = Array.isArray(item.text) ? item.text.join(' ') : String(item.text ?? '');
        if (item.opacity === 0 || text.trim() === '') continue;
        const b = item.bounds;
        out.push({ text, fontSize: item.fontSize ?? 11, x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy });
      } else if (mark.marktype === 'group') {
        for (const child of item.items ?? []) visit(child, dx + (item.x ?? 0), dy + (item.y ?? 0));
      }
    }
  };
  visit((view.scenegraph() as unknown as { root: Node }).root, ox, oy);
  return out;
}
