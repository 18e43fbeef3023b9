# firmware/ — wasm3 (pinned, fetched from PyPI's pywasm3 sdist), the C core,
# the posix emulated board, the C unit tests and the shared protocol vectors.
# Included by the top-level Makefile (BUILD := build). Ports reuse:
#   WASM3_SRC_DIR WASM3_SOURCES CORE_SOURCES CORE_INCLUDES QIOT_M3_CONFIG
#   and the wasm3-sources target.

FW_DIR := firmware

WASM3_PKG := pywasm3-0.5.0
WASM3_TARBALL := $(BUILD)/deps/$(WASM3_PKG).tar.gz
WASM3_SHA256 := 5a47c8a39f7f6ae71b3316b2e5d86c9d0db6e771a65f09a86e4d4aa3a19aefcc
WASM3_SRC_DIR := $(BUILD)/wasm3/$(WASM3_PKG)/wasm3
# Our build-time patches of the fetched sources (firmware/wasm3/*.sh); the stamp
# names them so a tree unpacked before a patch is unpacked again.
WASM3_PATCHES := $(FW_DIR)/wasm3/stack-guard.sh $(FW_DIR)/wasm3/wrapping-int-ops.sh $(FW_DIR)/wasm3/aligned-access.sh
WASM3_STAMP := $(BUILD)/wasm3/.unpacked-$(WASM3_PKG)-stack-guard-wrapping-int-ops-aligned-access
WASM3_SOURCES := $(addprefix $(WASM3_SRC_DIR)/,m3_bind.c m3_code.c m3_compile.c m3_core.c \
	m3_emit.c m3_env.c m3_exec.c m3_function.c m3_info.c m3_module.c m3_parse.c)

