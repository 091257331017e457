# syntax=docker/dockerfile:1
# Multi-stage image for the retention gateway. One image, two roles:
#   docker run IMAGE web      (HTTP: Twilio and Stripe webhooks, API, consoles)
#   docker run IMAGE worker   (BullMQ jobs: SMS, calls, charges, schedules)
# glibc base (Debian): the embedded-postgres binaries need it, no Alpine.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. `npm install` rather than `npm ci`: the lock
# file cannot list msgpackr-extract's optional builds for other platforms (see
# .ci/run); versions still come from the lock.
RUN npm install --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
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
COPY src/sms/messages ./dist/src/sms/messages
COPY src/evidence/export/verify-bundle.mjs src/evidence/export/bundle-format.md ./dist/src/evidence/export/
COPY demo ./dist/demo
COPY package.json ./
USER gateway
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/src/main.js"]
CMD ["start"]
