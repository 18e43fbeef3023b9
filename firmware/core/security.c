#include "security.h"

#include <string.h>

#include "board.h"
#include "bytes.h"
#include "crc32.h"
#include "hmac_sha256.h"
#include "protocol.h"
#include "qiot_requests.h"
#include "text.h"

/* Key record layout (QIOT_KEYS_RECORD_SIZE bytes). */
#define KEYS_MAGIC 0x43455351u /* "QSEC" */
#define KR_MAGIC 0
#define KR_GENERATION 4
#define KR_BOOT_COUNT 8
#define KR_KEY_COUNT 12
#define KR_KEYS 16
#define KR_CONTROL_KEY (KR_KEYS + QIOT_MAX_TRUSTED_KEYS * ED25519_PUBLIC_KEY_SIZE)
#define KR_CRC (QIOT_KEYS_RECORD_SIZE - 4u)
_Static_assert(KR_CONTROL_KEY + QIOT_CONTROL_KEY_SIZE <= KR_CRC, "the key record must hold its fields");

static const char AUTH_DOMAIN[] = "QIOT-AUTH-1";
static const char MODULE_DOMAIN[] = "QIOT-MODULE-1";
#define BEGIN_FIXED 36u                    /* u32 size ‖ sha256 */
#define MANIFEST_FIXED (4u + 4u + 2u + 1u) /* version, counter, abi, target length */

static bool read_copy(int copy, security_t *out) {
    uint8_t buf[QIOT_KEYS_RECORD_SIZE];
    if (!board_keys_read(copy, buf, sizeof buf)) return false;
    if (get_u32(buf + KR_MAGIC) != KEYS_MAGIC || crc32(buf, KR_CRC) != get_u32(buf + KR_CRC)) return false;
    uint8_t n = buf[KR_KEY_COUNT];
    if (n > QIOT_MAX_TRUSTED_KEYS) return false;
    out->generation = get_u32(buf + KR_GENERATION);
    out->boot_count = get_u32(buf + KR_BOOT_COUNT);
    out->key_count = n;
    out->provisioned = n > 0;
    memcpy(out->keys, buf + KR_KEYS, sizeof out->keys);
    memcpy(out->control_key, buf + KR_CONTROL_KEY, sizeof out->control_key);
    out->record_copy = copy;
    return true;
}

/* Writes the state as the next generation into the other copy. */
static bool write_record(security_t *s) {
    uint8_t buf[QIOT_KEYS_RECORD_SIZE];
    memset(buf, 0, sizeof buf);
    put_u32(buf + KR_MAGIC, KEYS_MAGIC);
    put_u32(buf + KR_GENERATION, s->generation + 1);
    put_u32(buf + KR_BOOT_COUNT, s->boot_count);
    buf[KR_KEY_COUNT] = s->key_count;
    memcpy(buf + KR_KEYS, s->keys, sizeof s->keys);
    memcpy(buf + KR_CONTROL_KEY, s->control_key, sizeof s->control_key);
    put_u32(buf + KR_CRC, crc32(buf, KR_CRC));
    int copy = (s->record_copy + 1) % QIOT_KEYS_COPIES;
    if (!board_keys_write(copy, buf, sizeof buf)) return false;
    s->generation++;
    s->record_copy = copy;
    return true;
}

void security_init(security_t *s, uint64_t boot_time_us) {
    memset(s, 0, sizeof *s);
    s->record_copy = QIOT_KEYS_COPIES - 1;
    bool found = false;
    for (int c = 0; c < QIOT_KEYS_COPIES; c++) {
        security_t rec;
        memset(&rec, 0, sizeof rec);
        if (read_copy(c, &rec) && (!found || rec.generation > s->generation)) {
            *s = rec;
            found = true;
        }
    }
    if (found) {
        /* Every boot of a board that ever had a key record gets a new count,
         * so no session nonce repeats (also across deprovisioning). A count
         * that cannot be written still advances in RAM for this boot. */
        s->boot_count++;
        write_record(s);
    }
    put_u32(s->nonce, s->boot_count);
    put_u64(s->nonce + 4, boot_time_us);
    s->last_counter = 0;
}

