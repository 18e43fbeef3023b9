#include "bench_config.h"

#include <string.h>

#include "bytes.h"

/* Offsets and values of docs/abi.md "Config struct"; fields the run does not
 * use still get valid values. */
void rv32_bench_config(uint8_t config[160]) {
  memset(config, 0, 160);
  put_u32(config + 0, 1);                   /* abi_version */
  put_u32(config + 4, RV32_BENCH_QUBITS);   /* qubits */
  put_u32(config + 8, RV32_BENCH_LAYERS);   /* layers */
  put_u32(config + 12, 0);                  /* ansatz = hea */
  put_u32(config + 16, 0);                  /* cost = local */
  put_u32(config + 20, 0);                  /* optimizer = sgd */
  put_u32(config + 24, 0);                  /* gradient = parameter shift */
  put_u32(config + 28, 0);                  /* nlr_mode */
  put_u32(config + 32, 2);                  /* nlr_period */
  put_u32(config + 36, 1);                  /* nlr_patience */
  put_u32(config + 40, 0);                  /* batch = whole set */
  put_u32(config + 44, 0);                  /* shots_per_eval = exact */
  put_u64(config + 56, 0);                  /* shot_budget: 0 in exact mode */
  put_u64(config + 64, 1);                  /* seed */
  put_f64(config + 72, RV32_BENCH_LR);      /* lr */
  put_f64(config + 80, 0.9);                /* momentum */
  put_f64(config + 88, 0.9);                /* beta1 */
  put_f64(config + 96, 0.999);              /* beta2 */
  put_f64(config + 104, 1e-8);              /* eps */
  put_f64(config + 112, 1.0);               /* nlr_ratio */
  put_f64(config + 120, 0.5);               /* nlr_prob */
  put_f64(config + 128, 0.1);               /* spsa_c */
  put_f64(config + 136, 6.283185307179586); /* init_range */
  put_u32(config + 144, 0);                 /* n_features */
  put_u32(config + 148, 1);                 /* param_init: θ from the host */
}
