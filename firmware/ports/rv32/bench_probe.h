/* Runs small steps through every code path of the module's step(), so the
 * wasm3 value-stack high-water the bench reports covers all of them. */
#ifndef QIOT_RV32_BENCH_PROBE_H
#define QIOT_RV32_BENCH_PROBE_H

#include <stddef.h>

#include "runner.h"

/* Returns the number of configurations run, or -1 with a message in err. */
int rv32_probe_all_paths(runner_t *runner, char *err, size_t err_cap);

#endif
