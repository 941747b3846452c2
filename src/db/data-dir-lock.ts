/**
 * PGlite is single-process: two processes on one data dir can corrupt it (pitfalls.md). Whoever
 * opens `DATA_DIR/pglite` first holds `DATA_DIR/server.lock` (pid, role, and the URL once a server
 * listens); everyone else reads it and goes over HTTP to that server or refuses with a clear
 * message. A lock whose pid is gone is stale and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

export interface LockInfo {
  pid: number;
  role: 'server' | 'cli';
  /** Base URL of a listening server (absent until it listens, and for the CLI). */
  url?: string;
  startedAt: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Records the URL the server listens on, for CLI commands that go over HTTP. */
  setUrl(url: string): void;
  release(): void;
}

export function lockPath(dataDir: string): string {
  return join(dataDir, 'server.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current holder, or null when there is none or it died. */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    if (typeof info.pid !== 'number' || !alive(info.pid) || info.pid === process.pid) return null;
    return info;
  } catch {
    return null;
  }
}

export function inUseMessage(holder: LockInfo): string {
  return holder.role === 'server'
    ? `the database is in use by a running server (pid ${holder.pid})`
    : `the database is in use by another kpibot command (pid ${holder.pid})`;
}

export function acquireDataDirLock(dataDir: string, role: LockInfo['role']): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  let info: LockInfo = { pid: process.pid, role, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      return {
        path,
        setUrl(url) {
          info = { ...info, url };
          writeFileSync(path, JSON.stringify(info));
        },
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dataDir);
      if (holder) throw new AppError('database_in_use', inUseMessage(holder));
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new AppError('database_in_use', `could not take ${path}; remove it if no kpibot process is running`);
}
