# fapi-session: build, test and demo.
#
#   make build   wasm-pack build (release, --target web) into pkg/, then scripts/package.mjs
#   make test    fmt, clippy (host + wasm32), native tests, browser tests, e2e tests: what CI runs
#   make demo    build, then serve www/ + pkg/ + the React and Vue apps with fapi-mock on http://127.0.0.1:$(PORT)/
#   make size    build, then print the package's wasm and JS sizes (raw, gzip -9) and their total
#   make bench   build, then benchmarks in headless Chromium: bench/results.json, bench/ratios.svg, BENCHMARKS.md
#   make clean   remove build output
#
# Every target first runs scripts/bootstrap.sh, which installs what is missing
# (quiet when everything is there) and records the toolchain route in
# target/toolchain.env; recipes source that file.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.NOTPARALLEL:
.DEFAULT_GOAL := help

PORT ?= 8787
# Extra arguments for fapi-mock in `make demo`, e.g. MOCK_ARGS='--dialect seed'.
MOCK_ARGS ?=
# Filter for `make browser-test`, e.g. make browser-test FILTER=cookie
FILTER ?=

ENV := . ./target/toolchain.env &&
say = @echo "==> $(1)"

.PHONY: help bootstrap build test fmt-check clippy clippy-wasm native-test browser-test e2e-test demo size bench clean
# Later: fuzz (cargo-fuzz on src/core).
# Add them here and in `help`, each depending on `bootstrap`.

help:
	@sed -n '3,9p' Makefile | sed 's/^# *//'

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(call say,make build: wasm-pack build --target web --release --out-dir pkg; node scripts/package.mjs)
	@scripts/build.sh

# Every check CI runs; each test step ends with its own "N passed, M failed" summary.
test: bootstrap fmt-check clippy clippy-wasm native-test browser-test e2e-test

fmt-check: bootstrap
	$(call say,cargo fmt --all -- --check)
	@$(ENV) cargo fmt --all -- --check

clippy: bootstrap
	$(call say,cargo clippy --workspace --all-targets -- -D warnings)
	@$(ENV) cargo clippy --quiet --workspace --all-targets -- -D warnings

# The mock crate is native-only: lint only the library for wasm32.
clippy-wasm: bootstrap
	$(call say,cargo clippy -p fapi-session --all-targets --target wasm32-unknown-unknown -- -D warnings)
	@$(ENV) cargo clippy --quiet -p fapi-session --all-targets --target wasm32-unknown-unknown $$WASM_CARGO_FLAGS -- -D warnings

native-test: bootstrap
	$(call say,cargo test --workspace)
	@$(ENV) cargo test --workspace

browser-test: bootstrap
	$(call say,scripts/browser-tests.sh $(FILTER) (headless Chromium against fapi-mock))
	@scripts/browser-tests.sh $(FILTER)

# The built package in headless Chromium (playwright-core) against fapi-mock:
# tests/e2e/*.test.mjs, e.g. make e2e-test FILTER=package
e2e-test: build
	$(call say,scripts/e2e-tests.sh $(FILTER) (node --test, headless Chromium via playwright-core))
	@scripts/e2e-tests.sh $(FILTER)

demo: build
	$(call say,make demo: serving target/demo/ (www/ + pkg/) with fapi-mock on 127.0.0.1:$(PORT))
	@PORT=$(PORT) scripts/demo.sh $(MOCK_ARGS)

size: build
	$(call say,make size: scripts/size.sh (what a user's bundle ships from pkg/))
	@scripts/size.sh

# Speed, size and memory against the plain-JS floor and the peers (issue 5); not part of
# `make test` (tests/e2e/bench-smoke.test.mjs runs it once, quickly, so it cannot rot).
bench: build
	$(call say,make bench: scripts/bench.sh (headless Chromium against fapi-mock; a few minutes))
	@scripts/bench.sh

clean:
	$(call say,make clean: cargo clean; rm -rf pkg)
	@cargo clean
	@rm -rf pkg
