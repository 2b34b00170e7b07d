# Market & Meal Intelligence: two commands.
#   make run    build (release) and serve http://127.0.0.1:3000, importing DATA_DIR on first start
#   make test   fmt, clippy (ssr and hydrate), unit + integration tests, wasm32 checks, browser tests
# Each installs what it is missing first (wasm32 target, cargo-leptos, wasm-bindgen, npm tools,
# Debian's chromium). Run `make help` for the rest.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Pinned tools. wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock.
CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
# The HTTP load generator of bench/serve.sh (Debian bookworm's package).
WRK_VERSION := 4.1.0-3+b2

# The reference data sits beside the project; any directory with the same layout works.
DATA_DIR ?= $(if $(wildcard ../shared/data/README.md),../shared/data,)
export DATA_DIR
DATABASE_URL ?= sqlite://data/mmi.db
export DATABASE_URL

TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
SITE_ROOT := $(CURDIR)/target/site
# cargo-leptos bakes the bundle name into leptos_config at compile time (option_env!). Giving every
# cargo command the same value keeps `cargo test` and `cargo leptos build` from rebuilding each
# other's Leptos stack.
export LEPTOS_OUTPUT_NAME := mmi
# npm's binaryen gives cargo-leptos its wasm-opt (it would otherwise try to download one).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# The allocator hands freed pages back to the system after 100 ms (server/src/main.rs).
MIMALLOC_ENV := MIMALLOC_ARENA_EAGER_COMMIT=0 MIMALLOC_PURGE_DELAY=100
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Crates that must also compile for the browser.
BROWSER_CRATES := -p mmi-types -p mmi-signals -p mmi-rank -p mmi-text -p frontend
# What the browser bundle must never link (see ARCHITECTURE.md, "Invariants").
SERVER_ONLY := tokio|mio|sqlx|sqlx-core|libsqlite3-sys|polars|polars-core|linfa|candle-core|reqwest|mmi-store|mmi-ingest|mmi-crypto|mmi-learn|mmi-nutrition|mmi-serve

.PHONY: help run test tools npm chromium build release import train fmt-check clippy unit wasm-check \
        bundle-check e2e bench bench-tools bench-serve container-check clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

run: tools npm release ## build in release mode and serve on http://127.0.0.1:3000 (imports DATA_DIR if the DB is empty)
	@[ -n "$(DATA_DIR)" ] || echo "DATA_DIR is not set: the dashboard will show how to import data."
	LEPTOS_SITE_ROOT=$(SITE_ROOT) LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_ENV=PROD $(MIMALLOC_ENV) \
		$(TARGET_DIR)/release/server serve

test: tools npm chromium fmt-check clippy unit wasm-check bundle-check e2e ## everything CI runs
	@echo "make test: all checks passed"

tools: ## install the wasm32 target, cargo-leptos and wasm-bindgen-cli if missing
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -qF "$(CARGO_LEPTOS_VERSION)" \
		|| cargo install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

npm: node_modules/.package-lock.json public/vendor/echarts.min.js ## install Playwright, binaryen, esbuild and ECharts from npm (pinned in package-lock.json)
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-fund --no-audit
# ECharts is served from the site like any asset (the page needs no CDN); not committed. Only the
# chart types and components the pages use (scripts/echarts.mjs), bundled by esbuild.
ECHARTS_BUNDLE := esbuild scripts/echarts.mjs --bundle --minify --format=iife --target=es2019 --legal-comments=eof
public/vendor/echarts.min.js: node_modules/.package-lock.json scripts/echarts.mjs
	mkdir -p public/vendor && node_modules/.bin/$(ECHARTS_BUNDLE) --log-level=warning --outfile=$@

chromium: ## install Debian's chromium for the browser tests if missing
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }

build: ## debug build of the server and the browser bundle
	cargo leptos build

release: ## release build (server opt-level 3 + thin LTO; bundle opt-level z + wasm-opt; static files also as .br and .gz)
	cargo leptos build --release --precompress

import: ## import DATA_DIR into DATABASE_URL (or the live APIs with ARGS=--live)
	cargo build -p server
	$(TARGET_DIR)/debug/server import $(ARGS)

train: tools npm release ## train the crypto and nutrition models, the recommenders, the sentiment models and the ingredient parser into DATABASE_URL with the release build (ARGS=--quick: small runs)
	$(TARGET_DIR)/release/server train crypto $(ARGS)
	$(TARGET_DIR)/release/server train nutrition $(ARGS)
	$(TARGET_DIR)/release/server train recommend $(ARGS)
	$(TARGET_DIR)/release/server train sentiment $(ARGS)
	$(TARGET_DIR)/release/server train recipes $(ARGS)

fmt-check:
	cargo fmt --all -- --check

# The two halves are linted apart: with both features at once, code behind either could hide.
clippy:
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo clippy $(BROWSER_CRATES) -p app --target wasm32-unknown-unknown -- -D warnings

unit: ## unit and integration tests (real SQLite files and a throw-away PostgreSQL cluster, loopback servers, DATA_DIR)
	@[ -n "$(DATA_DIR)" ] || { echo "DATA_DIR must point at the reference data (../shared/data)"; exit 1; }
	pg=$$(mktemp -d /tmp/mmi-pg.XXXXXX); trap 'bash scripts/pg-test.sh stop "$$pg"' EXIT; \
	MMI_TEST_POSTGRES_URL=$$(bash scripts/pg-test.sh start "$$pg") cargo test --workspace --exclude frontend

wasm-check:
	cargo check $(BROWSER_CRATES) --target wasm32-unknown-unknown

bundle-check: ## the browser bundle links no server-only crate
	@if cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none \
		| awk '{print $$1}' | grep -xE '$(SERVER_ONLY)'; then \
		echo "the browser bundle links the server-only crates above"; exit 1; \
	else echo "bundle-check: no server-only crate in the browser bundle"; fi

e2e: build ## browser tests: two real servers (imported data, empty DB) and Debian's chromium
	SERVER_BIN=$(TARGET_DIR)/debug/server LEPTOS_SITE_ROOT=$(SITE_ROOT) \
		npx playwright test --config end2end/playwright.config.ts

bench: ## criterion benchmarks (release): the crypto feature pipeline, the int8 top-k search, ingredient parsing, a week's meal plan
	@[ -n "$(DATA_DIR)" ] || { echo "DATA_DIR must point at the reference data (../shared/data)"; exit 1; }
	cargo bench -p mmi-crypto --bench features
	cargo bench -p mmi-rank --bench top_k
	cargo bench -p mmi-text --bench ingredient
	cargo bench -p mmi-nutrition --bench meal_plan

bench-tools: ## install the load generator bench/serve.sh uses (Debian's wrk, pinned)
	@dpkg-query -W -f='$${Version}' wrk 2>/dev/null | grep -qxF '$(WRK_VERSION)' \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends wrk=$(WRK_VERSION); }

bench-serve: bench-tools release ## load the release server: API and pages under wrk, a cold-start stampede, resident memory
	@[ -n "$(DATA_DIR)" ] || { echo "DATA_DIR must point at the reference data (../shared/data)"; exit 1; }
	bash bench/serve.sh

container-check: ## build the runtime image with podman around a host-built binary, check /healthz
	bash scripts/container-check.sh

clean:
	cargo clean
	rm -rf target/site target/e2e node_modules
