/**
 * Preloaded into the service under test (`--import`) by fuzz-routes.test.ts: lists every route
 * the real app registers, from the app itself, so a route added later is fuzzed without anyone
 * editing a list. Fastify publishes each new instance on the `fastify.initialization` channel
 * before any plugin runs; an `onRoute` hook there sees every route, and once the app is ready the
 * list is printed as one stdout line the test reads back.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, HTTPMethods } from 'fastify';

export const ROUTES_LINE = 'fuzz-routes ';

export interface ProbedRoute {
  method: string;
  url: string;
  bodyLimit?: number;
}

subscribe('fastify.initialization', (message) => {
  const { fastify } = message as { fastify: FastifyInstance };
  const routes: ProbedRoute[] = [];
  fastify.addHook('onRoute', (r) => {
    const methods: HTTPMethods[] = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) routes.push({ method, url: r.url, ...(r.bodyLimit ? { bodyLimit: r.bodyLimit } : {}) });
  });
  fastify.addHook('onReady', async () => {
    process.stdout.write(`${ROUTES_LINE}${JSON.stringify(routes)}\n`);
  });
});
