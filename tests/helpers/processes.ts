/**
 * Runs the real `kpibot` bin and `npm start` entry as child processes with an explicit env, the
 * way a user would, so tests cover the no-build-step start and the data-dir lock for real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

/**
 * Node's flags from `npm start` (package.json), which the Dockerfile's CMD repeats: tests run the
 * service as it ships, heap limit included.
 */
export function startNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'src/server.ts') throw new Error(`npm start is not "node … src/server.ts": ${start}`);
  return words.slice(1, -1);
}

/** A clean env: PATH and HOME only, plus what the test passes (never the developer's settings). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...extra };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKpibot(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/kpibot.js'), ...args], { env: childEnv(env), cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface StartedServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `src/server.ts` on a free port and resolves once it prints its URL. */
export function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<StartedServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...startNodeFlags(), join(ROOT, 'src/server.ts')], {
      env: childEnv({ PORT: '0', ...env }),
      cwd: ROOT,
    });
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /kpibot listening on (http:\/\/\S+) /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          output: () => out,
          stop: async (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
}

/** Polls `/readyz` until 200 (start-up steps done); fails early if the process exits. */
export async function waitReady(server: StartedServer, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`service exited (${server.child.exitCode}) before ready:\n${server.output()}`);
    const res = await fetch(`${server.url}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await res?.body?.cancel();
    if (Date.now() > end) throw new Error(`service not ready within ${timeoutMs} ms:\n${server.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
