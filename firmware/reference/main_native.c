/* Native (host) driver of the reference kernel: runs SGD steps from the fixed
 * θ and prints one JSON line per step, with the wall time of the step. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "qref.h"

static int parse_int(const char *text, const char *name, int low, int high) {
    char *end;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value < low || value > high) {
        fprintf(stderr, "qref-native: %s must be an integer in %d..%d, got '%s'\n", name, low, high, text);
        exit(2);
    }
    return (int)value;
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: qref-native QUBITS LAYERS STEPS [LR]\n"
                        "  hea ansatz, local cost, exact parameter-shift SGD from theta_j = 0.1 + 0.37 j\n");
        return 2;
    }
    qref_circuit circuit = {parse_int(argv[1], "QUBITS", 1, QREF_MAX_QUBITS), parse_int(argv[2], "LAYERS", 1, 64)};
    const int steps = parse_int(argv[3], "STEPS", 1, 1000000);
    double lr = 0.1;
    if (argc == 5) {
        char *end;
        lr = strtod(argv[4], &end);
        if (*argv[4] == '\0' || *end != '\0' || !(lr > 0)) {
            fprintf(stderr, "qref-native: LR must be a positive number, got '%s'\n", argv[4]);
            return 2;
        }
    }
    const int count = qref_param_count(&circuit);
    if (count < 0) {
        fprintf(stderr, "qref-native: 2*LAYERS*QUBITS = %d exceeds %d parameters\n",
                2 * circuit.layers * circuit.qubits, QREF_MAX_PARAMS);
        return 2;
    }
    static double theta[QREF_MAX_PARAMS], grad[QREF_MAX_PARAMS];
    qref_fixed_theta(theta, count);
    for (int step = 1; step <= steps; step++) {
        const double start = now_ns();
        const qref_step_result r = qref_sgd_step(&circuit, theta, lr, grad);
        const double elapsed = now_ns() - start;
        printf("{\"step\":%d,\"params\":%d,\"loss\":%.17g,\"grad_norm\":%.17g,\"step_norm\":%.17g,\"evals\":%u,\"ns\":%"
               ".0f}\n",
               step, count, r.loss, r.grad_norm, r.step_norm, (unsigned)r.evals, elapsed);
    }
    return 0;
}
