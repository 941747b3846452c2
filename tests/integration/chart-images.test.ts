/**
 * A rendered chart on its way to a chat: card image bytes are stored, the card's wire form points
 * at `/images/<id>.png`, and that URL serves the same PNG with immutable cache headers on both
 * engines; guessed or malformed ids are 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, image, toWire } from '../../src/bot/card.ts';
import { imageUrl, newImageId, storeCardImages } from '../../src/bot/images.ts';
import type { Database } from '../../src/db/client.ts';
import { createChartRenderer } from '../../src/render/chart.ts';
import { fixtureCharts } from '../fixtures/charts/inputs.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase, truncateAll } from '../helpers/db.ts';
import { prepareFonts } from '../helpers/render.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('chart images on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    prepareFonts();
    database = await openTestDatabase(engine);
    await truncateAll(database);
  });
  afterAll(async () => database?.close());

  it('serves a stored chart at its card URL, immutable; unknown ids are 404', async () => {
    const { app } = await buildTestApp(database);
    const chart = await createChartRenderer().render(fixtureCharts('zh').trend);
    if (!chart.ok) throw new Error(chart.message);
    const stored = await storeCardImages(database, { kind: 'card', card: card({ title: 'GMV', blocks: [image({ png: chart.png }, chart.alt, chart.width, chart.height)] }) });
    const wire = toWire(stored, (id) => imageUrl('http://localhost:3000', id));
    if (wire.kind !== 'card' || wire.card.blocks[0]?.type !== 'image') throw new Error('no image block');
    const path = new URL(wire.card.blocks[0].url).pathname;
    expect(path).toMatch(/^\/images\/[A-Za-z0-9_-]{22}\.png$/);

    const res = await app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Buffer.compare(res.rawPayload, chart.png)).toBe(0);

    for (const url of [`/images/${newImageId()}.png`, path.replace('.png', ''), '/images/..%2F..%2Fetc%2Fpasswd.png', '/images/short.png']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});
