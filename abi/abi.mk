# abi/ — the one description of the module ABI and its generator (docs/architecture.md
# "Changing the ABI"). The outputs are committed; `make abi` (and any target that depends
# on ABI_OUTPUTS, e.g. `make runtime`) rewrites them when the description or generator changes.
# A test (abi/generate.test.ts) fails when a committed output is stale.
ABI_SOURCES := $(filter-out %.test.ts,$(wildcard abi/*.ts))
ABI_OUTPUTS := runtime/abi.generated.ts runtime/ranges.generated.ts runtime/settings.generated.ts host/src/wasm/abi.generated.ts host/src/config/abi-fields.generated.ts \
	firmware/core/qiot_abi.h firmware/core/protocol.h firmware/core/qiot_requests.h host/src/protocol/protocol.generated.ts \
	host/src/protocol/payloads.generated.ts host/src/cli/commands.generated.ts
ABI_STAMP := $(BUILD)/abi/.generated
# hil-tests/boards.generated.mk comes from the board registry (written by the same run; not a
# target here, since make would remake an included makefile before anything else).
BOARD_SOURCES := $(filter-out %.test.ts,$(wildcard host/src/boards/*.ts))
# host/src/cli/commands.generated.ts comes from the `// qiot-command:` lines of the command modules.
CLI_SOURCES := $(filter-out %.test.ts %.generated.ts,$(wildcard host/src/cli/*.ts))

.PHONY: abi

abi: $(ABI_STAMP)

# One run writes every output (docs/abi.md included); the stamp stands for all of them.
$(ABI_STAMP): $(ABI_SOURCES) docs/abi.md docs/protocol.md docs/config.md $(BOARD_SOURCES) $(CLI_SOURCES) $(NODE_STAMP)
	npx tsx abi/generate.ts
	@mkdir -p $(dir $@)
	@touch $@

$(ABI_OUTPUTS): $(ABI_STAMP)
