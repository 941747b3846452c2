/**
 * A KPI question in the console page, in headless chromium on a phone-sized screen, on the demo
 * workspace: the answer card shows a chart that really loads, the drill-down button under it
 * opens the next level, and finance's profit question in the group leaves only a notice there.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { seedDemo } from '../../src/demo/lifecycle.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { testConfig } from '../helpers/build-app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { testEnv } from '../helpers/env.ts';

/** A free port, so PUBLIC_URL (and with it the chart URLs in cards) can point at this server. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('KPI answers in the console page', () => {
  let built: BuiltApp;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const database = await openTestDatabase('pglite');
    await seedDemo(database, { anchor: addDays(localDate('Asia/Shanghai', new Date()), -1) });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    built = await buildApp(testConfig({ PUBLIC_URL: url }), { database, logger: false, startScheduler: false });
    built.app.addHook('onClose', async () => database.close());
    await built.app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await built?.app.close();
  });

  it('shows the answer with a loaded chart, and drills down by SKU', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    await page.goto(`${url}/console?user=alice&chat=@alice`);
    await page.fill('#text', 'gmv 7d by store');
    await page.press('#text', 'Enter');
    const title = page.locator('.card h3', { hasText: 'GMV · Last 7 days · by store' });
    await title.waitFor({ timeout: 20_000 });
    const img = page.locator('.card img').first();
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const i = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('.card img');
      return Boolean(i && i.complete && i.naturalWidth > 0);
    }, undefined, { timeout: 20_000 });
    expect(await img.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(500);
    const sideways = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(sideways).toBeLessThanOrEqual(0);
    mkdirSync(testEnv.ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(testEnv.ARTIFACTS_DIR, 'console-kpi.png'), fullPage: true });

    await page.locator('.card .actions button', { hasText: '· by SKU' }).first().click();
    await page.locator('.card h3', { hasText: 'GMV · Last 7 days · by SKU' }).waitFor({ timeout: 20_000 });
    await page.close();
  });

  it('keeps finance’s profit out of the group and puts it in the DM', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${url}/console?user=dave&chat=general`);
    await page.fill('#text', '上月 净利润 同比');
    await page.press('#text', 'Enter');
    const notice = page.locator('.msg:not(.mine) .bubble', { hasText: '已私信你' });
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.textContent()).not.toMatch(/\d/);
    await page.selectOption('#chat', '@dave');
    await page.locator('.card h3', { hasText: '净利润 · 上月' }).waitFor({ timeout: 20_000 });
    await page.close();
  });
});
