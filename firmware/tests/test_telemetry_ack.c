/* Lossless telemetry (docs/protocol.md, TELEMETRY_ACK): in pause mode a run
 * stops stepping while the ring holds only unacknowledged records and goes on
 * after an ACK; in drop-oldest mode it overwrites them and counts them; a
 * STOP ends a paused run; replays are TELEMETRY_REPLAY frames. On a
 * provisioned board the ACK stays open and can do nothing but acknowledge. */
#include <string.h>

#include "bytes.h"
#include "harness.h"
#include "protocol.h"
#include "test_util.h"

static qiot_core_t core;
static out_frame_t out[MAX_OUT_FRAMES];

static size_t start(uint32_t steps, int mode, uint16_t seq) {
    uint8_t p[5];
    put_u32(p, steps);
    p[4] = (uint8_t)mode;
    return request(&core, MSG_TRAIN_START, seq, p, mode < 0 ? 4 : 5, out);
}

static size_t polls(int n) {
    for (int i = 0; i < n; i++) core_poll(&core);
    return fake_board_take_output(out, MAX_OUT_FRAMES);
}

static size_t count_type(size_t n, uint8_t type) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += out[i].type == type;
    return k;
}

static size_t ack(uint32_t next, uint16_t seq) {
    uint8_t p[4];
    put_u32(p, next);
    return request(&core, MSG_TELEMETRY_ACK, seq, p, 4, out);
}

static void pause_until_acknowledged(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    uint32_t first = core.ring.next_tseq;
    CHECK(start(0, TELEMETRY_PAUSE, 1) == 1 && out[0].type == MSG_OK);
    size_t n = polls(QIOT_RING_CAPACITY + 40);
    CHECK(n == QIOT_RING_CAPACITY && count_type(n, MSG_TELEMETRY) == QIOT_RING_CAPACITY);
    n = request(&core, MSG_STATUS_REQUEST, 2, NULL, 0, out);
    CHECK(n == 1 && out[0].payload[0] == STATE_PAUSED && get_u32(out[0].payload + 1) == QIOT_RING_CAPACITY);

    /* Acknowledging 10 records lets exactly 10 more steps run. */
    n = ack(first + 10, 3);
    CHECK(n == 1 && out[0].type == MSG_OK && get_u32(out[0].payload) == first + 10 && get_u32(out[0].payload + 4) == 0);
    n = polls(40);
    CHECK(n == 10 && count_type(n, MSG_TELEMETRY) == 10);
    /* Nothing was overwritten unseen: the ring still holds every unacknowledged record, as replays. */
    uint8_t from[4];
    put_u32(from, first + 10);
    n = request(&core, MSG_TELEMETRY_FETCH, 4, from, 4, out);
    CHECK(n == QIOT_RING_CAPACITY + 1 && count_type(n, MSG_TELEMETRY_REPLAY) == QIOT_RING_CAPACITY);
    CHECK(out[QIOT_RING_CAPACITY].type == MSG_OK && get_u32(out[QIOT_RING_CAPACITY].payload + 8) == 0);
    /* An ACK of records never sent is refused; one going backwards changes nothing. */
    CHECK(ack(core.ring.next_tseq + 1, 5) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD);
    CHECK(ack(first, 6) == 1 && get_u32(out[0].payload) == first + 10);

    /* STOP ends a paused run at once. */
    n = request(&core, MSG_TRAIN_STOP, 7, NULL, 0, out);
    CHECK(n == 2 && out[0].type == MSG_OK && out[1].type == MSG_DONE && get_u32(out[1].payload + 4) == 74);
    CHECK(!core.training);
}

static void drop_oldest_counts(void) {
    uint32_t first = core.ring.next_tseq;
    CHECK(start(100, -1, 10) == 1 && out[0].type == MSG_OK); /* no mode byte: drop oldest, as before */
    size_t n = polls(120);
    CHECK(count_type(n, MSG_TELEMETRY) == 100 && out[n - 1].type == MSG_DONE);
    n = ack(first, 11);
    CHECK(n == 1 && get_u32(out[0].payload + 4) == 100 - QIOT_RING_CAPACITY);
    CHECK(start(1, 2, 12) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD);
    core_teardown(&core);
}

/* On a provisioned board TELEMETRY_ACK is open (docs/security.md "Why TELEMETRY_ACK
 * is open"), so a gateway without the key keeps relayed runs lossless. Anyone's ACK
 * can only acknowledge records the board already sent: it lets a paused run take
 * exactly as many steps as it frees, is refused beyond next_tseq, spends no
 * authentication counter, carries no trailer, and leaves θ and control closed. */
static void open_on_provisioned_board(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    provision_with_vectors(&core);
    uint32_t first = core.ring.next_tseq;
    uint8_t p[5];
    put_u32(p, 0);
    p[4] = TELEMETRY_PAUSE;
    CHECK(request(&core, MSG_TRAIN_START, 20, p, 5, out) == 1 && error_code(&out[0]) == ERR_UNAUTHENTICATED);
    CHECK(request_sealed(&core, MSG_TRAIN_START, 21, p, 5, 1, out) == 1 && out[0].type == MSG_OK);
    size_t n = polls(QIOT_RING_CAPACITY + 40);
    CHECK(n == QIOT_RING_CAPACITY && count_type(n, MSG_TELEMETRY) == QIOT_RING_CAPACITY && core.run.paused);

    /* Acknowledging what frees no room (a repeat, or backwards) runs no step and leaves θ as it was. */
    uint8_t theta[2 * 8 + 4];
    n = request(&core, MSG_PARAMS_READ, 22, NULL, 0, out);
    CHECK(n == 1 && out[0].type == MSG_OK && out[0].length >= sizeof theta);
    memcpy(theta, out[0].payload, sizeof theta);
    CHECK(ack(first, 23) == 1 && out[0].type == MSG_OK && get_u32(out[0].payload) == first);
    CHECK(polls(40) == 0 && core.run.paused);
    n = request(&core, MSG_PARAMS_READ, 24, NULL, 0, out);
    CHECK(n == 1 && memcmp(out[0].payload, theta, sizeof theta) == 0);

    /* Without a trailer, 10 records acknowledged: exactly 10 more steps. */
    CHECK(ack(first + 10, 25) == 1 && out[0].type == MSG_OK && get_u32(out[0].payload) == first + 10);
    n = polls(40);
    CHECK(n == 10 && count_type(n, MSG_TELEMETRY) == 10 && core.run.paused);
    /* Never beyond what the board sent; a sealed ACK is not one (4 bytes only), and spends no counter. */
    CHECK(ack(core.ring.next_tseq + 1, 26) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD && core.acked == first + 10);
    uint8_t a[4];
    put_u32(a, first + 20);
    CHECK(request_sealed(&core, MSG_TELEMETRY_ACK, 27, a, 4, 2, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD);
    CHECK(core.acked == first + 10 && core.security.last_counter == 1);
    /* Control stays closed: STOP without the key is refused; the run stays paused. */
    CHECK(request(&core, MSG_TRAIN_STOP, 28, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_UNAUTHENTICATED);
    CHECK(core.training && core.run.paused);
    n = request_sealed(&core, MSG_TRAIN_STOP, 29, NULL, 0, 2, out);
    CHECK(n == 2 && out[0].type == MSG_OK && out[1].type == MSG_DONE &&
          get_u32(out[1].payload + 4) == QIOT_RING_CAPACITY + 10);
    core_teardown(&core);
}

void test_telemetry_ack(void) {
    pause_until_acknowledged();
    drop_oldest_counts();
    open_on_provisioned_board();
}
