# runtime/ → the module builds of one source (docs/abi.md "Builds"). Included by the
# top-level Makefile, which defines BUILD and NODE_STAMP (npm ci).
#   $(BUILD)/qiot.wasm       device build, Q1.30 fixed-point amplitudes (QIOT_FIXED=1): what
#                            boards run; integer kernels, identical on every core.
#   $(BUILD)/qiot-f32.wasm   device build with f32 amplitudes (QIOT_FIXED=0), for comparison.
#   $(BUILD)/qiot-host.wasm  host build (QIOT_HOST=1): 20 qubits, 4 096 parameters, memory
#                            sized by the static data, f32x4 SIMD kernels; Node only.
#   -O3s:  speed with shrink level 1, which selects AssemblyScript's table-free math
#          (the table-driven log/pow alone add ~12 KiB).
#   --initialMemory 1 --maximumMemory 1 (device): the one 64 KiB page wasm3 allocates anyway
#   --disable nontrapping-f2i,bulk-memory: wasm3 builds with d_m3CascadedOpcodes=0
#          (ESP32) reject trunc_sat (DESIGN pitfall 4)
# runtime/abi.generated.ts (constants, error texts as ASCII data) and the other ABI outputs
# come from abi/qiot-abi.ts (abi/abi.mk); they are committed, and regenerated here when the
# description changes.
RUNTIME_SOURCES := $(filter-out %.test.ts,$(wildcard runtime/*.ts runtime/optimizers/*.ts))
RUNTIME_ASC_COMMON := --runtime stub -O3s --noAssert --disable nontrapping-f2i,bulk-memory
RUNTIME_ASC_DEVICE := $(RUNTIME_ASC_COMMON) --initialMemory 1 --maximumMemory 1 --use QIOT_HOST=0
RUNTIME_ASC_HOST := $(RUNTIME_ASC_COMMON) --enable simd --use QIOT_HOST=1 --use QIOT_FIXED=0
RUNTIME_MODULES := $(BUILD)/qiot.wasm $(BUILD)/qiot-f32.wasm $(BUILD)/qiot-host.wasm

runtime: $(RUNTIME_MODULES)

$(BUILD)/qiot.wasm: $(RUNTIME_SOURCES) $(ABI_OUTPUTS) runtime/runtime.mk $(NODE_STAMP)
	@mkdir -p $(dir $@)
	npx asc runtime/index.ts $(RUNTIME_ASC_DEVICE) --use QIOT_FIXED=1 -o $@ -t $(BUILD)/qiot.wat

$(BUILD)/qiot-f32.wasm: $(RUNTIME_SOURCES) $(ABI_OUTPUTS) runtime/runtime.mk $(NODE_STAMP)
	@mkdir -p $(dir $@)
	npx asc runtime/index.ts $(RUNTIME_ASC_DEVICE) --use QIOT_FIXED=0 -o $@ -t $(BUILD)/qiot-f32.wat

$(BUILD)/qiot-host.wasm: $(RUNTIME_SOURCES) $(ABI_OUTPUTS) runtime/runtime.mk $(NODE_STAMP)
	@mkdir -p $(dir $@)
	npx asc runtime/index.ts $(RUNTIME_ASC_HOST) -o $@ -t $(BUILD)/qiot-host.wat
