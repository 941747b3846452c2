/**
 * `postinstall`: patches postgres.js 3.4.9 (the latest release) against a crash on a database
 * outage, found by tests/reliability/db-outage.test.ts. When a connection drops mid-transaction,
 * the driver's automatic ROLLBACK is written after `closed()` nulled the socket; the write is
 * deferred to a setImmediate that dereferences the null socket, and the TypeError thrown there
 * kills the whole process (porsager/postgres#1154, #1208; fix proposals #1168, #1209). Teardown
 * also cancels the pending write without resetting its timer, which wedges the pool slot forever.
 *
 * The patch does what those upstream fixes do: a write with no socket rejects the connection's
 * queries with CONNECTION_CLOSED instead of throwing, and teardown resets the write buffer and
 * timer. Idempotent (a marker comment), applied to the ESM, CJS and Cloudflare builds; a release
 * whose code differs is left alone with a warning, so an upstream fix never breaks an install.
 * Plain Node, no dependencies: it runs before anything else is installed.
 */
/* global console, process */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '/* kpibot: patched against null-socket writes (scripts/patch-postgres.mjs) */';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function packageDir() {
  const direct = join(root, 'node_modules', 'postgres');
  if (existsSync(join(direct, 'package.json'))) return direct;
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('postgres/package.json'));
  } catch {
    return undefined;
  }
}

const REPLACEMENTS = [
  [
    'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    "function nextWrite(fn) {\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)",
  ],
  [
    "    clearImmediate(nextWriteTimer)\n    if (socket) {\n      socket.removeListener('data', data)",
    "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {\n      socket.removeListener('data', data)",
  ],
  [
    "    incomings = null\n    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)",
    "    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)",
  ],
];

const dir = packageDir();
if (!dir) {
  console.warn('patch-postgres: postgres is not installed; nothing to patch');
  process.exit(0);
}
const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
for (const build of ['src', 'cjs/src', 'cf/src']) {
  const file = join(dir, build, 'connection.js');
  if (!existsSync(file)) continue;
  let text = readFileSync(file, 'utf8');
  if (text.includes(MARKER)) continue;
  const missing = REPLACEMENTS.filter(([from]) => !text.includes(from));
  if (missing.length > 0) {
    console.warn(`patch-postgres: postgres ${version} ${build}/connection.js differs from 3.4.9; left unpatched (check porsager/postgres#1208)`);
    continue;
  }
  for (const [from, to] of REPLACEMENTS) text = text.replace(from, to);
  writeFileSync(file, `${MARKER}\n${text}`);
}
