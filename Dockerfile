# syntax=docker/dockerfile:1
#
# Seizure Custody Ledger: build once, run as a non-root user on a slim image.
#   docker build -t seizure-custody-ledger .
#   docker run -p 3000:3000 -v ledger-data:/data seizure-custody-ledger                  # embedded SQLite
#   docker run -p 3000:3000 -e EVENTSTORE_CONNECTION_STRING=esdb://host:2113?tls=false …  # EventStoreDB
# docker-compose.yml runs it next to an EventStoreDB node.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# better-sqlite3 compiles its native addon when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# The sources come in before `npm ci`, because the package's prepare script builds dist/ as part
# of the install (so that its `seizure-ledger` command exists right after `npm ci`).
COPY package.json package-lock.json tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# The web console's Devanagari font is cut from these at build time (and the PDF reads them at run time).
COPY assets ./assets
RUN npm ci \
 && npm prune --omit=dev

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LEDGER_DATA_DIR=/data
WORKDIR /app

# Owned by root and only readable by the app's user: the running process cannot alter its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The fonts of the PDF evidence bundle (OFL), read from dist/evidence/bundle/../../../assets/fonts.
COPY assets ./assets

# The SQLite ledger (or nothing, on EventStoreDB) lives in /data, owned by the unprivileged
# `node` user of the base image; 0700 as the app itself would create it.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
VOLUME ["/data"]

USER node
EXPOSE 3000

# /health answers 200 when the event store is reachable and 503 when it is not.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The node flags of `npm start`: 4 MiB semi-spaces keep each scavenge near 1 ms (README,
# "Measured: what sets the read tails").
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]
