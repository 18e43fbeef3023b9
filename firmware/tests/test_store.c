/* A/B store: commit records, torn and corrupt records, interrupted uploads,
 * hash, ABI and size refusals. The previous module must survive each. */
#include <string.h>

#include "board.h"
#include "harness.h"
#include "protocol.h"
#include "store.h"
#include "test_util.h"

static runner_t scratch;
static const module_meta_t NO_META = {0};

/* Uploads `len` bytes of module (all when len == size) under `sha`. */
static int upload(store_t *s, const uint8_t *module, uint32_t size, const uint8_t *sha, uint32_t len) {
    uint32_t resume = 0, received = 0;
    int code = store_upload_begin(s, size, sha, &NO_META, &resume);
    if (code != ERR_NONE) return code;
    for (uint32_t off = resume; off < len; off += QIOT_MAX_CHUNK_DATA) {
        uint32_t n = len - off < QIOT_MAX_CHUNK_DATA ? len - off : QIOT_MAX_CHUNK_DATA;
        code = store_upload_chunk(s, off, module + off, n, &received);
        if (code != ERR_NONE) return code;
    }
    return ERR_NONE;
}

static int upload_and_commit(store_t *s, const uint8_t *module, uint32_t size, char *err) {
    uint8_t sha[32];
    sha256(module, size, sha);
    int code = upload(s, module, size, sha, size);
    if (code != ERR_NONE) return code;
    return store_upload_commit(s, validate_with_runner, &scratch, err, QIOT_MAX_TEXT);
}

static bool active_is(const store_t *s, const uint8_t *module, uint32_t size) {
    uint32_t len = 0;
    const uint8_t *bytes = store_active_module(s, &len);
    return bytes && len == size && memcmp(bytes, module, size) == 0;
}

static void commit_and_reboot(void) {
    store_t s;
    char err[QIOT_MAX_TEXT];
    uint32_t a_len, b_len;
    const uint8_t *a = fixture_module(&a_len);
    const uint8_t *b = fixture_module_variant(&b_len);
    fake_board_wipe();
    store_init(&s);
    CHECK(s.active_slot == STORE_NO_SLOT);
    CHECK(upload_and_commit(&s, a, a_len, err) == ERR_NONE);
    CHECK(s.active_slot == 0 && active_is(&s, a, a_len));
    CHECK(upload_and_commit(&s, b, b_len, err) == ERR_NONE);
    CHECK(s.active_slot == 1 && active_is(&s, b, b_len));
    /* The two commits went to different record copies. */
    CHECK(fake_board_record_writes(0) == 1 && fake_board_record_writes(1) == 1);
    store_t rebooted;
    store_init(&rebooted);
    CHECK(rebooted.active_slot == 1 && active_is(&rebooted, b, b_len) && rebooted.generation == 2);
}

static void torn_record_keeps_last_good(void) {
    store_t s;
    char err[QIOT_MAX_TEXT];
    uint32_t a_len, b_len;
    const uint8_t *a = fixture_module(&a_len);
    const uint8_t *b = fixture_module_variant(&b_len);
    fake_board_wipe();
    store_init(&s);
    CHECK(upload_and_commit(&s, a, a_len, err) == ERR_NONE);
    fake_board_tear_next_record_write(QIOT_RECORD_SIZE / 2);
    CHECK(upload_and_commit(&s, b, b_len, err) == ERR_BAD_STATE);
    CHECK(active_is(&s, a, a_len));
    store_t rebooted;
    store_init(&rebooted);
    CHECK(rebooted.active_slot == 0 && active_is(&rebooted, a, a_len));
    /* A later commit still works and wins. */
    CHECK(upload_and_commit(&rebooted, b, b_len, err) == ERR_NONE);
    store_init(&s);
    CHECK(active_is(&s, b, b_len));
}

static void corrupt_record_falls_back(void) {
    store_t s;
    char err[QIOT_MAX_TEXT];
    uint32_t a_len, b_len;
    const uint8_t *a = fixture_module(&a_len);
    const uint8_t *b = fixture_module_variant(&b_len);
    fake_board_wipe();
    store_init(&s);
    CHECK(upload_and_commit(&s, a, a_len, err) == ERR_NONE);
    CHECK(upload_and_commit(&s, b, b_len, err) == ERR_NONE);
    int newest = s.record_copy;
    fake_board_corrupt_record(newest, 20);
    store_t rebooted;
    store_init(&rebooted);
    CHECK(rebooted.active_slot == 0 && active_is(&rebooted, a, a_len));
    /* With the older copy's slot erased too, no module beats a wrong one. */
    board_slot_erase(0);
    store_init(&rebooted);
    CHECK(rebooted.active_slot == STORE_NO_SLOT);
}

