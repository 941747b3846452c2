/**
 * Debian's chromium driven by playwright-core (never a downloaded browser). The flags are the
 * ones that work as root on these machines (pitfalls.md "Rendering"). A bare machine has no CJK
 * system font, so chromium gets a fonts.conf that adds the npm-shipped Noto Sans SC (the one the
 * chart renderer uses): screenshots of the Chinese UI show text, not empty boxes.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { testEnv } from './env.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The folder of @embedpdf/fonts-sc's fonts, if installed (its `exports` hide package.json). */
function npmCjkFontDir(): string | undefined {
  try {
    let root = dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc'));
    while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
    return existsSync(join(root, 'fonts')) ? join(root, 'fonts') : undefined;
  } catch {
    return undefined;
  }
}

let fontsConf: string | undefined;
function chromiumFontsConf(): string {
  if (fontsConf) return fontsConf;
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-chromium-fonts-'));
  mkdirSync(join(dir, 'cache'));
  const cjk = npmCjkFontDir();
  writeFileSync(
    join(dir, 'fonts.conf'),
    ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', '<fontconfig>',
      // The system's own config first (its dirs and the sans-serif/monospace aliases), then the CJK font.
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>', ...(cjk ? [`  <dir>${cjk}</dir>`] : []),
      '  <dir>/usr/share/fonts</dir>', `  <cachedir>${join(dir, 'cache')}</cachedir>`, '</fontconfig>', ''].join('\n'),
  );
  fontsConf = join(dir, 'fonts.conf');
  return fontsConf;
}

export async function launchBrowser(): Promise<Browser> {
  // Like childEnv (processes.ts): PATH and HOME only, never the developer's settings.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), FONTCONFIG_FILE: chromiumFontsConf() };
  return chromium.launch({ executablePath: testEnv.CHROMIUM_PATH, args: CHROMIUM_ARGS, env });
}
