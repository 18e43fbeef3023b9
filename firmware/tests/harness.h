/* A minimal test harness: CHECK records a pass or a named failure; main()
 * (harness.c) runs every suite and ends with "N passed, N failed". */
#ifndef QIOT_HARNESS_H
#define QIOT_HARNESS_H

#include <stdbool.h>
#include <stdio.h>

extern int harness_passed, harness_failed;
extern const char *harness_suite;

bool harness_check(bool ok, const char *file, int line, const char *what);

#define CHECK(cond) harness_check((cond), __FILE__, __LINE__, #cond)
/* Like CHECK with a printf-style note printed on failure. */
#define CHECKF(cond, ...)                                                                                              \
    do {                                                                                                               \
        if (!harness_check((cond), __FILE__, __LINE__, #cond)) {                                                       \
            fprintf(stderr, "    note: ");                                                                             \
            fprintf(stderr, __VA_ARGS__);                                                                              \
            fprintf(stderr, "\n");                                                                                     \
        }                                                                                                              \
    } while (0)

void test_codec(void);
void test_frame(void);
void test_sha256(void);
void test_ed25519(void);
void test_security(void);
void test_telemetry_ack(void);
void test_store(void);
void test_dispatch(void);
void test_training(void);
void test_slices(void);
void test_robustness(void);
void test_wasm_check(void);
void test_bad_crc(void);
void test_trial(void);
void test_memory_access(void);

#endif
