# syntax=docker/dockerfile:1
# Partner Notebook sync server: y-webrtc signaling on "/", the encrypted relay on "/relay",
# /healthz. Build from the repository root:
#   docker build -t partner-notebook-server .
#   docker run -d --name pn-sync -p 127.0.0.1:4444:4444 -v pn-relay:/data partner-notebook-server
# Put TLS in front (server/deploy/Caddyfile). Options are environment variables, e.g.
# -e PN_RETENTION_DAYS=90 (see server/README.md). Several containers can share Redis and PostgreSQL:
# -e PN_STORE=postgres -e PN_DATABASE_URL=postgres://… -e PN_REDIS_URL=redis://… (server/README.md,
# "Several processes"). server/test/deploy.test.ts runs this file's CMD,
# ENV and HEALTHCHECK against the same bundle, so keep them in the forms it reads.

FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the extension's postinstall (wxt prepare) is not needed to bundle the server.
RUN npm ci --ignore-scripts --no-audit --no-fund
# The rest of the repository minus .dockerignore: whatever server/main.ts imports (server/ and the
# shared protocol/; never lib/) is there, and only the bundle goes on to the image.
COPY . .
RUN node scripts/build-server.mjs .output/server/server.mjs

FROM node:20-slim
# One self-contained file: no node_modules, no compiler, nothing else from the repository.
WORKDIR /app
COPY --from=build /src/.output/server/server.mjs ./server.mjs
# The relay's data lives in a volume owned by the unprivileged "node" user of the base image.
RUN mkdir -p /data && chown node:node /data
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4444 PN_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 4444
USER node
# The server finishes pending writes and closes sockets with 1001 on SIGTERM (docker stop).
STOPSIGNAL SIGTERM
# node:20-slim has no curl or wget: ask /healthz with Node itself (503 while shutting down).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4444) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.mjs"]
