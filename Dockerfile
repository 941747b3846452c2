# syntax=docker/dockerfile:1
# Multi-stage: install with dev tools to typecheck, then ship production dependencies only.
# The app runs TypeScript through tsx (a runtime dependency), the same way `npm start` does, so
# the image and a developer's checkout run identical code paths.

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches the postgres driver (scripts/patch-postgres.mjs), so the script comes first.
COPY scripts/patch-postgres.mjs ./scripts/
RUN npm ci --no-audit --no-fund

FROM deps AS check
COPY . .
RUN npx tsc --noEmit

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/patch-postgres.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=check /app/src ./src
COPY --from=check /app/bin ./bin
COPY --from=check /app/drizzle ./drizzle
RUN mkdir -p /data && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The same command as `npm start`: a 512 MiB V8 old space keeps the heap near its live size
# (~125 MiB at 250 req/s in docs/reliability.md) instead of V8's default of up to 4x that.
CMD ["node", "--max-old-space-size=512", "--import", "tsx", "src/server.ts"]
