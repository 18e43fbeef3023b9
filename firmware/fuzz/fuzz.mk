# libFuzzer harnesses (firmware/fuzz/README.md) built with clang, AddressSanitizer
# and UBSan over the core, wasm3 and the fake board. Included by firmware.mk.
#   make fuzz-smoke   each harness for FUZZ_SMOKE_SECONDS over the committed
#                     corpus + the regression inputs (part of make test)
#   make fuzz         long runs: FUZZ_SECONDS per harness, corpus kept in
#                     build/fuzz/corpus-*, figures in build/fuzz/*.log

FUZZ_OUT := $(BUILD)/fuzz
FUZZ_HARNESSES := frames module
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/fuzz-,$(FUZZ_HARNESSES))
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SECONDS ?= 1800
# More libFuzzer flags for the long runs, e.g. FUZZ_ARGS=-max_len=1100 (inputs stay above the
# 1040-byte frame limit, so oversize runs are still made; the rate falls less as inputs grow:
# 980/s against 402/s uncapped in docs/reliability.md's runs 9 and 10).
FUZZ_ARGS ?=
# alignment is left out: wasm3 0.5.0 stores u64 constants at 4-byte aligned
# addresses of its compile-time table by design (m3_compile.c), which x86 and
# the RISC-V targets execute; every other UBSan check aborts.
FUZZ_CFLAGS := -g -O1 -std=gnu11 -w -fsanitize=fuzzer,address,undefined -fno-sanitize=alignment \
	-fno-sanitize-recover=all -include $(QIOT_M3_CONFIG) $(CORE_INCLUDES)

.PHONY: fuzz fuzz-smoke fuzz-tools

fuzz-tools:
	@scripts/need-debian.sh clang clang libclang-rt-14-dev

# $(WASM3_SOURCES): a new patch of ours (firmware/wasm3/) touches them, so the harnesses are rebuilt.
$(FUZZ_OUT)/fuzz-frames: $(FW_DIR)/fuzz/fuzz_frames.c $(FW_DIR)/tests/fake_board.c $(CORE_SOURCES) $(CORE_HEADERS) \
		$(FW_FIXTURE_H) $(WASM3_SOURCES) | $(WASM3_STAMP) fuzz-tools
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -I$(FW_DIR)/tests -I$(FW_TEST_DIR) $(FW_DIR)/fuzz/fuzz_frames.c \
		$(FW_DIR)/tests/fake_board.c $(CORE_SOURCES) $(WASM3_SOURCES) -lm -o $@

FUZZ_MODULE_CORE := $(addprefix $(FW_DIR)/core/,wasm_check.c wasm_code.c text.c)
$(FUZZ_OUT)/fuzz-module: $(FW_DIR)/fuzz/fuzz_module.c $(FUZZ_MODULE_CORE) $(CORE_HEADERS) $(WASM3_SOURCES) | $(WASM3_STAMP) fuzz-tools
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(FW_DIR)/fuzz/fuzz_module.c $(FUZZ_MODULE_CORE) $(WASM3_SOURCES) -lm -o $@

# The module check alone, for cross_check.py (wabt's wasm-validate as second opinion).
WASM_CHECK_CLI := $(FUZZ_OUT)/wasm-check
$(WASM_CHECK_CLI): $(FW_DIR)/fuzz/wasm_check_cli.c $(FUZZ_MODULE_CORE) $(CORE_HEADERS)
	@mkdir -p $(dir $@)
	$(FW_CC) -O2 -std=c11 -Wall -Wextra -Werror -I$(FW_DIR)/core $(FW_DIR)/fuzz/wasm_check_cli.c $(FUZZ_MODULE_CORE) -o $@

.PHONY: fuzz-cross-check-tools
fuzz-cross-check-tools:
	@scripts/need-debian.sh wasm-validate wabt

# Seeds built here rather than committed: the fixture and qiot.wasm of this tree.
$(FUZZ_OUT)/seeds-module/.stamp: $(FW_FIXTURE_WASM) $(BUILD)/qiot.wasm
	@mkdir -p $(dir $@)
	cp $(FW_FIXTURE_WASM) $(dir $@)fixture.wasm
	cp $(BUILD)/qiot.wasm $(dir $@)qiot.wasm
	@touch $@

FUZZ_SEEDS = $(FW_DIR)/fuzz/corpus/$(1) $(if $(filter module,$(1)),$(FUZZ_OUT)/seeds-module)
# -timeout: an input running a minute is a hang, even on a loaded machine.
FUZZ_RUN = FUZZ_STATS=1 $(FUZZ_OUT)/fuzz-$(1) -timeout=60 -print_final_stats=1

fuzz-smoke: $(FUZZ_BINS) $(FUZZ_OUT)/seeds-module/.stamp $(WASM_CHECK_CLI) fuzz-cross-check-tools
	@for h in $(FUZZ_HARNESSES); do \
	  echo "== fuzz-$$h: regression inputs"; \
	  set -o pipefail; $(call FUZZ_RUN,$$h) $(FW_DIR)/fuzz/regressions/$$h/* 2>&1 \
	    | grep -E "^Running|^Executed|^fuzz_|ERROR|SUMMARY" || exit 1; \
	done
	@for h in $(FUZZ_HARNESSES); do \
	  echo "== fuzz-$$h: $(FUZZ_SMOKE_SECONDS) s"; \
	  rm -rf $(FUZZ_OUT)/smoke-$$h && mkdir -p $(FUZZ_OUT)/smoke-$$h; \
	  $(call FUZZ_RUN,$$h) -max_total_time=$(FUZZ_SMOKE_SECONDS) -artifact_prefix=$(FUZZ_OUT)/smoke-$$h- \
	    $(FUZZ_OUT)/smoke-$$h $(call FUZZ_SEEDS,$$h) > $(FUZZ_OUT)/smoke-$$h.log 2>&1 \
	    || { tail -40 $(FUZZ_OUT)/smoke-$$h.log; exit 1; }; \
	  grep -E "^stat::number_of_executed_units|^Done|^fuzz_" $(FUZZ_OUT)/smoke-$$h.log; \
	done
	python3 $(FW_DIR)/fuzz/cross_check.py $(WASM_CHECK_CLI) $(FUZZ_OUT)/smoke-module $(call FUZZ_SEEDS,module) \
		$(FW_DIR)/fuzz/regressions/module

fuzz: $(FUZZ_BINS) $(FUZZ_OUT)/seeds-module/.stamp $(WASM_CHECK_CLI) fuzz-cross-check-tools
	@for h in $(FUZZ_HARNESSES); do \
	  echo "== fuzz-$$h: $(FUZZ_SECONDS) s (log: $(FUZZ_OUT)/fuzz-$$h.log)"; \
	  mkdir -p $(FUZZ_OUT)/corpus-$$h; \
	  $(call FUZZ_RUN,$$h) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) -artifact_prefix=$(FUZZ_OUT)/crash-$$h- \
	    $(FUZZ_OUT)/corpus-$$h $(call FUZZ_SEEDS,$$h) > $(FUZZ_OUT)/fuzz-$$h.log 2>&1 \
	    || { tail -40 $(FUZZ_OUT)/fuzz-$$h.log; exit 1; }; \
	  grep -E "^stat::|^Done|^fuzz_" $(FUZZ_OUT)/fuzz-$$h.log; \
	done
	$(if $(filter module,$(FUZZ_HARNESSES)),python3 $(FW_DIR)/fuzz/cross_check.py $(WASM_CHECK_CLI) \
		$(FUZZ_OUT)/corpus-module $(FW_DIR)/fuzz/regressions/module)
