/**
 * The console page in a real headless browser, on a phone-sized screen: send `help`, see the
 * card; HTML typed by a user stays text; the page never scrolls sideways at 360 px.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { testConfig } from '../helpers/build-app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { testEnv } from '../helpers/env.ts';

describe('console page in chromium', () => {
  let built: BuiltApp;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const database = await openTestDatabase('pglite');
    await database.query(sql`insert into workspaces (id, name, timezone, currency, locale, is_demo)
      values ('demo', '演示 Demo', 'Asia/Shanghai', 'CNY', 'zh-CN', true)`);
    built = await buildApp(testConfig(), { database, logger: false, startScheduler: false });
    built.app.addHook('onClose', async () => database.close());
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(built.app.server.address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await built?.app.close();
  });

  it('sends help and shows the card on a 360 px screen', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    await page.goto(`${url}/console?user=bob&chat=amazon-us`);
    await page.fill('#text', 'help');
    await page.press('#text', 'Enter');
    const title = page.locator('.card h3').first();
    await title.waitFor({ timeout: 10_000 });
    expect(await title.textContent()).toBe('Help');
    expect(await page.locator('.card .text code').first().textContent()).toBe('help');
    expect(await page.locator('.card .note').last().textContent()).toContain('Demo data');
    expect(await page.locator('.msg.mine .bubble').first().textContent()).toBe('help');
    // A string: tests compile without the DOM lib.
    const sideways = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(sideways).toBeLessThanOrEqual(0);
    mkdirSync(testEnv.ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(testEnv.ARTIFACTS_DIR, 'console-help.png') });
    await page.close();
  });

  it('renders HTML typed by a user as text', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${url}/console?user=alice&chat=general`);
    const evil = '<img src=x onerror="document.title=\'pwned\'">';
    await page.fill('#text', evil);
    await page.press('#text', 'Enter');
    await page.locator('.msg.mine .bubble').first().waitFor();
    await page.locator('.card h3').first().waitFor();
    expect(await page.locator('.msg.mine .bubble').first().textContent()).toBe(evil);
    expect(await page.locator('.msg img').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    await page.close();
  });
});
