# syntax=docker/dockerfile:1
#
# Godwit migration image: Node.js 20, the CLI bundled into one file, the native SQLite module, and
# a migrations folder at /migrations. Runs as uid/gid 10001 (the manifests of `godwit k8s` pin the
# same numbers), entrypoint `godwit`, so a Kubernetes container only sets `args: [up, --phase, pre]`.
#
# Build with the example migrations:
#   docker build -t ghcr.io/acme/shop-migrations:1.4.2 .
# Build with your app's migrations (BuildKit replaces the `migrations` stage by a named context):
#   docker build --build-context migrations=../shop/db/migrations -t ghcr.io/acme/shop-migrations:1.4.2 .
# Build only the base image (no migrations), to `FROM` in your app's own Dockerfile:
#   docker build --target runtime -t godwit:0.1.0 .
#   # app Dockerfile:  FROM godwit:0.1.0
#   #                  COPY db/migrations/ /migrations/
#
# Tag the image like the app release it belongs to, never `latest`: the app pods' `godwit wait`
# compares the database with the migrations baked into this image.

ARG NODE_VERSION=20

# ---- build: compile, bundle, and keep only the native module the bundle cannot contain ----------
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY scripts/ ./scripts/
COPY src/ ./src/
# `npm run bundle` (scripts/bundle.mjs) writes the single-file CLI to dist/bundle/godwit.mjs, the
# PostgreSQL parser's libpg-query.wasm beside it (found there at run time) and LICENSES.txt;
# better-sqlite3 stays external. `npm run build` first: the image is not built from code that
# does not typecheck.
RUN npm run build && npm run bundle && test -f dist/bundle/godwit.mjs && test -f dist/bundle/libpg-query.wasm
# better-sqlite3 is compiled (or fetched prebuilt) by `npm ci` for this Debian release; the slim
# runtime below is the same release, so the .node file loads there. Keep only what it needs at run
# time: its JavaScript, the compiled addon, and `bindings` (+ its one dependency) that finds it.
RUN mkdir -p /out/node_modules/better-sqlite3/build/Release \
 && cp -R node_modules/better-sqlite3/package.json node_modules/better-sqlite3/lib /out/node_modules/better-sqlite3/ \
 && cp node_modules/better-sqlite3/build/Release/better_sqlite3.node /out/node_modules/better-sqlite3/build/Release/ \
 && cp -R node_modules/bindings node_modules/file-uri-to-path /out/node_modules/

# ---- migrations: the folder baked into the image; override with --build-context migrations=DIR --
FROM scratch AS migrations
COPY examples/todo/migrations/ /

# ---- runtime: Node + one file + the SQLite addon, non-root -------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    GODWIT_DIR=/migrations
WORKDIR /app
COPY --from=build /src/dist/bundle/ /app/
COPY --from=build /out/node_modules/ /app/node_modules/
# `godwit` on the PATH; `exec` makes node PID 1, so SIGTERM from the kubelet reaches Godwit, which
# rolls back, frees its lock and exits 143 within --shutdown-grace.
RUN printf '#!/bin/sh\nexec node /app/godwit.mjs "$@"\n' > /usr/local/bin/godwit \
 && chmod 0755 /usr/local/bin/godwit \
 && groupadd --system --gid 10001 godwit \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin godwit \
 && mkdir -p /migrations
# Numeric, so the kubelet can verify runAsNonRoot without reading /etc/passwd.
USER 10001:10001
ENTRYPOINT ["godwit"]
CMD ["--help"]

# ---- default target: the runtime plus the migrations, owned by root and read-only for 10001 -----
FROM runtime AS image
COPY --from=migrations / /migrations/
LABEL org.opencontainers.image.title="godwit migrations" \
      org.opencontainers.image.description="Godwit database migrations; see docs/kubernetes.md"