bool security_requires_auth(const security_t *s, uint8_t type) {
    if (!s->provisioned) return false;
    /* The `authenticated` column of qiot_requests.h (abi/qiot-protocol.ts). */
    switch (type) {
#define AUTH_CASE(symbol, name, handler, min, max, carries, module, idle, auth)                                        \
    case MSG_##symbol:                                                                                                 \
        return auth;
        QIOT_REQUESTS(AUTH_CASE)
#undef AUTH_CASE
    default:
        return false; /* unknown types */
    }
}

static bool equal_ct(const uint8_t *a, const uint8_t *b, size_t n) {
    uint8_t diff = 0;
    for (size_t i = 0; i < n; i++) diff |= (uint8_t)(a[i] ^ b[i]);
    return diff == 0;
}

int security_authenticate(security_t *s, uint8_t type, const uint8_t *payload, uint16_t *payload_len, char *err,
                          size_t err_cap) {
    if (*payload_len < QIOT_AUTH_TRAILER_SIZE) {
        text_set(err, err_cap, "board is provisioned: request type ");
        text_append_hex8(err, err_cap, type);
        text_append(err, err_cap, " needs the trailer u32 counter + 16-byte HMAC tag (docs/security.md)");
        return ERR_UNAUTHENTICATED;
    }
    size_t body = *payload_len - QIOT_AUTH_TRAILER_SIZE;
    uint32_t counter = get_u32(payload + body);
    uint8_t mac[SHA256_DIGEST_SIZE];
    hmac_sha256_t h;
    hmac_sha256_init(&h, s->control_key, sizeof s->control_key);
    hmac_sha256_update(&h, (const uint8_t *)AUTH_DOMAIN, sizeof AUTH_DOMAIN - 1);
    hmac_sha256_update(&h, s->nonce, sizeof s->nonce);
    hmac_sha256_update(&h, &type, 1);
    hmac_sha256_update(&h, payload + body, 4);
    hmac_sha256_update(&h, payload, body);
    hmac_sha256_final(&h, mac);
    if (!equal_ct(mac, payload + body + 4, QIOT_AUTH_TAG_SIZE)) {
        text_set(err, err_cap, "authentication tag does not match (wrong control key, stale nonce or altered frame)");
        return ERR_UNAUTHENTICATED;
    }
    if (counter <= s->last_counter) {
        text_set(err, err_cap, "authentication counter ");
        text_append_uint(err, err_cap, counter);
        text_append(err, err_cap, " is not above the last accepted ");
        text_append_uint(err, err_cap, s->last_counter);
        text_append(err, err_cap, " (replayed frame?)");
        return ERR_UNAUTHENTICATED;
    }
    s->last_counter = counter;
    *payload_len = (uint16_t)body;
    return ERR_NONE;
}

