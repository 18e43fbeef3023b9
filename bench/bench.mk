# bench/ — `make bench` (full run: bench/results.json + docs/benchmarks.md) and
# `make bench-quick` (the same pipeline at one size, for the tests, writing under
# $(BUILD)/bench-quick; it skips the rv32 budgets, a QEMU run with tests of its own).
# Included by the top-level Makefile after firmware.mk and rv32.mk, whose
# WASM3_* / CORE_* / FW_NATIVE_OBJ variables and rv32 targets it reuses.

BENCH_DIR := bench
BENCH_BUILD := $(BUILD)/bench
BENCH_VENV := $(BUILD)/bench-venv
BENCH_VENV_STAMP := $(BENCH_VENV)/.installed
BENCH_REFERENCE := $(BENCH_BUILD)/qref-native
BENCH_WASM3 := $(BENCH_BUILD)/wasm3-step-bench
BENCH_CC ?= cc
# The native limit is measured at -O2 (issue 6), the flags the firmware uses.
BENCH_CFLAGS := -O2 -std=c11 -Wall -Wextra

BENCH_VENV_EXACT_STAMP := $(BENCH_VENV)/.installed-exact

.PHONY: bench bench-report bench-quick bench-venv bench-venv-exact bench-native bench-fleet bench-startup

# PennyLane peers, pinned (bench/requirements.txt), in a virtualenv of their own.
bench-venv: $(BENCH_VENV_STAMP)

$(BENCH_VENV_STAMP): $(BENCH_DIR)/requirements.txt
	rm -rf $(BENCH_VENV)
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --disable-pip-version-check --no-input -r $<
	@touch $@

# JAX and Qiskit for the exact-gradient peers (bench/requirements-exact.txt), added to the same
# virtualenv for the full bench only: make test's bench-quick runs without them.
bench-venv-exact: $(BENCH_VENV_EXACT_STAMP)

$(BENCH_VENV_EXACT_STAMP): $(BENCH_DIR)/requirements-exact.txt $(BENCH_VENV_STAMP)
	$(BENCH_VENV)/bin/pip install --disable-pip-version-check --no-input -r $< -c $(BENCH_DIR)/requirements.txt
	@touch $@

# Plain-C reference kernel (firmware/reference) compiled natively.
$(BENCH_REFERENCE): firmware/reference/qref.c firmware/reference/qref_q30.c firmware/reference/main_native.c firmware/reference/qref.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) firmware/reference/qref.c firmware/reference/qref_q30.c firmware/reference/main_native.c -lm -o $@

# wasm3 through firmware/core's runner, with the firmware's own objects and flags
# (the runner and what it uses: text helpers, the module check; the rest of core needs a board).
BENCH_CORE_OBJS := $(addprefix $(FW_NATIVE_OBJ)/core/,runner.o text.o wasm_check.o wasm_code.o)
$(BENCH_WASM3): $(BENCH_DIR)/wasm3/step_bench.c $(BENCH_CORE_OBJS) $(WASM3_NATIVE_OBJS) $(CORE_HEADERS)
	@mkdir -p $(dir $@)
	$(FW_CC) $(FW_CFLAGS) $< $(BENCH_CORE_OBJS) $(WASM3_NATIVE_OBJS) -lm -o $@

bench-native: $(BENCH_REFERENCE) $(BENCH_WASM3)

BENCH_RUN := npx tsx $(BENCH_DIR)/run.ts --venv-python $(BENCH_VENV)/bin/python \
	--reference $(BENCH_REFERENCE) --wasm3 $(BENCH_WASM3) --module $(BUILD)/qiot.wasm

# firmware-rv32 and rv32-bench (rv32.mk) build the ELFs bench/rv32-budgets.ts measures.
bench: deps runtime firmware firmware-rv32 rv32-bench bench-venv bench-venv-exact bench-native
	$(BENCH_RUN) --out $(BENCH_DIR)/results.json --doc docs/benchmarks.md --figures docs/benchmarks
	$(MAKE) bench-fleet
	$(MAKE) bench-startup

# Start-up of `qiot --help`, compiled (the package) vs tsx vs bare Node: bench/startup-results.json.
bench-startup: dist
	npx tsx $(BENCH_DIR)/startup-bench.ts

# The fleet (docs/fleet.md): sweep throughput with 1/2/4 worker threads (8 runs × 3000
# steps and 16 × 300) and 1000 fake boards at 10 Hz for 60 s through a real Mosquitto;
# bench/fleet-results.json, and docs/benchmarks.md rendered again with its section 7.
bench-fleet: deps runtime
	npx tsx $(BENCH_DIR)/fleet-bench.ts --out $(BENCH_DIR)/fleet-results.json

# docs/benchmarks.md again from bench/results.json as it is, after a change to bench/report/: measures nothing.
bench-report: deps
	npx tsx $(BENCH_DIR)/run.ts --render-only --out $(BENCH_DIR)/results.json --doc docs/benchmarks.md --figures docs/benchmarks

bench-quick: deps runtime firmware bench-venv bench-native
	$(BENCH_RUN) --quick --require peers,native,scaling --out $(BUILD)/bench-quick/results.json --doc $(BUILD)/bench-quick/benchmarks.md \
		--figures $(BUILD)/bench-quick/figures
