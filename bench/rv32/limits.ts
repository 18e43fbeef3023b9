// Every number the rv32 budgets compare against, in one place, with its reason.

export const RV32_BUDGET = {
  /** ESP32-C3 top CPU clock; the projection assumes one instruction per cycle (no flash-cache misses, no multiply stalls). */
  projectionClockHz: 160_000_000,
  /** Goal for RAM in use during a 10-qubit step (static + heap peak + stack peak): a third of the C3's 400 KiB SRAM, leaving room for radio stacks. */
  ramGoalBytes: 128 * 1024,
  /** The RAM window the linker script gives the firmware (rv32.ld); more does not exist on the board. */
  ramWindowBytes: 320 * 1024,
  /** Goal for wasm3 instructions per step over the same step in plain C. */
  interpreterRatioGoal: 1.6,
  /** Issue 14: a 10-qubit × 2-layer exact step with the adjoint gradient in at most 100 M instructions (≈ 0.6 s at 160 MHz). */
  adjointStepGoal: 100_000_000,
  /** The bench ELF runs two 10-qubit steps twice (module and plain C): ~15 s of QEMU on one core; more is a hang. */
  qemuTimeoutMs: 300_000,
} as const;

export const RV32_BUDGET_PATHS = {
  boardElf: 'build/firmware/rv32/qiot-board.elf',
  benchElf: 'build/firmware/rv32/qiot-bench.elf',
  module: 'build/qiot.wasm',
} as const;