int security_check_module(const security_t *s, const uint8_t *payload, size_t len, uint32_t floor, module_meta_t *meta,
                          char *err, size_t err_cap) {
    memset(meta, 0, sizeof *meta);
    if (len == BEGIN_FIXED) {
        if (!s->provisioned) return ERR_NONE;
        text_set(err, err_cap, "board is provisioned: the module must be signed (qiot sign, or qiot flash --key)");
        return ERR_SIGNATURE;
    }
    size_t target_len = len > BEGIN_FIXED + MANIFEST_FIXED ? payload[BEGIN_FIXED + MANIFEST_FIXED - 1] : 0;
    if (len != BEGIN_FIXED + MANIFEST_FIXED + target_len + ED25519_SIGNATURE_SIZE || target_len == 0 ||
        target_len > QIOT_MAX_TARGET_NAME) {
        text_set(err, err_cap,
                 "UPLOAD_BEGIN carries u32 size and a 32-byte sha256, optionally followed by a signed "
                 "manifest (docs/protocol.md)");
        return ERR_BAD_PAYLOAD;
    }
    const uint8_t *m = payload + BEGIN_FIXED;
    meta->version = get_u32(m);
    meta->counter = get_u32(m + 4);
    uint16_t abi = get_u16(m + 8);
    const char *target = (const char *)(m + MANIFEST_FIXED);
    if (!s->provisioned) return ERR_NONE; /* open board: the manifest is informational */

    size_t signed_len = len - ED25519_SIGNATURE_SIZE;
    const uint8_t *sig = payload + signed_len;
    /* The signed message is the domain string followed by the payload up to
     * the signature; it is hashed in place, never copied. */
    bool trusted = false;
    for (unsigned k = 0; k < s->key_count && !trusted; k++)
        trusted = ed25519_verify_prefixed(sig, (const uint8_t *)MODULE_DOMAIN, sizeof MODULE_DOMAIN - 1, payload,
                                          signed_len, s->keys[k]);
    if (!trusted) {
        text_set(err, err_cap, "module signature does not verify under the board's ");
        text_append_uint(err, err_cap, s->key_count);
        text_append(err, err_cap, " trusted key(s)");
        return ERR_SIGNATURE;
    }
    const char *name = board_name();
    if (strlen(name) != target_len || memcmp(name, target, target_len) != 0) {
        char t[QIOT_MAX_TARGET_NAME + 1];
        memcpy(t, target, target_len);
        t[target_len] = 0;
        text_set(err, err_cap, "module signed for target '");
        text_append(err, err_cap, t);
        text_append(err, err_cap, "', this board is '");
        text_append(err, err_cap, name);
        text_append(err, err_cap, "'");
        return ERR_SIGNATURE;
    }
    if (abi != QIOT_ABI_VERSION) {
        text_set(err, err_cap, "module signed for ABI version ");
        text_append_uint(err, err_cap, abi);
        text_append(err, err_cap, ", firmware runs ABI version ");
        text_append_uint(err, err_cap, QIOT_ABI_VERSION);
        return ERR_ABI_MISMATCH;
    }
    if (meta->counter < floor) {
        text_set(err, err_cap, "rollback refused: module anti-rollback counter ");
        text_append_uint(err, err_cap, meta->counter);
        text_append(err, err_cap, " is below the board's floor ");
        text_append_uint(err, err_cap, floor);
        return ERR_ROLLBACK;
    }
    meta->verified = true;
    return ERR_NONE;
}

int security_provision(security_t *s, const uint8_t *payload, size_t len, char *err, size_t err_cap) {
    size_t n = len > 0 ? payload[0] : 0;
    size_t want = n == 0 ? 1 : 1 + n * ED25519_PUBLIC_KEY_SIZE + QIOT_CONTROL_KEY_SIZE;
    if (len == 0 || n > QIOT_MAX_TRUSTED_KEYS || len != want) {
        text_set(err, err_cap, "PROVISION carries u8 n (0..");
        text_append_uint(err, err_cap, QIOT_MAX_TRUSTED_KEYS);
        text_append(err, err_cap, "), n 32-byte Ed25519 public keys and a 32-byte control key (none when n = 0)");
        return ERR_BAD_PAYLOAD;
    }
    for (size_t k = 0; k < n; k++) {
        if (!ed25519_public_key_valid(payload + 1 + k * ED25519_PUBLIC_KEY_SIZE)) {
            text_set(err, err_cap, "public key ");
            text_append_uint(err, err_cap, (uint32_t)k);
            text_append(err, err_cap, " is not a valid Ed25519 point");
            return ERR_BAD_PAYLOAD;
        }
    }
    security_t next = *s;
    next.key_count = (uint8_t)n;
    next.provisioned = n > 0;
    memset(next.keys, 0, sizeof next.keys);
    memset(next.control_key, 0, sizeof next.control_key);
    memcpy(next.keys, payload + 1, n * ED25519_PUBLIC_KEY_SIZE);
    if (n > 0) memcpy(next.control_key, payload + 1 + n * ED25519_PUBLIC_KEY_SIZE, QIOT_CONTROL_KEY_SIZE);
    if (!write_record(&next)) {
        text_set(err, err_cap, "writing the key record failed");
        return ERR_BAD_STATE;
    }
    *s = next;
    return ERR_NONE;
}
