/* The fixed training configuration of the rv32 bench ELF (docs/rv32.md). */
#ifndef QIOT_RV32_BENCH_CONFIG_H
#define QIOT_RV32_BENCH_CONFIG_H

#include <stdint.h>

#include "qiot_abi.h"

/* Circuit size of the measured step; override with -D for other sizes.
 * 10 qubits is the module's capacity; 2 layers give 40 parameters, so one
 * parameter-shift step runs 81 circuits. */
#ifndef RV32_BENCH_QUBITS
#define RV32_BENCH_QUBITS 10
#endif
#ifndef RV32_BENCH_LAYERS
#define RV32_BENCH_LAYERS 2
#endif
/* Steps measured; the first may differ (lazy work inside wasm3), the rest
 * must not. */
#define RV32_BENCH_STEPS 2
#define RV32_BENCH_LR 0.1

/* Fills the 192-byte ABI config struct: hea, local cost, SGD with exact
 * parameter-shift gradients, θ written by the host (param_init = 1). */
void rv32_bench_config(uint8_t config[QIOT_CONFIG_STRUCT_SIZE]);

#endif
