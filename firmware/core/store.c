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
#define REC_FLAGS 9       /* bit 0: the module's signature was verified; bit 1: pending (on trial) */
#define REC_EVENT 10      /* enum qiot_boot_event */
#define REC_EVENT_FROM 11 /* enum qiot_reset_cause of a revert */
#define REC_SIZE 12
#define REC_SHA 16
/* Written as 0 by firmware before docs/security.md, so old records read as
 * unsigned modules with counter, version and floor 0. */
#define REC_COUNTER 48
#define REC_VERSION 52
#define REC_FLOOR 56
#define REC_CRC (QIOT_RECORD_SIZE - 4u)
#define FLAG_VERIFIED 1u
#define FLAG_PENDING 2u

static store_record_t read_record(int copy) {
    store_record_t rec = {0};
    uint8_t buf[QIOT_RECORD_SIZE];
    if (!board_record_read(copy, buf, sizeof buf)) return rec;
    if (get_u32(buf + REC_MAGIC) != RECORD_MAGIC) return rec;
    if (crc32(buf, REC_CRC) != get_u32(buf + REC_CRC)) return rec;
    rec.generation = get_u32(buf + REC_GENERATION);
    rec.slot = buf[REC_SLOT];
    rec.size = get_u32(buf + REC_SIZE);
    memcpy(rec.sha, buf + REC_SHA, SHA256_DIGEST_SIZE);
    rec.meta.verified = buf[REC_FLAGS] & FLAG_VERIFIED;
    rec.pending = buf[REC_FLAGS] & FLAG_PENDING;
    rec.event = buf[REC_EVENT];
    rec.event_from = buf[REC_EVENT_FROM];
    rec.meta.counter = get_u32(buf + REC_COUNTER);
    rec.meta.version = get_u32(buf + REC_VERSION);
    rec.floor = get_u32(buf + REC_FLOOR);
    rec.valid = rec.slot < QIOT_SLOT_COUNT && rec.size > 0 && rec.size <= QIOT_SLOT_SIZE;
    return rec;
}

static bool write_record(int copy, const store_record_t *rec) {
    uint8_t buf[QIOT_RECORD_SIZE];
    memset(buf, 0, sizeof buf);
    put_u32(buf + REC_MAGIC, RECORD_MAGIC);
    put_u32(buf + REC_GENERATION, rec->generation);
    buf[REC_SLOT] = (uint8_t)rec->slot;
    put_u32(buf + REC_SIZE, rec->size);
    memcpy(buf + REC_SHA, rec->sha, SHA256_DIGEST_SIZE);
    buf[REC_FLAGS] = (uint8_t)((rec->meta.verified ? FLAG_VERIFIED : 0u) | (rec->pending ? FLAG_PENDING : 0u));
    buf[REC_EVENT] = rec->event;
    buf[REC_EVENT_FROM] = rec->event_from;
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

/* The record in force: the store's view of it. */
static store_record_t active_record(const store_t *s) {
    store_record_t rec = {.valid = s->active_slot != STORE_NO_SLOT,
                          .generation = s->generation,
                          .slot = s->active_slot,
                          .size = s->module_size,
                          .meta = s->module_meta,
                          .floor = s->floor,
                          .pending = s->pending,
                          .event = s->event,
                          .event_from = s->event_from};
    memcpy(rec.sha, s->module_sha, SHA256_DIGEST_SIZE);
    return rec;
}

static void make_active(store_t *s, const store_record_t *rec, int copy) {
    s->generation = rec->generation;
    s->record_copy = copy;
    s->active_slot = rec->slot;
    s->module_size = rec->size;
    memcpy(s->module_sha, rec->sha, SHA256_DIGEST_SIZE);
    s->module_meta = rec->meta;
    s->floor = rec->floor;
    s->pending = rec->pending;
    s->event = rec->event;
    s->event_from = rec->event_from;
    s->trial_steps = 0;
}

void store_init(store_t *s) {
    memset(s, 0, sizeof *s);
    s->active_slot = STORE_NO_SLOT;
    s->record_copy = QIOT_RECORD_COPIES - 1;
    store_record_t recs[QIOT_RECORD_COPIES];
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
            s->floor = recs[best].floor;
        }
        if (slot_matches(recs[best].slot, recs[best].size, recs[best].sha)) {
            uint32_t generation = s->generation, floor = s->floor;
            make_active(s, &recs[best], best);
            s->generation = generation; /* the newest, as above */
            s->floor = floor > recs[best].floor ? floor : recs[best].floor;
            /* The previous module: the other copy, for another slot that
             * still holds it. */
            for (int c = 0; c < QIOT_RECORD_COPIES; c++)
                if (c != best && recs[c].valid && recs[c].slot != recs[best].slot &&
                    slot_matches(recs[c].slot, recs[c].size, recs[c].sha))
                    s->previous = recs[c];
            break;
        }
        recs[best].valid = false;
    }
}

