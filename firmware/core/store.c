#include "store.h"

#include <string.h>

#include "board.h"
#include "bytes.h"
#include "crc32.h"
#include "protocol.h"
#include "qiot_config.h"
#include "text.h"

/* Commit record layout (QIOT_RECORD_SIZE bytes). */
#define RECORD_MAGIC 0x51494F54u /* any fixed value unlikely in erased or zeroed flash */
#define REC_MAGIC 0
#define REC_GENERATION 4
#define REC_SLOT 8
#define REC_FLAGS 9 /* bit 0: the module's signature was verified */
#define REC_SIZE 12
#define REC_SHA 16
/* Written as 0 by firmware before docs/security.md, so old records read as
 * unsigned modules with counter, version and floor 0. */
#define REC_COUNTER 48
#define REC_VERSION 52
#define REC_FLOOR 56
#define REC_CRC (QIOT_RECORD_SIZE - 4u)

typedef struct {
    bool valid;
    uint32_t generation;
    int slot;
    uint32_t size;
    uint8_t sha[SHA256_DIGEST_SIZE];
    module_meta_t meta;
    uint32_t floor;
} record_t;

static record_t read_record(int copy) {
    record_t rec = {0};
    uint8_t buf[QIOT_RECORD_SIZE];
    if (!board_record_read(copy, buf, sizeof buf)) return rec;
    if (get_u32(buf + REC_MAGIC) != RECORD_MAGIC) return rec;
    if (crc32(buf, REC_CRC) != get_u32(buf + REC_CRC)) return rec;
    rec.generation = get_u32(buf + REC_GENERATION);
    rec.slot = buf[REC_SLOT];
    rec.size = get_u32(buf + REC_SIZE);
    memcpy(rec.sha, buf + REC_SHA, SHA256_DIGEST_SIZE);
    rec.meta.verified = buf[REC_FLAGS] & 1;
    rec.meta.counter = get_u32(buf + REC_COUNTER);
    rec.meta.version = get_u32(buf + REC_VERSION);
    rec.floor = get_u32(buf + REC_FLOOR);
    rec.valid = rec.slot < QIOT_SLOT_COUNT && rec.size > 0 && rec.size <= QIOT_SLOT_SIZE;
    return rec;
}

static bool write_record(int copy, const record_t *rec) {
    uint8_t buf[QIOT_RECORD_SIZE];
    memset(buf, 0, sizeof buf);
    put_u32(buf + REC_MAGIC, RECORD_MAGIC);
    put_u32(buf + REC_GENERATION, rec->generation);
    buf[REC_SLOT] = (uint8_t)rec->slot;
    put_u32(buf + REC_SIZE, rec->size);
    memcpy(buf + REC_SHA, rec->sha, SHA256_DIGEST_SIZE);
    buf[REC_FLAGS] = rec->meta.verified ? 1 : 0;
    put_u32(buf + REC_COUNTER, rec->meta.counter);
    put_u32(buf + REC_VERSION, rec->meta.version);
    put_u32(buf + REC_FLOOR, rec->floor);
    put_u32(buf + REC_CRC, crc32(buf, REC_CRC));
    return board_record_write(copy, buf, sizeof buf);
}

static bool slot_matches(int slot, uint32_t size, const uint8_t sha[SHA256_DIGEST_SIZE]) {
    const uint8_t *bytes = board_slot_map(slot);
    if (!bytes) return false;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256(bytes, size, digest);
    return memcmp(digest, sha, SHA256_DIGEST_SIZE) == 0;
}

void store_init(store_t *s) {
    memset(s, 0, sizeof *s);
    s->active_slot = STORE_NO_SLOT;
    s->record_copy = QIOT_RECORD_COPIES - 1;
    record_t recs[QIOT_RECORD_COPIES];
    for (int c = 0; c < QIOT_RECORD_COPIES; c++) recs[c] = read_record(c);
    /* Try the valid copies newest first; a copy whose slot no longer matches
     * its hash (e.g. overwritten by a later upload) is skipped. */
    for (int tries = 0; tries < QIOT_RECORD_COPIES; tries++) {
        int best = -1;
        for (int c = 0; c < QIOT_RECORD_COPIES; c++)
            if (recs[c].valid && (best < 0 || recs[c].generation > recs[best].generation)) best = c;
        if (best < 0) break;
        /* The newest generation decides where the next commit goes, even if
         * its slot turns out unusable, so generations keep increasing. */
        if (tries == 0) {
            s->generation = recs[best].generation;
            s->record_copy = best;
            s->floor = recs[best].floor;
        }
        if (slot_matches(recs[best].slot, recs[best].size, recs[best].sha)) {
            s->active_slot = recs[best].slot;
            s->module_size = recs[best].size;
            memcpy(s->module_sha, recs[best].sha, SHA256_DIGEST_SIZE);
            s->module_meta = recs[best].meta;
            break;
        }
        recs[best].valid = false;
    }
}

