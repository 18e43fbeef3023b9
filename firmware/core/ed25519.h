/* Ed25519 signature verification (RFC 8032 §5.1.7), dependency-free. Only
 * public data is handled (keys, signatures, messages), so the code is plain
 * variable-time arithmetic; there is no signing on the board. */
#ifndef QIOT_ED25519_H
#define QIOT_ED25519_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ED25519_PUBLIC_KEY_SIZE 32
#define ED25519_SIGNATURE_SIZE 64

/* True when sig is a valid signature of msg under public_key. Refuses a
 * non-canonical S (S >= L), a public key or R that is not a canonical point
 * encoding, and a public key that is not on the curve. */
bool ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_SIZE], const uint8_t *msg, size_t len,
                    const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE]);

/* The same for the message prefix ‖ msg, without joining them in memory. */
bool ed25519_verify_prefixed(const uint8_t sig[ED25519_SIGNATURE_SIZE], const uint8_t *prefix, size_t prefix_len,
                             const uint8_t *msg, size_t len, const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE]);

/* True when public_key is a canonical encoding of a point on the curve. */
bool ed25519_public_key_valid(const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE]);

#endif