static void interrupted_upload_keeps_previous(void) {
    store_t s;
    char err[QIOT_MAX_TEXT];
    uint32_t a_len, b_len;
    const uint8_t *a = fixture_module(&a_len);
    const uint8_t *b = fixture_module_variant(&b_len);
    uint8_t b_sha[32];
    sha256(b, b_len, b_sha);
    fake_board_wipe();
    store_init(&s);
    CHECK(upload_and_commit(&s, a, a_len, err) == ERR_NONE);
    CHECK(upload(&s, b, b_len, b_sha, b_len / 2) == ERR_NONE);
    CHECK(store_upload_commit(&s, validate_with_runner, &scratch, err, sizeof err) == ERR_UPLOAD_INCOMPLETE);
    CHECK(active_is(&s, a, a_len));
    /* Resume: the same sha256 and size continue where the bytes stop. */
    uint32_t resume = 0;
    CHECK(store_upload_begin(&s, b_len, b_sha, &NO_META, &resume) == ERR_NONE);
    CHECKF(resume == b_len / 2, "resume %u, expected %u", (unsigned)resume, (unsigned)(b_len / 2));
    /* A reboot mid-upload forgets it; the old module is still active. */
    store_t rebooted;
    store_init(&rebooted);
    CHECK(active_is(&rebooted, a, a_len) && !rebooted.uploading);
    CHECK(store_upload_commit(&rebooted, validate_with_runner, &scratch, err, sizeof err) == ERR_BAD_STATE);
    /* Out-of-order and overlong chunks are refused with the expected offset. */
    uint32_t received = 99;
    CHECK(store_upload_begin(&rebooted, b_len, b_sha, &NO_META, &resume) == ERR_NONE && resume == 0);
    CHECK(store_upload_chunk(&rebooted, 8, b, 8, &received) == ERR_UPLOAD_OFFSET && received == 0);
    CHECK(store_upload_chunk(&rebooted, 0, b, b_len + 1, &received) == ERR_BAD_PAYLOAD);
}

static void refusals_keep_previous(void) {
    store_t s;
    char err[QIOT_MAX_TEXT];
    uint32_t a_len, b_len, abi2_len;
    const uint8_t *a = fixture_module(&a_len);
    const uint8_t *b = fixture_module_variant(&b_len);
    const uint8_t *abi2 = abi2_module(&abi2_len);
    fake_board_wipe();
    store_init(&s);
    CHECK(upload_and_commit(&s, a, a_len, err) == ERR_NONE);

    uint8_t wrong_sha[32] = {0};
    CHECK(upload(&s, b, b_len, wrong_sha, b_len) == ERR_NONE);
    CHECK(store_upload_commit(&s, validate_with_runner, &scratch, err, sizeof err) == ERR_HASH_MISMATCH);
    CHECK(active_is(&s, a, a_len));

    CHECK(upload_and_commit(&s, abi2, abi2_len, err) == ERR_ABI_MISMATCH);
    CHECKF(strstr(err, "ABI version 2") != NULL, "message: %s", err);
    CHECK(active_is(&s, a, a_len));

    uint32_t foreign_len;
    const uint8_t *foreign = foreign_import_module(&foreign_len);
    CHECK(upload_and_commit(&s, foreign, foreign_len, err) == ERR_MODULE_INVALID);
    CHECKF(strstr(err, "other than env.abort") != NULL, "message: %s", err);
    CHECK(active_is(&s, a, a_len));

    static uint8_t garbage[300];
    for (size_t i = 0; i < sizeof garbage; i++) garbage[i] = (uint8_t)(i * 37 + 11);
    CHECK(upload_and_commit(&s, garbage, sizeof garbage, err) == ERR_MODULE_INVALID);
    CHECK(err[0] != 0);
    CHECK(active_is(&s, a, a_len));

    uint32_t resume;
    CHECK(store_upload_begin(&s, QIOT_SLOT_SIZE + 1, wrong_sha, &NO_META, &resume) == ERR_UPLOAD_TOO_LARGE);
    CHECK(store_upload_begin(&s, 0, wrong_sha, &NO_META, &resume) == ERR_UPLOAD_TOO_LARGE);

    store_t rebooted;
    store_init(&rebooted);
    CHECK(active_is(&rebooted, a, a_len));
}

void test_store(void) {
    commit_and_reboot();
    torn_record_keeps_last_good();
    corrupt_record_falls_back();
    interrupted_upload_keeps_previous();
    refusals_keep_previous();
}
