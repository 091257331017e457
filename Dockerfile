# syntax=docker/dockerfile:1
# Multi-stage image for the retention gateway. One image, two roles:
#   docker run IMAGE web      (HTTP: Twilio and Stripe webhooks, API, consoles)
#   docker run IMAGE worker   (BullMQ jobs: SMS, calls, charges, schedules)
# glibc base (Debian): the embedded-postgres binaries need it, no Alpine.
#
# Node 26: the Active LTS line (even releases enter LTS each October; 26 did
# in October 2026, when 24 moved to maintenance; 20 reached its end of life in
# April 2026). package.json `engines` still admits 20.19 and later, so the
# code keeps running on older hosts; the image takes the release with the
# longest support ahead. On Debian 13 (trixie), the current Debian stable, the
# base the official images build every new Node major on.
ARG NODE_IMAGE=node:26-trixie-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. `npm install` rather than `npm ci`: the lock
# file cannot list msgpackr-extract's optional builds for other platforms (see
# .ci/run); versions still come from the lock.
RUN npm install --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/var/lib/retention-gateway
WORKDIR /app
# tini reaps children and forwards SIGTERM so the gateway drains before exit.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system gateway && useradd --system --gid gateway --home /app gateway \
 && mkdir -p /var/lib/retention-gateway && chown gateway:gateway /var/lib/retention-gateway
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# Non-code assets read at run time: migrations, prompt and message files, demo data.
COPY src/db/migrations ./dist/src/db/migrations
COPY src/ivr/prompts/*.json ./dist/src/ivr/prompts/
COPY src/recovery-call/prompts/*.json ./dist/src/recovery-call/prompts/
COPY src/retention/voice/prompts/*.json ./dist/src/retention/voice/prompts/
COPY src/sms/messages ./dist/src/sms/messages
# The consoles' browser code and stylesheet: bundled by esbuild when a page first asks (src/console/console-assets.ts).
COPY src/console/browser ./dist/src/console/browser
COPY src/notices/templates ./dist/src/notices/templates
COPY src/evidence/export/verify-bundle.mjs src/evidence/export/verify-proofs.mjs src/evidence/export/bundle-format.md ./dist/src/evidence/export/
COPY demo ./dist/demo
COPY package.json ./
USER gateway
# 3000: web (PORT); 3001: the worker role's health endpoint (WORKER_HEALTH_PORT).
EXPOSE 3000 3001
# One check for both roles: /healthz on PORT (web), else on WORKER_HEALTH_PORT
# (worker: BullMQ running, Postgres and Redis reachable); see src/runtime/check-health.ts.
HEALTHCHECK --interval=15s --timeout=8s --start-period=20s --retries=3 \
  CMD ["node", "dist/src/main.js", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/src/main.js"]
CMD ["start"]
