# Tollgate's API server with the built web app, for PostgreSQL + Redis (compose.yaml runs two of them behind
# Caddy). apps/api/test/container.test.ts runs this file's RUN, COPY --from, ENV, WORKDIR, CMD and HEALTHCHECK
# lines in a fresh clone, since no container engine is at hand there: keep to those instructions.

FROM node:20-bookworm-slim AS pnpm
RUN npm install -g pnpm@10.34.9
WORKDIR /app

# Everything, then the web app's build (apps/web/dist, which the server serves at /).
FROM pnpm AS build
COPY . .
RUN pnpm install --frozen-lockfile --prefer-offline
RUN pnpm build

# Production dependencies only, in a tree of their own: no dev package is left behind in node_modules/.pnpm.
FROM pnpm AS deps
COPY . .
RUN pnpm install --frozen-lockfile --prod --prefer-offline

FROM node:20-bookworm-slim AS runtime
COPY --from=deps /app /app
COPY --from=build /app/apps/web/dist /app/apps/web/dist
WORKDIR /app/apps/api
# Every variable is described in the README's table; set DATABASE_URL (and REDIS_URL) when running the image.
ENV HOST=0.0.0.0 PORT=3000
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server closes its listener, workers and database pool on SIGTERM and exits 0 (node is PID 1 and
# handles the signal itself). `docker compose run --rm migrate <command>` runs the CLI in this image.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
