# fapi-session: build, test and demo.
#
#   make build   wasm-pack build (release, --target web) into pkg/, then scripts/package.mjs
#   make test    bootstrap check, fmt, clippy (host + wasm32), native tests, fuzz smoke run, browser tests, e2e tests, size check: what CI runs
#   make demo    build, then serve www/ + pkg/ + the React and Vue apps with fapi-mock on http://127.0.0.1:$(PORT)/
#   make size    build, then print the package's wasm and JS sizes (raw, gzip -9), the figures size-check counts and the largest wasm items
#   make bench   build, then benchmarks in headless Chromium: bench/results.json, bench/ratios.svg, BENCHMARKS.md
#   make fuzz    cargo fuzz on the core's parse-and-apply path, 60 s per target (FUZZ_SECONDS=N; fuzz/README.md)
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
# Seconds per fuzz target: `make fuzz FUZZ_SECONDS=600`; the smoke run in `make test`.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15

ENV := . ./target/toolchain.env &&
say = @echo "==> $(1)"

.PHONY: help bootstrap bootstrap-check build test fmt-check clippy clippy-wasm native-test browser-test e2e-test size-check fuzz fuzz-smoke demo size bench clean

help:
	@sed -n '3,10p' Makefile | sed 's/^# *//'

bootstrap:
	@scripts/bootstrap.sh

# scripts/bootstrap.sh as a fresh machine sees it (scripts/fresh-machine-check.sh): a copy of
# the repository, a temporary HOME whose ~/.cargo/bin holds only rustup's proxies, a PATH of
# base commands and shims that record installs instead of doing them. Each missing tool must
# be installed exactly once, nothing on a second run, a failed install named (issue #9).
# Seconds, and needs none of the tools, so it does not depend on bootstrap.
bootstrap-check:
	$(call say,scripts/fresh-machine-check.sh (the bootstrap as a fresh machine sees it))
	@scripts/fresh-machine-check.sh

build: bootstrap
	$(call say,make build: wasm-pack build --target web --release --out-dir pkg; node scripts/package.mjs)
	@scripts/build.sh

# Every check CI runs; each test step ends with its own "N passed, M failed" summary.
test: bootstrap bootstrap-check fmt-check clippy clippy-wasm native-test fuzz-smoke browser-test e2e-test size-check

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
	@$(ENV) node scripts/size-report.mjs

# The built package against size-budget.json (issue #10): gzip -9 of the wasm, of the JS a
# bundle ships (esbuild --bundle --minify) and their sum; over budget fails and lists the
# wasm items that grew (twiggy on a named copy). After a size win, lower the budget with
# `node scripts/size-report.mjs --set-budget` (today's figures + 3 %) and commit it.
size-check: build
	$(call say,node scripts/size-report.mjs --check (the package against size-budget.json))
	@$(ENV) node scripts/size-report.mjs --check

# Speed, size and memory against the plain-JS floor and the peers (issue 5); not part of
# `make test` (tests/e2e/bench-smoke.test.mjs runs it once, quickly, so it cannot rot).
bench: build
	$(call say,make bench: scripts/bench.sh (headless Chromium against fapi-mock; a few minutes))
	@scripts/bench.sh

# cargo fuzz (fuzz/, its own workspace) on arbitrary bytes and on structured answers:
# scripts/fuzz.sh SECONDS runs each target that long; what it found is in fuzz/README.md.
fuzz: bootstrap
	$(call say,make fuzz: scripts/fuzz.sh $(FUZZ_SECONDS) (each cargo-fuzz target for $(FUZZ_SECONDS) s))
	@scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke: bootstrap
	$(call say,scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS) (fuzz smoke run))
	@scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS)

clean:
	$(call say,make clean: cargo clean; rm -rf pkg)
	@cargo clean
	@rm -rf pkg
