# syntax=docker/dockerfile:1
# Market & Meal Intelligence: multi-stage build.
#   chef     cargo-chef, cargo-leptos, wasm-bindgen and npm tools (one cached layer)
#   planner  the dependency recipe of the workspace
#   builder  dependencies cooked from the recipe (cached until a manifest changes), then the
#            release build of the server and the browser bundle with cargo-leptos
#   runtime  Debian slim, the binary and the site, a non-root user, a health check
# `--build-arg ARTIFACTS=prebuilt` takes the binary and site from the build context instead
# (scripts/container-check.sh: a host-built binary, where no Rust image can be pulled).

ARG RUST_VERSION=1.95
ARG ARTIFACTS=built

FROM rust:${RUST_VERSION}-bookworm AS chef
# Debian's archive drops superseded versions, so exact apt pins would break the build; the base
# image's release (bookworm) pins the packages instead.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
 && cargo install cargo-chef --locked --version 0.1.78 \
 && cargo install cargo-leptos --locked --version 0.3.10 \
 && cargo install wasm-bindgen-cli --version 0.2.130
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
ENV LEPTOS_OUTPUT_NAME=mmi
COPY package.json package-lock.json ./
RUN npm ci --no-fund --no-audit
ENV PATH=/src/node_modules/.bin:$PATH
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --release -p server --recipe-path recipe.json \
 && cargo chef cook --profile wasm-release --target wasm32-unknown-unknown -p frontend --recipe-path recipe.json
COPY . .
RUN mkdir -p public/vendor \
 && esbuild scripts/echarts.mjs --bundle --minify --format=iife --target=es2019 --legal-comments=eof \
      --log-level=warning --outfile=public/vendor/echarts.min.js \
 && cargo leptos build --release --precompress

FROM scratch AS built
COPY --from=builder /src/target/release/server /server
COPY --from=builder /src/target/site /site

FROM scratch AS prebuilt
COPY target/release/server /server
COPY target/site /site

# hadolint ignore=DL3006
FROM ${ARTIFACTS} AS artifacts

FROM debian:bookworm-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --create-home --home-dir /app mmi \
 && mkdir -p /app/data \
 && chown mmi:mmi /app/data
WORKDIR /app
COPY --from=artifacts /server /app/server
COPY --from=artifacts /site /app/site
# Every setting is an environment variable (see .env.sample); these are the container's defaults.
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:8080 \
    LEPTOS_ENV=PROD \
    DATABASE_URL=sqlite:///app/data/mmi.db \
    RUST_LOG=info \
    MIMALLOC_ARENA_EAGER_COMMIT=0 \
    MIMALLOC_PURGE_DELAY=100
USER mmi
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/app/server"]
CMD ["serve"]
