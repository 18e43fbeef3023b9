#include "bench_probe.h"

#include <string.h>

#include "bench_config.h"
#include "bytes.h"
#include "protocol.h"

/* Call depth does not grow with the circuit, so a tiny one reaches every
 * frame: 3 qubits, 1 layer, 6 + 2 samples of 3 features. */
#define PROBE_QUBITS 3
#define PROBE_SAMPLES 8
#define PROBE_TRAIN 6
#define PROBE_STEPS 3

static bool write_dataset(runner_t *runner) {
    float packed[PROBE_SAMPLES * PROBE_QUBITS + PROBE_SAMPLES];
    for (int s = 0; s < PROBE_SAMPLES; s++) {
        for (int f = 0; f < PROBE_QUBITS; f++) packed[s * PROBE_QUBITS + f] = 0.3f * (float)(s + f);
        packed[PROBE_SAMPLES * PROBE_QUBITS + s] = (s % 2) ? 1.0f : -1.0f;
    }
    return runner_write_memory(runner, runner->dataset_ptr, (const uint8_t *)packed, sizeof packed);
}

static int run_config(runner_t *runner, const uint8_t *config, char *err, size_t err_cap) {
    int32_t code = 0;
    if (!runner_write_memory(runner, runner->config_ptr, config, QIOT_CONFIG_STRUCT_SIZE) ||
        runner_call_i32(runner, FN_INIT, &code) != CALL_OK) {
        strncpy(err, "probe init trapped", err_cap);
        return -1;
    }
    if (code != 0) {
        runner_error_message(runner, code, err, err_cap);
        return -1;
    }
    for (int step = 0; step < PROBE_STEPS; step++) {
        int32_t status = 0;
        if (runner_call_i32(runner, FN_STEP, &status) != CALL_OK || status != 0) {
            strncpy(err, "probe step failed", err_cap);
            return -1;
        }
    }
    double value;
    for (int32_t split = 0; split <= 1; split++) {
        if (runner_call_split_f64(runner, FN_EVALUATE, split, &value) != CALL_OK ||
            runner_call_split_f64(runner, FN_ACCURACY, split, &value) != CALL_OK) {
            strncpy(err, "probe evaluate/accuracy trapped", err_cap);
            return -1;
        }
    }
    return 0;
}

int rv32_probe_all_paths(runner_t *runner, char *err, size_t err_cap) {
    if (!write_dataset(runner)) {
        strncpy(err, "probe dataset write", err_cap);
        return -1;
    }
    int runs = 0;
    /* Every optimizer (NLR in each of its modes) × ansatz × cost, exact and sampled. */
    for (uint32_t optimizer = 0; optimizer < QIOT_OPTIMIZER_COUNT; optimizer++) {
        const uint32_t modes = optimizer == QIOT_OPTIMIZER_NLR ? QIOT_NLR_MODE_COUNT : 1u;
        for (uint32_t mode = 0; mode < modes; mode++) {
            for (uint32_t ansatz = 0; ansatz < QIOT_ANSATZ_COUNT; ansatz++) {
                for (uint32_t cost = 0; cost < QIOT_COST_COUNT; cost++) {
                    for (int sampled = 0; sampled <= 1; sampled++) {
                        uint8_t config[QIOT_CONFIG_STRUCT_SIZE];
                        rv32_bench_config(config);
                        const bool classification = (QIOT_COST_CLASSIFICATION_MASK >> cost) & 1u;
                        put_u32(config + QIOT_CFG_QUBITS, PROBE_QUBITS);
                        put_u32(config + QIOT_CFG_LAYERS, 1);
                        put_u32(config + QIOT_CFG_ANSATZ, ansatz);
                        put_u32(config + QIOT_CFG_COST, cost);
                        put_u32(config + QIOT_CFG_OPTIMIZER, optimizer); /* forces its gradient where the ABI says so */
                        put_u32(config + QIOT_CFG_NLR_MODE, mode);
                        put_u32(config + QIOT_CFG_BATCH, classification ? 3 : 0); /* shuffled mini-batches */
                        put_u32(config + QIOT_CFG_SHOTS_PER_EVAL, sampled ? 64 : 0);
                        put_u32(config + QIOT_CFG_N_TRAIN, classification ? PROBE_TRAIN : 0);
                        put_u32(config + QIOT_CFG_N_TEST, classification ? PROBE_SAMPLES - PROBE_TRAIN : 0);
                        put_u64(config + QIOT_CFG_SHOT_BUDGET, sampled ? 1000000000u : 0);
                        put_u32(config + QIOT_CFG_N_FEATURES, classification ? PROBE_QUBITS : 0);
                        put_u32(config + QIOT_CFG_PARAM_INIT, 0); /* θ from the seeded PRNG */
                        if (run_config(runner, config, err, err_cap) != 0) return -1;
                        runs++;
                    }
                }
            }
        }
    }
    return runs;
}
