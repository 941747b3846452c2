/**
 * One pass of the console journey in a real chromium, as bob (李强, manager of amazon-us) in the
 * team group `amazon-us`: ask `gmv 7d by store` and see the chart PNG load; set a goal and see
 * its card; add a critical alert rule, let an import elsewhere (REST, as an ERP push would)
 * trip it, and watch the pushed card arrive through the page's own polling with nothing typed;
 * click 确认 / Acknowledge and see the card turn acknowledged. Every DOM check is a string
 * evaluated in the page: tests compile without the DOM lib.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { latestOrdersCsv, type JourneyService } from './browser-service.ts';

export const STEP_TIMEOUT_MS = 30_000;

export interface JourneyResult {
  name: string;
  engine: string;
  viewport: string;
  openMs: number;
  /** Width of the message box ÷ the viewport's. */
  inputShare: number;
  askToChartMs: number;
  chartNaturalWidth: number;
  chartImage: { status: number; contentType: string; path: string };
  goalReplyMs: number;
  ruleReplyMs: number;
  importRows: number;
  importToAlertMs: number;
  /** The alert card came in a `GET /console/api/messages` poll, with no page POST since the import. */
  alertViaPoll: boolean;
  ackToChangedMs: number;
  ackedText: string;
  /** Largest sideways overflow seen after any step (page or message log), px. */
  sidewaysPx: number;
  jsErrors: string[];
  screenshots: string[];
}

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** `2026-12` for any day of 2026-11: a goal period that is always open. */
export function nextMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return d.toISOString().slice(0, 7);
}

const SIDEWAYS = `Math.max(document.documentElement.scrollWidth - window.innerWidth,
  (() => { const l = document.getElementById('log'); return l ? l.scrollWidth - l.clientWidth : 0; })())`;

const imageLoaded = (id: string) => `(() => {
  const i = document.querySelector('.msg[data-id="${id}"] .card img');
  return !!i && i.complete && i.naturalWidth > 0 ? i.naturalWidth : 0;
})()`;

