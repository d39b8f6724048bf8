# lekdicht's worker. One stage: tsx runs the TypeScript sources directly (it is a runtime dependency), so
# there is no build output to copy between stages.
FROM node:20-bookworm-slim

WORKDIR /app

# No compilers: better-sqlite3 publishes prebuilt binaries for Node 20 on glibc Linux (x64, arm64, armv7),
# which its install script downloads during npm ci. Only on a platform outside that list would it fall back
# to node-gyp; then add, in this same RUN so they do not stay in the image:
#   apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*

# The manifests alone first, so the dependency layer is reused until package-lock.json changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Owned by root and only readable by the worker: a compromised worker cannot rewrite its own code.
COPY . .

# A named volume mounted on a directory of the image takes over its owner on first use; one mounted where the
# image has nothing comes up root-owned. So both mount points exist here, owned by the unprivileged user: /data
# for the worker's breach register, /auth for the HTTP service's logins and sessions (docker-compose.yml).
RUN mkdir -p /data /auth && chown node:node /data /auth

# npx would otherwise ask the registry for a newer npm on start.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false

USER node

CMD ["npx", "tsx", "worker/main.ts"]
