# runtime/ → $(BUILD)/qiot.wasm (docs/abi.md). Included by the top-level Makefile,
# which defines BUILD and NODE_STAMP (npm ci).
#   -O3s:  speed with shrink level 1, which selects AssemblyScript's table-free math
#          (the table-driven log/pow alone add ~12 KiB). -Oz/-O3z/--converge save
#          under 50 bytes of the 12 KiB goal.
#   --initialMemory 1 --maximumMemory 1: the one 64 KiB page wasm3 allocates anyway
#   --disable nontrapping-f2i,bulk-memory: wasm3 builds with d_m3CascadedOpcodes=0
#          (ESP32) reject trunc_sat (DESIGN pitfall 4)
# runtime/abi.generated.ts (constants, error texts as ASCII data) and the other ABI outputs
# come from abi/qiot-abi.ts (abi/abi.mk); they are committed, and regenerated here when the
# description changes.
RUNTIME_SOURCES := $(filter-out %.test.ts,$(wildcard runtime/*.ts))
RUNTIME_ASC_FLAGS := --runtime stub -O3s --noAssert --initialMemory 1 --maximumMemory 1 \
	--disable nontrapping-f2i,bulk-memory

runtime: $(BUILD)/qiot.wasm

$(BUILD)/qiot.wasm: $(RUNTIME_SOURCES) $(ABI_OUTPUTS) runtime/runtime.mk $(NODE_STAMP)
	@mkdir -p $(dir $@)
	npx asc runtime/index.ts $(RUNTIME_ASC_FLAGS) -o $@ -t $(BUILD)/qiot.wat