export async function runJourney(browser: Browser, service: JourneyService, o: { name: string; phone: boolean; shotsDir: string }): Promise<JourneyResult> {
  mkdirSync(o.shotsDir, { recursive: true });
  const context = await browser.newContext(o.phone ? PHONE : DESKTOP);
  const page = await context.newPage();
  const jsErrors: string[] = [];
  const screenshots: string[] = [];
  const polled = new Map<string, number>();
  const posts: number[] = [];
  let closing = false;
  let sidewaysPx = Number.NEGATIVE_INFINITY;

  page.on('pageerror', (e) => jsErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') jsErrors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('requestfailed', (r) => {
    if (!closing) jsErrors.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  // A confirm() on a button would block the click; accept it as a user would.
  page.on('dialog', (d) => void d.accept());
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/console/api/')) posts.push(Date.now());
  });
  page.on('response', async (r) => {
    if (r.request().method() !== 'GET' || !r.url().includes('/console/api/messages')) return;
    const body = (await r.json().catch(() => ({ messages: [] }))) as { messages: { id: string }[] };
    for (const m of body.messages) if (!polled.has(m.id)) polled.set(m.id, Date.now());
  });

  const step = async (label: string) => {
    sidewaysPx = Math.max(sidewaysPx, await page.evaluate<number>(SIDEWAYS));
    const file = `${o.name}-${String(screenshots.length + 1).padStart(2, '0')}-${label}.png`;
    await page.screenshot({ path: join(o.shotsDir, file) });
    screenshots.push(file);
  };
  const send = async (text: string) => {
    await page.fill('#text', text);
    if (o.phone) await page.tap('#form button[type=submit]');
    else await page.press('#text', 'Enter');
  };
  /** Bot messages with a card titled so, minus the ones with these ids. */
  const botCards = (title: RegExp, notIds: string[] = []) =>
    page.locator(`.msg:not(.mine)${notIds.map((id) => `:not([data-id="${id}"])`).join('')}`).filter({ has: page.locator('.card h3', { hasText: title }) });
  const idsOf = async (title: RegExp) => Promise.all((await botCards(title).all()).map(async (l) => (await l.getAttribute('data-id'))!));
  /** Sends `text` and resolves with the new card titled `title` (one already on the page does not count). */
  const ask = async (text: string, title: RegExp) => {
    const card = botCards(title, await idsOf(title)).last();
    await send(text);
    await card.waitFor({ timeout: STEP_TIMEOUT_MS });
    return card;
  };

  let t = Date.now();
  await page.goto(`${service.url}/console?user=bob&chat=amazon-us`);
  await page.waitForFunction(`document.getElementById('chat').value === 'amazon-us' && document.getElementById('user').value === 'bob'`);
  const openMs = Date.now() - t;
  // The message box takes the form's width (it was once capped at 150 px by a stray selector).
  const inputShare = await page.evaluate<number>(`document.getElementById('text').getBoundingClientRect().width / window.innerWidth`);
  expect(inputShare).toBeGreaterThan(0.5);
  await step('open');

  // (a) A question with a chart: the PNG is fetched from /images/… and decoded by the browser.
  const image = page.waitForResponse((r) => /^\/images\/[^/]+\.png$/.test(new URL(r.url()).pathname), { timeout: STEP_TIMEOUT_MS });
  image.catch(() => {}); // awaited below; a failure before then is reported by that step
  t = Date.now();
  const chart = await ask('gmv 7d by store', /^GMV\b/);
  await chart.locator('.card img').waitFor({ timeout: STEP_TIMEOUT_MS });
  const chartId = (await chart.getAttribute('data-id'))!;
  await page.waitForFunction(imageLoaded(chartId), undefined, { timeout: STEP_TIMEOUT_MS });
  const askToChartMs = Date.now() - t;
  const chartNaturalWidth = await page.evaluate<number>(imageLoaded(chartId));
  const imageResponse = await image;
  const chartImage = { status: imageResponse.status(), contentType: imageResponse.headers()['content-type'] ?? '', path: new URL(imageResponse.url()).pathname };
  expect(chartImage.status).toBe(200);
  expect(chartImage.contentType).toMatch(/^image\/png/);
  expect(await chart.locator('.card img').getAttribute('src')).toContain(chartImage.path);
  expect(chartNaturalWidth).toBeGreaterThan(0);
  await chart.locator('.card img').scrollIntoViewIfNeeded();
  await step('chart');

  // (b) bob, the team's manager, sets the team's goal for next month by chat command.
  const period = nextMonth();
  t = Date.now();
  const goal = await ask(`goal set gmv 1.2m ${period} team:amazon-us owner:@bob`, /^(Goal #\d+ set|目标 #\d+ 已设定)$/);
  const goalReplyMs = Date.now() - t;
  const goalText = await goal.innerText();
  expect(goalText).toContain('team:amazon-us');
  expect(goalText).toContain(`month:${period}`);
  expect(goalText).toMatch(/1,200,000/);
  await step('goal');

  // (c) A critical rule on the demo's standing issue (us-outlet's ACoS above break-even):
  // critical cards break quiet hours and the daily cap, so the push does not depend on the hour.
  t = Date.now();
  const rule = await ask('alert rule add acos > 1x break_even store:us-outlet critical', /^(Alert rule added|预警规则已添加)$/);
  const ruleReplyMs = Date.now() - t;
  expect(await rule.innerText()).toMatch(/fires for 1\.|触发 1 项/);

  // A card already on the page (none on a fresh start) is not the one this import pushes.
  const pushed = botCards(/^acos · /, await idsOf(/^acos · /)).filter({ has: page.locator('.card.critical') });
  const order = await latestOrdersCsv(service.url, 'us-outlet');
  const postsBefore = posts.length;
  t = Date.now();
  // force: a re-sent report is still an import (the exact last file is otherwise skipped).
  const res = await fetch(`${service.url}/api/v1/imports/orders?force=1`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: order.csv });
  const run = (await res.json()) as { status: string; rowsAccepted: number };
  expect(res.status).toBe(200);
  expect(run).toMatchObject({ status: 'ok', rowsAccepted: order.rows });
  await pushed.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const importToAlertMs = Date.now() - t;
  const alertMsgId = (await pushed.first().getAttribute('data-id'))!;
  await expect.poll(() => polled.has(alertMsgId), { timeout: 5_000 }).toBe(true);
  const alertViaPoll = polled.has(alertMsgId) && posts.length === postsBefore;
  expect(alertViaPoll).toBe(true);
  expect(await pushed.count()).toBe(1);
  const alertText = await pushed.first().innerText();
  expect(alertText).toContain('store:us-outlet');
  await pushed.first().scrollIntoViewIfNeeded();
  await step('alert');

  // (d) Acknowledge on the pushed card: the card is rewritten (outbox → console row → poll).
  const card = page.locator(`.msg[data-id="${alertMsgId}"]`);
  const ack = card.locator('.actions button', { hasText: /^(确认|Acknowledge)$/ });
  expect(await ack.count()).toBe(1);
  t = Date.now();
  if (o.phone) await ack.tap();
  else await ack.click();
  await card.locator('.card.success').waitFor({ timeout: STEP_TIMEOUT_MS });
  const ackToChangedMs = Date.now() - t;
  const ackedText = await card.innerText();
  expect(ackedText).toMatch(/✅ (李强 已于 .+ 确认|Acknowledged by 李强)/);
  expect(ackedText).toMatch(/已更新 updated/);
  expect(await card.locator('.actions button').count()).toBe(0);
  await card.scrollIntoViewIfNeeded();
  await step('acknowledged');

  closing = true;
  await context.close();
  return {
    name: o.name, engine: service.engine, viewport: o.phone ? '360×740 @2x, touch' : '1280×800',
    openMs, inputShare, askToChartMs, chartNaturalWidth, chartImage, goalReplyMs, ruleReplyMs, importRows: order.rows,
    importToAlertMs, alertViaPoll, ackToChangedMs, ackedText: ackedText.split('\n').find((l) => l.includes('✅')) ?? '',
    sidewaysPx, jsErrors, screenshots,
  };
}
