# lekdicht's worker. Two stages: the first compiles the TypeScript to dist/ (tsc, with the dev dependencies) and
# bundles the workflows ahead (dist/workflow-bundle.js); the second holds only the production dependencies and
# runs the compiled worker with node: no npm, tsx or webpack at start (issue 16: ~520 MB idle under npx tsx, and
# the workflows bundled again at every start).
FROM node:20-bookworm-slim AS build

WORKDIR /app

# No compilers: better-sqlite3 publishes prebuilt binaries for Node 20 on glibc Linux (x64, arm64, armv7),
# which its install script downloads during npm ci. Only on a platform outside that list would it fall back
# to node-gyp; then add, in this same RUN so they do not stay in the image:
#   apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
# tsc -p tsconfig.build.json, scripts/finish-dist.ts, then npm run build:workflows (with its manifest).
RUN npm run build

FROM node:20-bookworm-slim

WORKDIR /app

# The manifests alone first, so the dependency layer is reused until package-lock.json changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Owned by root and only readable by the worker: a compromised worker cannot rewrite its own code. The sources stay
# beside dist/ (config/example.yaml, docs; and `npx tsx worker/main.ts` still works while a compose file says so).
COPY . .
COPY --from=build /app/dist ./dist

# A named volume mounted on a directory of the image takes over its owner on first use; one mounted where the
# image has nothing comes up root-owned. So both mount points exist here, owned by the unprivileged user: /data
# for the worker's breach register, /auth for the HTTP service's logins and sessions (docker-compose.yml).
RUN mkdir -p /data /auth && chown node:node /data /auth

# npx would otherwise ask the registry for a newer npm on start.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
# The bundles built above (plain, and its traced twin for tracing), checked against their manifests at start
# (worker/workflow-bundle.ts).
ENV LEKDICHT_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js

USER node

CMD ["node", "dist/worker/main.js"]
