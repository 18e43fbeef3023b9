/* Provisioning, signed modules and authenticated control (docs/security.md).
 * An unprovisioned board is open: it accepts unsigned modules and
 * unauthenticated requests, as before. A provisioned one holds trusted
 * Ed25519 public keys and an HMAC control key in its key record, and
 *  - accepts an UPLOAD_BEGIN only with a manifest signed by a trusted key for
 *    this target and ABI whose anti-rollback counter is not below the floor;
 *  - accepts a state-changing request only with a trailer u32 counter ‖ tag,
 *    tag = HMAC-SHA256(control key, "QIOT-AUTH-1" ‖ nonce ‖ u8 type ‖
 *    u32 counter ‖ payload) truncated to 16 bytes, counter above the last
 *    accepted one of this boot (the nonce changes every boot). */
#ifndef QIOT_SECURITY_H
#define QIOT_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ed25519.h"
#include "qiot_config.h"
#include "sha256.h"
#include "store.h"

typedef struct {
    bool provisioned;
    uint8_t key_count;
    uint8_t keys[QIOT_MAX_TRUSTED_KEYS][ED25519_PUBLIC_KEY_SIZE];
    uint8_t control_key[QIOT_CONTROL_KEY_SIZE];
    uint32_t generation; /* of the key record in force */
    int record_copy;     /* the copy holding it */
    uint32_t boot_count;
    uint8_t nonce[QIOT_NONCE_SIZE];
    uint32_t last_counter; /* last accepted authentication counter of this boot */
} security_t;

/* Reads the key record; a provisioned board counts the boot (one record
 * write) so the session nonce never repeats. */
void security_init(security_t *s, uint64_t boot_time_us);

/* True when the request type changes state and the board is provisioned. */
bool security_requires_auth(const security_t *s, uint8_t type);

/* Checks and strips the trailer of an authenticated request: on ERR_NONE
 * *payload_len no longer counts it. Else ERR_UNAUTHENTICATED with err. */
int security_authenticate(security_t *s, uint8_t type, const uint8_t *payload, uint16_t *payload_len, char *err,
                          size_t err_cap);

/* The UPLOAD_BEGIN payload: u32 size ‖ sha256, optionally followed by the
 * manifest u32 version ‖ u32 counter ‖ u16 abi ‖ u8 len ‖ target ‖ signature
 * (64 bytes over "QIOT-MODULE-1" ‖ everything before the signature).
 * Returns ERR_NONE, ERR_BAD_PAYLOAD, ERR_SIGNATURE, ERR_ABI_MISMATCH or
 * ERR_ROLLBACK (counter below floor), with err naming the reason. */
int security_check_module(const security_t *s, const uint8_t *payload, size_t len, uint32_t floor, module_meta_t *meta,
                          char *err, size_t err_cap);

/* PROVISION payload: u8 n (0..QIOT_MAX_TRUSTED_KEYS) ‖ n public keys ‖
 * control key (absent when n = 0, which deprovisions). Writes the record. */
int security_provision(security_t *s, const uint8_t *payload, size_t len, char *err, size_t err_cap);

#endif
