/**
 * `GET /images/:id.png`: rendered charts by unguessable id. Immutable, so clients and proxies
 * may cache them for good.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.ts';
import { loadImage } from '../bot/images.ts';
import { AppError } from '../errors.ts';

export const imagesPlugin = fp(
  async (app: FastifyInstance, opts: { database: Database }) => {
    app.get('/images/:file', async (req, reply) => {
      const file = (req.params as { file: string }).file;
      const id = file.endsWith('.png') ? file.slice(0, -4) : '';
      const png = id ? await loadImage(opts.database, id) : null;
      if (!png) throw new AppError('not_found', 'no such image');
      return reply.type('image/png').header('cache-control', 'public, max-age=31536000, immutable').send(png);
    });
  },
  { name: 'images' },
);
