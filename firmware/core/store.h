/* The A/B module store: two slots and a double-buffered commit record. An
 * upload goes to the slot that is not active; only a verified, parsed module
 * with the right ABI becomes active, so a failed or interrupted upload never
 * replaces the last good module. */
#ifndef QIOT_STORE_H
#define QIOT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

#define STORE_NO_SLOT (-1)

/* What a module's UPLOAD_BEGIN said about it (docs/security.md); all 0 for
 * an unsigned module. */
typedef struct {
    bool verified; /* signature checked against a trusted key */
    uint32_t version;
    uint32_t counter; /* anti-rollback counter */
} module_meta_t;

/* A committed module as its commit record describes it. */
typedef struct {
    bool valid;
    uint32_t generation;
    int slot;
    uint32_t size;
    uint8_t sha[SHA256_DIGEST_SIZE];
    module_meta_t meta;
    uint32_t floor;
    bool pending;       /* on trial: not yet confirmed (docs/reliability.md "Trial boot") */
    uint8_t event;      /* enum qiot_boot_event: why this record was written */
    uint8_t event_from; /* enum qiot_reset_cause of a BOOT_EVENT_REVERTED */
} store_record_t;

typedef struct {
    int active_slot; /* STORE_NO_SLOT when nothing is committed */
    uint32_t module_size;
    uint8_t module_sha[SHA256_DIGEST_SIZE];
    module_meta_t module_meta;
    /* Anti-rollback floor: the highest counter of any verified module ever
     * committed; a signed module below it is refused. */
    uint32_t floor;
    uint32_t generation; /* of the record in force */
    int record_copy;     /* the copy holding the active module's record */
    /* Trial boot: the active module is pending until confirmed (CONFIRM, or
     * QIOT_TRIAL_STEPS steps); a boot that finds it pending reverts to the
     * previous module. */
    bool pending;
    uint32_t trial_steps; /* steps completed since it was committed or reverted to (RAM only) */
    uint8_t event;        /* enum qiot_boot_event of the record in force */
    uint8_t event_from;   /* enum qiot_reset_cause behind a revert */
    /* The module before the active one: the other record copy, while its slot
     * still holds it (an upload erases it). */
    store_record_t previous;

    bool uploading;
    int upload_slot;
    uint32_t upload_size, upload_received;
    uint8_t upload_sha[SHA256_DIGEST_SIZE];
    module_meta_t upload_meta;
} store_t;

/* Checks an uploaded module before it becomes active (parse, ABI). Returns an
 * enum qiot_error with a message in err. */
typedef int (*store_validate_fn)(void *ctx, const uint8_t *bytes, uint32_t size, char *err, size_t err_cap);

/* Reads both record copies and takes the newest valid one whose slot still
 * hashes to the recorded sha256. */
void store_init(store_t *s);

/* Returns ERR_NONE and the resume offset, or ERR_UPLOAD_TOO_LARGE. meta
 * (already checked by the caller) is recorded with the module at commit. */
int store_upload_begin(store_t *s, uint32_t size, const uint8_t sha[SHA256_DIGEST_SIZE], const module_meta_t *meta,
                       uint32_t *resume);
/* Returns ERR_NONE and the contiguous count, ERR_BAD_STATE (no upload),
 * ERR_UPLOAD_OFFSET (expected offset in *received), or ERR_BAD_PAYLOAD. */
int store_upload_chunk(store_t *s, uint32_t offset, const uint8_t *data, size_t len, uint32_t *received);
/* Verifies and activates the upload. Anything failing leaves the previous
 * module active; the upload stays resumable only on UPLOAD_INCOMPLETE. */
int store_upload_commit(store_t *s, store_validate_fn validate, void *ctx, char *err, size_t err_cap);

/* At boot, after store_init: a module still pending reverts to the previous
 * one (the board reset before it was confirmed; cause = enum
 * qiot_reset_cause). Returns true when it reverted. */
bool store_resolve_trial(store_t *s, uint8_t cause);
/* Ends the trial of the active module (raises the anti-rollback floor to its
 * counter). ERR_NONE also when nothing was pending; ERR_BAD_STATE when the
 * record write failed. */
int store_confirm(store_t *s);
/* Counts a completed training step; confirms the module after
 * QIOT_TRIAL_STEPS. Returns true when this step confirmed it. */
bool store_count_step(store_t *s);
/* Makes the previous module active again (event = enum qiot_boot_event, cause
 * = enum qiot_reset_cause); the active one becomes the previous. ERR_NO_MODULE
 * with err when there is no previous module, ERR_BAD_STATE when the record
 * write failed. */
int store_switch_to_previous(store_t *s, uint8_t event, uint8_t cause, char *err, size_t err_cap);

/* The active module's bytes (board_slot_map memory), or NULL. */
const uint8_t *store_active_module(const store_t *s, uint32_t *size);

#endif
