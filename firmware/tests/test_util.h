/* Helpers shared by the store, dispatcher and training tests. */
#ifndef QIOT_TEST_UTIL_H
#define QIOT_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "fake_board.h"

#define MAX_OUT_FRAMES 200

/* The fixture module (fixture/module.ts) and variants. */
const uint8_t *fixture_module(uint32_t *len);
/* The fixture with a custom section appended: valid, different sha256. */
const uint8_t *fixture_module_variant(uint32_t *len);
/* A hand-assembled module exporting memory and abi_version() returning 2. */
const uint8_t *abi2_module(uint32_t *len);

/* A hand-assembled module whose abi_version() calls an import env.seed. */
const uint8_t *foreign_import_module(uint32_t *len);

/* Store validation as the dispatcher does it: load in a scratch runtime. */
int validate_with_runner(void *ctx, const uint8_t *bytes, uint32_t size, char *err, size_t err_cap);

/* Sends one request frame to the core and returns the frames it answered. */
size_t request(qiot_core_t *c, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, out_frame_t *out);
/* The same, sealed with the security vectors' control key (firmware/test-vectors/security.json)
 * under the core's nonce with this counter, as a host holding the key sends it. */
size_t request_sealed(qiot_core_t *c, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, uint32_t counter,
                      out_frame_t *out);
/* Provisions the core with the vectors' public key and control key (unauthenticated: an open board). */
void provision_with_vectors(qiot_core_t *c);
/* Error code of an ERROR frame (0xFFFF when f is not an ERROR). */
uint16_t error_code(const out_frame_t *f);
/* True when f is an ERROR whose text contains needle. */
int error_text_contains(const out_frame_t *f, const char *needle);
/* Uploads and commits a module through frames; returns the commit answer. */
out_frame_t upload_via_frames(qiot_core_t *c, const uint8_t *module, uint32_t len);

/* A 192-byte config struct for the fixture: qubits 4, layers 2, lr 0.125. */
void fixture_config(uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE]);
/* Boots a core on a wiped board with the fixture uploaded and CONFIG sent. */
void boot_with_fixture(qiot_core_t *c, const uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE]);

double f64_at(const uint8_t *p);

#endif
