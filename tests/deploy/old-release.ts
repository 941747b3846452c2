/**
 * The previous release, as files: the newest commit on the previous schema whose source tree is
 * whole, unpacked from git history (`git archive`, read-only) into a temp dir with this checkout's
 * node_modules linked in, and its own `src/server.ts` started from there.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { childEnv } from '../helpers/processes.ts';

export const ROOT = join(import.meta.dirname, '../..');

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 }).toString();

interface Journal {
  entries: { tag: string }[];
}

export interface Release {
  commit: string;
  dir: string;
  /** Migration tags the old code knows, and the ones only the new schema has. */
  oldMigrations: string[];
  newMigrations: string[];
  /** Commits passed over because their tree imports a file it does not contain. */
  skipped: string[];
}

function journalAt(commit: string): string[] | undefined {
  try {
    return (JSON.parse(git('show', `${commit}:drizzle/meta/_journal.json`)) as Journal).entries.map((e) => e.tag);
  } catch {
    return undefined;
  }
}

/**
 * Relative imports under src/ that point at no file of the same commit. Integrations are sometimes
 * committed in several pieces, and a piece may import a file that only the next one adds: such a
 * commit never ran on its own, so it is no release.
 */
function missingImports(commit: string): string[] {
  const files = new Set(git('ls-tree', '-r', '--name-only', commit, '--', 'src').split('\n'));
  const hits = git('grep', '-o', '-E', "(from |import\\()'\\.\\.?/[^']+'", commit, '--', 'src').split('\n');
  const missing: string[] = [];
  for (const hit of hits) {
    const m = /^[^:]+:([^:]+):.*'([^']+)'/.exec(hit);
    if (!m) continue;
    const target = normalize(join(dirname(m[1]!), m[2]!));
    if (!files.has(target)) missing.push(`${m[1]} → ${m[2]}`);
  }
  return missing;
}

/**
 * Walks back from HEAD to the first commit whose migrations are a strict prefix of the working
 * tree's (the previous schema) and whose tree is whole.
 */
export function findPreviousRelease(): { commit: string; oldMigrations: string[]; newMigrations: string[]; skipped: string[] } {
  const current = (JSON.parse(readFileSync(join(ROOT, 'drizzle/meta/_journal.json'), 'utf8')) as Journal).entries.map((e) => e.tag);
  const skipped: string[] = [];
  for (const commit of git('rev-list', '--max-count=200', 'HEAD').trim().split('\n')) {
    const old = journalAt(commit);
    if (!old || old.length >= current.length || !old.every((t, i) => current[i] === t)) continue;
    if (missingImports(commit).length > 0) {
      skipped.push(commit);
      continue;
    }
    return { commit, oldMigrations: old, newMigrations: current.slice(old.length), skipped };
  }
  throw new Error('no commit on an older schema with a whole source tree in the last 200 commits');
}

export function extractPreviousRelease(): Release {
  const found = findPreviousRelease();
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-prev-'));
  const tar = execFileSync('git', ['archive', '--format=tar', found.commit, '--', 'src', 'bin', 'drizzle', 'package.json', 'tsconfig.json'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { ...found, dir };
}

export interface OldServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `<dir>/src/server.ts` on a free port; resolves when it prints its URL. */
export function startOldServer(dir: string, env: Record<string, string>, timeoutMs = 150_000): Promise<OldServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'src/server.ts')], { cwd: dir, env: childEnv({ PORT: '0', ...env }) });
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`old release did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /kpibot listening on (http:\/\/\S+) /.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        child,
        output: () => out,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`old release exited with ${code} before listening:\n${out}`));
    });
  });
}