QIOT_M3_CONFIG := $(FW_DIR)/core/qiot_m3_config.h
CORE_SOURCES := $(sort $(wildcard $(FW_DIR)/core/*.c))
CORE_HEADERS := $(wildcard $(FW_DIR)/core/*.h)
CORE_INCLUDES := -I$(FW_DIR)/core -I$(WASM3_SRC_DIR)

FW_CC ?= cc
FW_CFLAGS := -O2 -g -std=c11 -Wall -Wextra -Werror -include $(QIOT_M3_CONFIG) $(CORE_INCLUDES)
# wasm3 is third-party: its own warnings are not ours to fix.
WASM3_CFLAGS := -O2 -g -std=gnu11 -w -include $(QIOT_M3_CONFIG) -I$(WASM3_SRC_DIR)

.PHONY: firmware wasm3-sources test-firmware vectors vectors-check

wasm3-sources: $(WASM3_STAMP)

$(WASM3_TARBALL):
	@mkdir -p $(dir $@)
	python3 -m pip download --no-deps --no-binary :all: --disable-pip-version-check \
		-d $(dir $@) pywasm3==0.5.0

$(WASM3_STAMP): $(WASM3_TARBALL) $(WASM3_PATCHES)
	echo "$(WASM3_SHA256)  $(WASM3_TARBALL)" | sha256sum -c -
	rm -rf $(BUILD)/wasm3/$(WASM3_PKG)
	mkdir -p $(BUILD)/wasm3
	tar -xzf $(WASM3_TARBALL) -C $(BUILD)/wasm3
	for patch in $(WASM3_PATCHES); do $$patch $(WASM3_SRC_DIR); done
	touch $(WASM3_SRC_DIR)/*.c # tar kept 2021 mtimes: objects built before the patch are rebuilt
	@touch $@

# ---- host-native objects (posix board, tests) -------------------------------

FW_NATIVE_OBJ := $(BUILD)/firmware/native
WASM3_NATIVE_OBJS := $(patsubst $(WASM3_SRC_DIR)/%.c,$(FW_NATIVE_OBJ)/wasm3/%.o,$(WASM3_SOURCES))
CORE_NATIVE_OBJS := $(patsubst $(FW_DIR)/core/%.c,$(FW_NATIVE_OBJ)/core/%.o,$(CORE_SOURCES))

$(WASM3_SOURCES): $(WASM3_STAMP)

$(FW_NATIVE_OBJ)/wasm3/%.o: $(WASM3_SRC_DIR)/%.c $(QIOT_M3_CONFIG) | $(WASM3_STAMP)
	@mkdir -p $(dir $@)
	$(FW_CC) $(WASM3_CFLAGS) -c $< -o $@

$(FW_NATIVE_OBJ)/core/%.o: $(FW_DIR)/core/%.c $(CORE_HEADERS) | $(WASM3_STAMP)
	@mkdir -p $(dir $@)
	$(FW_CC) $(FW_CFLAGS) -c $< -o $@

# ---- posix emulated board ----------------------------------------------------

POSIX_BOARD := $(BUILD)/firmware/posix/qiot-board
POSIX_SOURCES := $(wildcard $(FW_DIR)/ports/posix/*.c)

firmware: $(POSIX_BOARD)

$(POSIX_BOARD): $(POSIX_SOURCES) $(CORE_NATIVE_OBJS) $(WASM3_NATIVE_OBJS) $(CORE_HEADERS)
	@mkdir -p $(dir $@)
	$(FW_CC) $(FW_CFLAGS) -D_GNU_SOURCE $(POSIX_SOURCES) $(CORE_NATIVE_OBJS) $(WASM3_NATIVE_OBJS) -lm -o $@

# ---- protocol vectors ----------------------------------------------------------

VECTORS_JSON := $(FW_DIR)/test-vectors/frames.json

vectors:
	python3 $(FW_DIR)/test-vectors/gen_vectors.py

vectors-check:
	python3 $(FW_DIR)/test-vectors/gen_vectors.py --check

# ---- C unit tests ------------------------------------------------------------

FW_TEST_DIR := $(BUILD)/firmware/tests
FW_TESTS := $(FW_TEST_DIR)/qiot-tests
FW_TEST_SOURCES := $(wildcard $(FW_DIR)/tests/*.c)
FW_TEST_HEADERS := $(wildcard $(FW_DIR)/tests/*.h)
FW_VECTORS_H := $(FW_TEST_DIR)/vectors.h
FW_SECURITY_H := $(FW_TEST_DIR)/security_vectors.h
FW_FIXTURE_WASM := $(FW_TEST_DIR)/fixture.wasm
FW_FIXTURE_H := $(FW_TEST_DIR)/fixture_wasm.h

$(FW_VECTORS_H): $(VECTORS_JSON) $(FW_DIR)/tests/vectors_to_c.py
	@mkdir -p $(dir $@)
	python3 $(FW_DIR)/tests/vectors_to_c.py $(VECTORS_JSON) $@

$(FW_SECURITY_H): $(FW_DIR)/test-vectors/ed25519.json $(FW_DIR)/test-vectors/security.json $(FW_DIR)/tests/security_vectors_to_c.py
	@mkdir -p $(dir $@)
	python3 $(FW_DIR)/tests/security_vectors_to_c.py $(FW_DIR)/test-vectors/ed25519.json $(FW_DIR)/test-vectors/security.json $@

# A small AssemblyScript module with the qiot ABI whose behaviour the tests
# know exactly (fixed telemetry, abort on request), built with the project's asc.
# Needs only the compiler: installs node packages when asc is missing, but
# does not re-run npm ci (under others' feet) because package.json changed.
FW_ASC := node_modules/assemblyscript/package.json
$(FW_ASC):
	$(MAKE) deps

$(FW_FIXTURE_WASM): $(FW_DIR)/tests/fixture/module.ts runtime/abi.generated.ts | $(FW_ASC)
	@mkdir -p $(dir $@)
	npx asc $< --runtime stub -O3 --noAssert --initialMemory 1 --maximumMemory 1 -o $@

$(FW_FIXTURE_H): $(FW_FIXTURE_WASM) $(FW_DIR)/tests/bytes_to_c.py
	python3 $(FW_DIR)/tests/bytes_to_c.py fixture_wasm $< $@

$(FW_TESTS): $(FW_TEST_SOURCES) $(FW_TEST_HEADERS) $(FW_VECTORS_H) $(FW_SECURITY_H) $(FW_FIXTURE_H) $(CORE_NATIVE_OBJS) $(WASM3_NATIVE_OBJS)
	$(FW_CC) $(FW_CFLAGS) -I$(FW_DIR)/tests -I$(FW_TEST_DIR) $(FW_TEST_SOURCES) \
		$(CORE_NATIVE_OBJS) $(WASM3_NATIVE_OBJS) -lm -o $@

# C unit tests, then the posix board as a process (PTY, signals, --state).
test-firmware: $(FW_TESTS) $(POSIX_BOARD) vectors-check check-firmware-layers
	$(FW_TESTS)
	python3 $(FW_DIR)/tests/posix_board_test.py $(POSIX_BOARD) $(FW_FIXTURE_WASM)

# The same tests built with AddressSanitizer/UBSan (wasm3 included): catches
# out-of-bounds access, leaks of wasm3 runtimes and undefined behaviour.
# alignment is left out as in fuzz/fuzz.mk: wasm3 0.5.0 reads u64 constants at
# 4-byte aligned slots (m3_compile.c), which the fixture's f64 constants reach.
FW_TESTS_SAN := $(FW_TEST_DIR)/qiot-tests-sanitized

$(FW_TESTS_SAN): $(FW_TEST_SOURCES) $(FW_TEST_HEADERS) $(FW_VECTORS_H) $(FW_SECURITY_H) $(FW_FIXTURE_H) $(CORE_SOURCES) $(CORE_HEADERS) | $(WASM3_STAMP)
	$(FW_CC) -O1 -g -fsanitize=address,undefined -fno-sanitize=alignment -fno-sanitize-recover=undefined \
		-fno-omit-frame-pointer -std=gnu11 -include $(QIOT_M3_CONFIG) $(CORE_INCLUDES) -I$(FW_DIR)/tests -I$(FW_TEST_DIR) \
		$(FW_TEST_SOURCES) $(CORE_SOURCES) $(WASM3_SOURCES) -w -lm -o $@

# No dependency circle in the core: includes and symbol references between its
# files (firmware/core/core.h names the layers). The checker tests itself first.
.PHONY: check-firmware-layers
check-firmware-layers: $(CORE_NATIVE_OBJS)
	python3 $(FW_DIR)/tests/check_layers.py --self-test
	python3 $(FW_DIR)/tests/check_layers.py $(FW_DIR)/core $(CORE_NATIVE_OBJS)

.PHONY: test-firmware-sanitized
test-firmware-sanitized: $(FW_TESTS_SAN)
	$(FW_TESTS_SAN)

# ---- C formatting (.clang-format at the root) ----------------------------------

C_FORMAT_FILES = $(shell git ls-files '*.c' '*.h')

.PHONY: format-check-c format-c
format-check-c:
	@scripts/need-debian.sh clang-format clang-format
	clang-format --dry-run --Werror $(C_FORMAT_FILES)

format-c:
	@scripts/need-debian.sh clang-format clang-format
	clang-format -i $(C_FORMAT_FILES)
include $(FW_DIR)/fuzz/fuzz.mk
