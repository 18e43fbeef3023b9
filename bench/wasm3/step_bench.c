/* Native wasm3 step timer for `make bench`: loads the module through
 * firmware/core's runner (the same embedding the boards use), writes a config,
 * calls init(), then
 *   time MIN_SECONDS MAX_STEPS : one untimed step (wasm3 compiles lazily), then
 *                                steps until MIN_SECONDS passed or MAX_STEPS ran;
 *   steps N                    : exactly N steps;
 * and prints one JSON line with the step count, the seconds and the last
 * telemetry record in hex (so the harness can compare it byte for byte with
 * Node's). */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "qiot_abi.h"
#include "runner.h"

#define CONFIG_BYTES QIOT_CONFIG_STRUCT_SIZE
#define TELEMETRY_BYTES 64u
#define MODULE_CAPACITY (64u * 1024u)

/* The runner arms the board's watchdog around every module call (board.h); this
 * timing harness is no board and has none. */
void board_watchdog_arm(uint32_t ms) { (void)ms; }
void board_watchdog_disarm(void) {}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "step_bench: cannot open %s\n", path);
        exit(2);
    }
    size_t n = fread(buf, 1, cap, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    if (more) {
        fprintf(stderr, "step_bench: %s is larger than %zu bytes\n", path, cap);
        exit(2);
    }
    return n;
}

static void step_or_die(runner_t *r) {
    int32_t status = -1;
    if (runner_call_i32(r, FN_STEP, &status) != CALL_OK) {
        fprintf(stderr, "step_bench: step trapped: %s\n", runner_trap_text(r));
        exit(1);
    }
    if (status != 0) {
        fprintf(stderr, "step_bench: step returned status %d\n", (int)status);
        exit(1);
    }
}

int main(int argc, char **argv) {
    const int timing = argc == 6 && strcmp(argv[3], "time") == 0;
    const int fixed = argc == 5 && strcmp(argv[3], "steps") == 0;
    if (!timing && !fixed) {
        fprintf(stderr, "usage: step_bench MODULE.wasm CONFIG.bin time MIN_SECONDS MAX_STEPS\n"
                        "       step_bench MODULE.wasm CONFIG.bin steps N\n");
        return 2;
    }
    static uint8_t module[MODULE_CAPACITY]; /* outlives the runtime (pitfall 8) */
    uint8_t config[CONFIG_BYTES];
    const size_t module_size = read_file(argv[1], module, sizeof module);
    if (read_file(argv[2], config, sizeof config) != CONFIG_BYTES) {
        fprintf(stderr, "step_bench: %s must hold exactly %u bytes\n", argv[2], CONFIG_BYTES);
        return 2;
    }
    static runner_t runner;
    char err[QIOT_MAX_TEXT];
    if (runner_load(&runner, module, (uint32_t)module_size, err, sizeof err) != 0) {
        fprintf(stderr, "step_bench: module refused: %s\n", err);
        return 1;
    }
    int32_t code = -1;
    if (!runner_write_memory(&runner, runner.config_ptr, config, CONFIG_BYTES) ||
        runner_call_i32(&runner, FN_INIT, &code) != CALL_OK || code != 0) {
        char text[QIOT_MAX_TEXT] = "";
        runner_error_message(&runner, code, text, sizeof text);
        fprintf(stderr, "step_bench: init failed (%d): %s\n", (int)code, text);
        return 1;
    }
    long steps = 0;
    double seconds = 0;
    if (timing) {
        const double min_seconds = atof(argv[4]);
        const long max_steps = atol(argv[5]);
        step_or_die(&runner);
        const double start = now_seconds();
        do {
            step_or_die(&runner);
            steps++;
            seconds = now_seconds() - start;
        } while (seconds < min_seconds && steps < max_steps);
    } else {
        const long n = atol(argv[4]);
        const double start = now_seconds();
        for (; steps < n; steps++) step_or_die(&runner);
        seconds = now_seconds() - start;
    }
    uint8_t record[TELEMETRY_BYTES];
    if (!runner_read_memory(&runner, runner.telemetry_ptr, record, sizeof record)) {
        fprintf(stderr, "step_bench: telemetry record out of range\n");
        return 1;
    }
    printf("{\"steps\":%ld,\"seconds\":%.9f,\"telemetry\":\"", steps, seconds);
    for (unsigned i = 0; i < TELEMETRY_BYTES; i++) printf("%02x", record[i]);
    printf("\"}\n");
    runner_unload(&runner);
    return 0;
}
