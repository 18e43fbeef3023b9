#include "bench_config.h"

#include <string.h>

#include "bytes.h"
#include "qiot_abi.h"

/* docs/abi.md "Config struct"; fields the run does not use still get valid values. */
void rv32_bench_config(uint8_t config[QIOT_CONFIG_STRUCT_SIZE]) {
    memset(config, 0, QIOT_CONFIG_STRUCT_SIZE);
    put_u32(config + QIOT_CFG_ABI_VERSION, QIOT_ABI_VERSION);
    put_u32(config + QIOT_CFG_QUBITS, RV32_BENCH_QUBITS);
    put_u32(config + QIOT_CFG_LAYERS, RV32_BENCH_LAYERS);
    put_u32(config + QIOT_CFG_ANSATZ, QIOT_ANSATZ_HEA);
    put_u32(config + QIOT_CFG_COST, QIOT_COST_LOCAL);
    put_u32(config + QIOT_CFG_OPTIMIZER, QIOT_OPTIMIZER_SGD);
    put_u32(config + QIOT_CFG_GRADIENT, QIOT_GRADIENT_PARAMETER_SHIFT);
    put_u32(config + QIOT_CFG_NLR_MODE, QIOT_NLR_MODE_GATED);
    put_u32(config + QIOT_CFG_NLR_PERIOD, 2);
    put_u32(config + QIOT_CFG_NLR_PATIENCE, 1);
    put_u32(config + QIOT_CFG_BATCH, 0);          /* whole set */
    put_u32(config + QIOT_CFG_SHOTS_PER_EVAL, 0); /* exact */
    put_u64(config + QIOT_CFG_SHOT_BUDGET, 0);    /* 0 in exact mode */
    put_u64(config + QIOT_CFG_SEED, 1);
    put_f64(config + QIOT_CFG_LR, RV32_BENCH_LR);
    put_f64(config + QIOT_CFG_MOMENTUM, 0.9);
    put_f64(config + QIOT_CFG_BETA1, 0.9);
    put_f64(config + QIOT_CFG_BETA2, 0.999);
    put_f64(config + QIOT_CFG_EPS, 1e-8);
    put_f64(config + QIOT_CFG_NLR_RATIO, 1.0);
    put_f64(config + QIOT_CFG_NLR_PROB, 0.5);
    put_f64(config + QIOT_CFG_SPSA_C, 0.1);
    put_f64(config + QIOT_CFG_INIT_RANGE, 6.283185307179586);
    put_u32(config + QIOT_CFG_N_FEATURES, 0);
    put_u32(config + QIOT_CFG_PARAM_INIT, 1); /* θ from the host */
}
