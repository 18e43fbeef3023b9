# qiot — top-level build. Each area keeps its rules in its own fragment;
# this file only wires them together. Every target installs what it needs.

SHELL := /bin/bash
BUILD := build
NODE_STAMP := node_modules/.qiot-npm-ci

.PHONY: all deps system-deps abi runtime firmware demo test test-unit typecheck bench hil clean

all: runtime firmware dashboard

deps: $(NODE_STAMP) system-deps

# Debian tools the tests use beyond the compilers (the rv32 fragment installs its own toolchain).
system-deps:
	@scripts/need-debian.sh socat socat
	@scripts/need-debian.sh mosquitto mosquitto
	@scripts/need-debian.sh openssl openssl

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

include abi/abi.mk
include runtime/runtime.mk
include firmware/firmware.mk
include firmware/ports/rv32/rv32.mk
include firmware/ports/esp32/esp32.mk
include bench/bench.mk
include hil-tests/hil.mk
include host/src/dashboard/dashboard.mk
include host/package.mk

demo: deps runtime firmware dashboard
	scripts/demo.sh

typecheck: deps
	npx tsc --noEmit

test-unit: deps runtime firmware firmware-rv32 rv32-bench dashboard chromium typecheck
	npx vitest run

# TypeScript formatting and lint (biome.json): check, or rewrite in place.
.PHONY: lint format-check format-ts
lint: deps
	npx biome lint --error-on-warnings

format-check: deps
	npx biome format

format-ts: deps
	npx biome format --write

test: lint format-check format-check-c test-unit test-firmware fuzz-smoke test-esp32 hil test-package bench-quick

clean:
	rm -rf $(BUILD) dist
