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

/* docs/abi.md config offsets and enum values. */
enum { OPT_SPSA = 3, OPT_NLR = 4, NLR_MODES = 4, ANSATZE = 3, COSTS = 4, FIRST_CLASS_COST = 2 };

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
  /* optimizer variants: sgd, momentum, adam, spsa, then nlr in each mode */
  for (int variant = 0; variant < OPT_NLR + NLR_MODES; variant++) {
    for (int ansatz = 0; ansatz < ANSATZE; ansatz++) {
      for (int cost = 0; cost < COSTS; cost++) {
        for (int sampled = 0; sampled <= 1; sampled++) {
          uint8_t config[QIOT_CONFIG_STRUCT_SIZE];
          rv32_bench_config(config);
          const bool classification = cost >= FIRST_CLASS_COST;
          put_u32(config + 4, PROBE_QUBITS);
          put_u32(config + 8, 1);
          put_u32(config + 12, (uint32_t)ansatz);
          put_u32(config + 16, (uint32_t)cost);
          put_u32(config + 20, variant < OPT_NLR ? (uint32_t)variant : OPT_NLR);
          put_u32(config + 24, variant == OPT_SPSA ? 1 : 0);
          put_u32(config + 28, variant < OPT_NLR ? 0 : (uint32_t)(variant - OPT_NLR));
          put_u32(config + 40, classification ? 3 : 0); /* shuffled mini-batches */
          put_u32(config + 44, sampled ? 64 : 0);
          put_u32(config + 48, classification ? PROBE_TRAIN : 0);
          put_u32(config + 52, classification ? PROBE_SAMPLES - PROBE_TRAIN : 0);
          put_u64(config + 56, sampled ? 1000000000u : 0);
          put_u32(config + 144, classification ? PROBE_QUBITS : 0);
          put_u32(config + 148, 0); /* θ from the seeded PRNG */
          if (run_config(runner, config, err, err_cap) != 0) return -1;
          runs++;
        }
      }
    }
  }
  return runs;
}