int store_upload_begin(store_t *s, uint32_t size, const uint8_t sha[SHA256_DIGEST_SIZE], const module_meta_t *meta,
                       uint32_t *resume) {
    if (size == 0 || size > QIOT_SLOT_SIZE) return ERR_UPLOAD_TOO_LARGE;
    if (s->uploading && s->upload_size == size && memcmp(s->upload_sha, sha, SHA256_DIGEST_SIZE) == 0) {
        s->upload_meta = *meta;
        *resume = s->upload_received;
        return ERR_NONE;
    }
    s->upload_slot = s->active_slot == 0 ? 1 : 0;
    s->uploading = board_slot_erase(s->upload_slot);
    if (!s->uploading) return ERR_BAD_STATE;
    s->upload_size = size;
    s->upload_received = 0;
    memcpy(s->upload_sha, sha, SHA256_DIGEST_SIZE);
    s->upload_meta = *meta;
    *resume = 0;
    return ERR_NONE;
}

int store_upload_chunk(store_t *s, uint32_t offset, const uint8_t *data, size_t len, uint32_t *received) {
    if (!s->uploading) return ERR_BAD_STATE;
    *received = s->upload_received;
    if (offset != s->upload_received) return ERR_UPLOAD_OFFSET;
    if (len == 0 || len > s->upload_size - offset) return ERR_BAD_PAYLOAD;
    if (!board_slot_write(s->upload_slot, offset, data, len)) return ERR_BAD_STATE;
    s->upload_received += (uint32_t)len;
    *received = s->upload_received;
    return ERR_NONE;
}

int store_upload_commit(store_t *s, store_validate_fn validate, void *ctx, char *err, size_t err_cap) {
    err[0] = 0;
    if (!s->uploading) {
        text_set(err, err_cap, "no upload in progress");
        return ERR_BAD_STATE;
    }
    if (s->upload_received != s->upload_size) {
        text_set(err, err_cap, "upload incomplete");
        return ERR_UPLOAD_INCOMPLETE;
    }
    /* From here the upload is consumed whatever the outcome: a retry must
     * start with a fresh UPLOAD_BEGIN. */
    s->uploading = false;
    if (!slot_matches(s->upload_slot, s->upload_size, s->upload_sha)) {
        text_set(err, err_cap, "sha256 of the received bytes differs from UPLOAD_BEGIN's");
        return ERR_HASH_MISMATCH;
    }
    int code = validate(ctx, board_slot_map(s->upload_slot), s->upload_size, err, err_cap);
    if (code != ERR_NONE) return code;

    record_t rec = {.valid = true,
                    .generation = s->generation + 1,
                    .slot = s->upload_slot,
                    .size = s->upload_size,
                    .meta = s->upload_meta,
                    .floor = s->floor};
    if (rec.meta.verified && rec.meta.counter > rec.floor) rec.floor = rec.meta.counter;
    memcpy(rec.sha, s->upload_sha, SHA256_DIGEST_SIZE);
    int copy = (s->record_copy + 1) % QIOT_RECORD_COPIES;
    if (!write_record(copy, &rec)) {
        text_set(err, err_cap, "writing the commit record failed");
        return ERR_BAD_STATE;
    }
    s->generation = rec.generation;
    s->record_copy = copy;
    s->active_slot = rec.slot;
    s->module_size = rec.size;
    memcpy(s->module_sha, rec.sha, SHA256_DIGEST_SIZE);
    s->module_meta = rec.meta;
    s->floor = rec.floor;
    return ERR_NONE;
}

const uint8_t *store_active_module(const store_t *s, uint32_t *size) {
    if (s->active_slot == STORE_NO_SLOT) return NULL;
    *size = s->module_size;
    return board_slot_map(s->active_slot);
}
