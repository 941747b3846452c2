/**
 * PNG cache by spec hash: a small in-memory LRU in front of files under a directory (e.g.
 * DATA_DIR/charts), so a digest re-sent to ten chats, or a restart, renders each chart once.
 * Files are written atomically (tmp + rename) and pruned by age, so the directory cannot grow
 * without bound.
 */
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    if (this.max <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}

export interface PngCacheOptions {
  /** Entries kept in memory (default 64; 0 = none). */
  memoryEntries?: number;
  /** Directory for PNG files; omitted = memory only. */
  dir?: string;
  /** Files older than this are removed by `prune` (default 7 days). */
  maxAgeMs?: number;
}

export class PngCache {
  private readonly memory: LruCache<Buffer>;
  private writes = 0;
  private dirReady: Promise<void> | undefined;

  constructor(private readonly opts: PngCacheOptions = {}) {
    this.memory = new LruCache(opts.memoryEntries ?? 64);
  }

  async get(key: string): Promise<{ png: Buffer; from: 'memory' | 'disk' } | undefined> {
    const hit = this.memory.get(key);
    if (hit) return { png: hit, from: 'memory' };
    if (!this.opts.dir) return undefined;
    try {
      const png = await readFile(join(this.opts.dir, `${key}.png`));
      this.memory.set(key, png);
      return { png, from: 'disk' };
    } catch {
      return undefined;
    }
  }

  /** Never throws: a full or read-only disk only costs future cache hits. */
  async set(key: string, png: Buffer): Promise<void> {
    this.memory.set(key, png);
    const dir = this.opts.dir;
    if (!dir) return;
    try {
      this.dirReady ??= mkdir(dir, { recursive: true }).then(() => undefined);
      await this.dirReady;
      const tmp = join(dir, `.${key}.${process.pid}.tmp`);
      await writeFile(tmp, png);
      await rename(tmp, join(dir, `${key}.png`));
      if (++this.writes % 500 === 0) await this.prune();
    } catch {
      this.dirReady = undefined;
    }
  }

  /** Removes cached files older than `maxAgeMs`; returns how many went. */
  async prune(now = Date.now()): Promise<number> {
    const dir = this.opts.dir;
    if (!dir) return 0;
    const maxAge = this.opts.maxAgeMs ?? 7 * 86_400_000;
    let removed = 0;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = join(dir, name);
      try {
        if (now - (await stat(file)).mtimeMs > maxAge) {
          await unlink(file);
          removed++;
        }
      } catch {
        // Raced with another replica's prune.
      }
    }
    return removed;
  }

  get memorySize(): number {
    return this.memory.size;
  }
}