/* Writes `rec` to the copy of its own slot (copy i describes slot i: uploads
 * go to the slot that is not active and commits to the copy not in force, so
 * both alternate together). */
static int copy_of(const store_record_t *rec) { return rec->slot % QIOT_RECORD_COPIES; }

/* Puts `rec` in force (commit and switch alike); `was_active` becomes the previous module. */
static int install_record(store_t *s, store_record_t *rec, store_record_t was_active, char *err, size_t err_cap) {
    int copy = copy_of(rec);
    if (!write_record(copy, rec)) {
        text_set(err, err_cap, "writing the commit record failed");
        return ERR_BAD_STATE;
    }
    make_active(s, rec, copy);
    s->previous = was_active;
    return ERR_NONE;
}

int store_switch_to_previous(store_t *s, uint8_t event, uint8_t cause, char *err, size_t err_cap) {
    if (!s->previous.valid || s->uploading) {
        text_set(err, err_cap,
                 s->uploading ? "an upload is using the previous module's slot"
                              : "no previous module (none was committed before, or an upload replaced it)");
        return ERR_NO_MODULE;
    }
    store_record_t was_active = active_record(s);
    store_record_t rec = s->previous;
    rec.generation = s->generation + 1;
    rec.floor = s->floor;
    rec.event = event;
    rec.event_from = cause;
    return install_record(s, &rec, was_active, err, err_cap);
}

bool store_resolve_trial(store_t *s, uint8_t cause) {
    char err[QIOT_MAX_TEXT];
    if (!s->pending) return false;
    return store_switch_to_previous(s, BOOT_EVENT_REVERTED, cause, err, sizeof err) == ERR_NONE;
}

int store_confirm(store_t *s) {
    if (!s->pending || s->active_slot == STORE_NO_SLOT) return ERR_NONE;
    store_record_t rec = active_record(s);
    rec.pending = false;
    if (rec.meta.verified && rec.meta.counter > rec.floor) rec.floor = rec.meta.counter;
    /* Rewritten in place: the other copy keeps the previous module. A torn
     * write leaves this copy invalid, so the next boot takes the previous
     * module, as if the trial had failed. */
    if (!write_record(copy_of(&rec), &rec)) return ERR_BAD_STATE;
    s->pending = false;
    s->floor = rec.floor;
    return ERR_NONE;
}

bool store_count_step(store_t *s) {
    if (!s->pending) return false;
    if (++s->trial_steps < QIOT_TRIAL_STEPS) return false;
    return store_confirm(s) == ERR_NONE;
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
    /* The upload replaces the previous module (it lives in that slot). */
    s->previous.valid = false;
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

    /* A module committed over another is on trial until confirmed; the first
     * has nothing to revert to. The floor rises when the trial ends. */
    store_record_t was_active = active_record(s);
    store_record_t rec = {.valid = true,
                          .generation = s->generation + 1,
                          .slot = s->upload_slot,
                          .size = s->upload_size,
                          .meta = s->upload_meta,
                          .floor = s->floor,
                          .pending = was_active.valid && QIOT_TRIAL_STEPS > 0};
    if (!rec.pending && rec.meta.verified && rec.meta.counter > rec.floor) rec.floor = rec.meta.counter;
    memcpy(rec.sha, s->upload_sha, SHA256_DIGEST_SIZE);
    return install_record(s, &rec, was_active, err, err_cap);
}

const uint8_t *store_active_module(const store_t *s, uint32_t *size) {
    if (s->active_slot == STORE_NO_SLOT) return NULL;
    *size = s->module_size;
    return board_slot_map(s->active_slot);
}
