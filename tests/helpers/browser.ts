/**
 * Debian's chromium driven by playwright-core (never a downloaded browser). The flags are the
 * ones that work as root on these machines (pitfalls.md "Rendering").
 */
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

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: testEnv.CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
