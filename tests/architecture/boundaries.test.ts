/**
 * Import rules of style.md §6, checked on source text (vercel/chat's boundary test): a rule that
 * only lives in a document erodes.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

const PLATFORM_SDKS = [/^@slack\//, /^@larksuiteoapi\//, /^dingtalk-stream/];
const DOMAIN = ['bot', 'kpi', 'render', 'scheduler'];
const all = files(SRC);

describe('architecture boundaries', () => {
  it('finds the source tree', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  it.each(DOMAIN)('src/%s imports neither Fastify nor a platform SDK', (folder) => {
    const offenders = files(join(SRC, folder)).flatMap((f) =>
      imports(f)
        .filter((i) => /^fastify|^@fastify\//.test(i) || PLATFORM_SDKS.some((re) => re.test(i)))
        .map((i) => `${relative(ROOT, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('src/kpi does not import src/bot', () => {
    const offenders = files(join(SRC, 'kpi')).flatMap((f) =>
      imports(f).filter((i) => /(^|\/)bot\//.test(i)).map((i) => `${relative(ROOT, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const offenders = all.filter((f) => !f.endsWith('/src/config.ts') && /process\.env/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('platform SDKs are imported only inside their adapter folder', () => {
    const offenders = all.flatMap((f) => {
      const rel = relative(SRC, f);
      return imports(f)
        .filter((i) => PLATFORM_SDKS.some((re) => re.test(i)))
        .filter((i) => {
          const platform = i.startsWith('@slack/') ? 'slack' : i.startsWith('@larksuiteoapi/') ? 'feishu' : 'dingtalk';
          return !rel.startsWith(`adapters/${platform}/`);
        })
        .map((i) => `${rel} → ${i}`);
    });
    expect(offenders).toEqual([]);
  });

  it('keeps every source file under the 400-line limit and names it kebab-case', () => {
    const tooLong = all.filter((f) => readFileSync(f, 'utf8').split('\n').length > 400).map((f) => relative(ROOT, f));
    expect(tooLong).toEqual([]);
    const badNames = all.map((f) => relative(SRC, f)).filter((p) => !/^[a-z0-9./-]+$/.test(p));
    expect(badNames).toEqual([]);
  });
});
