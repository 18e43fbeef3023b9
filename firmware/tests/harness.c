#include "harness.h"

int harness_passed, harness_failed;
const char *harness_suite = "";

bool harness_check(bool ok, const char *file, int line, const char *what) {
    if (ok) {
        harness_passed++;
    } else {
        harness_failed++;
        fprintf(stderr, "FAIL [%s] %s:%d: %s\n", harness_suite, file, line, what);
    }
    return ok;
}

static void run(const char *name, void (*suite)(void)) {
    harness_suite = name;
    int before = harness_failed;
    suite();
    printf("%-10s %s\n", name, harness_failed == before ? "ok" : "FAILED");
}

int main(void) {
    run("codec", test_codec);
    run("frame", test_frame);
    run("sha256", test_sha256);
    run("ed25519", test_ed25519);
    run("security", test_security);
    run("telemetry-ack", test_telemetry_ack);
    run("store", test_store);
    run("dispatch", test_dispatch);
    run("training", test_training);
    run("slices", test_slices);
    run("robustness", test_robustness);
    run("wasm_check", test_wasm_check);
    run("bad_crc", test_bad_crc);
    run("trial", test_trial);
    run("memory", test_memory_access);
    printf("%d passed, %d failed\n", harness_passed, harness_failed);
    return harness_failed == 0 ? 0 : 1;
}
