/* Arithmetic mod p = 2^255 - 19 on 16 limbs of 16 bits held in int64_t (room
 * for the carries of a schoolbook product), points in extended twisted
 * Edwards coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z, and the
 * complete addition law of Hisil et al. 2008 (a = -1), which also doubles. */
#include "ed25519.h"

#include <string.h>

#include "sha512.h"

typedef int64_t fe[16];
typedef struct {
    fe x, y, z, t;
} point;

static void fe_copy(fe r, const fe a) { memcpy(r, a, sizeof(fe)); }

static void fe_small(fe r, int64_t v) {
    memset(r, 0, sizeof(fe));
    r[0] = v;
}

static void fe_add(fe r, const fe a, const fe b) {
    for (int i = 0; i < 16; i++) r[i] = a[i] + b[i];
}

static void fe_sub(fe r, const fe a, const fe b) {
    for (int i = 0; i < 16; i++) r[i] = a[i] - b[i];
}

/* Moves each limb's excess into the next; 2^256 = 38 (mod p) wraps the top. */
static void fe_carry(fe a) {
    for (int i = 0; i < 16; i++) {
        int64_t c = a[i] >> 16; /* floor division, also for negative limbs */
        a[i] -= c * 65536;
        if (i < 15) a[i + 1] += c;
        else a[0] += 38 * c;
    }
}

static void fe_mul(fe r, const fe a, const fe b) {
    int64_t t[31] = {0};
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) t[i + j] += a[i] * b[j];
    for (int i = 0; i < 15; i++) t[i] += 38 * t[i + 16];
    memcpy(r, t, sizeof(fe));
    fe_carry(r);
    fe_carry(r);
}

static void fe_sq(fe r, const fe a) { fe_mul(r, a, a); }

/* The canonical little-endian encoding (value fully reduced below p). */
static void fe_pack(uint8_t out[32], const fe a) {
    fe t;
    fe_copy(t, a);
    fe_carry(t);
    fe_carry(t);
    fe_carry(t);
    /* Now 0 <= t < 2^256 < 2p + 38: subtract p at most twice. */
    for (int round = 0; round < 2; round++) {
        fe m;
        int64_t borrow = 0;
        for (int i = 0; i < 16; i++) {
            int64_t p_limb = i == 0 ? 0xffed : i == 15 ? 0x7fff : 0xffff;
            m[i] = t[i] - p_limb - borrow;
            borrow = (m[i] >> 16) & 1;
            m[i] &= 0xffff;
        }
        /* The top limb of p is 15 bits: a result ≥ 2^15 there means t < p. */
        if (!borrow) fe_copy(t, m);
    }
    for (int i = 0; i < 16; i++) {
        out[2 * i] = (uint8_t)(t[i] & 0xff);
        out[2 * i + 1] = (uint8_t)(t[i] >> 8);
    }
}

static void fe_unpack(fe r, const uint8_t in[32]) {
    for (int i = 0; i < 16; i++) r[i] = in[2 * i] | ((int64_t)in[2 * i + 1] << 8);
    r[15] &= 0x7fff;
}

static bool fe_equal(const fe a, const fe b) {
    uint8_t pa[32], pb[32];
    fe_pack(pa, a);
    fe_pack(pb, b);
    return memcmp(pa, pb, 32) == 0;
}

static int fe_parity(const fe a) {
    uint8_t p[32];
    fe_pack(p, a);
    return p[0] & 1;
}

/* a^(p-2) = 1/a. p - 2 = 2^255 - 21: exponent bits 254..0 all set except 4 and 2. */
static void fe_invert(fe r, const fe a) {
    fe c;
    fe_copy(c, a);
    for (int i = 253; i >= 0; i--) {
        fe_sq(c, c);
        if (i != 4 && i != 2) fe_mul(c, c, a);
    }
    fe_copy(r, c);
}

/* a^((p-5)/8) = a^(2^252 - 3): exponent bits 251..0 all set except bit 1. */
static void fe_pow2523(fe r, const fe a) {
    fe c;
    fe_copy(c, a);
    for (int i = 250; i >= 0; i--) {
        fe_sq(c, c);
        if (i != 1) fe_mul(c, c, a);
    }
    fe_copy(r, c);
}

/* Curve constants, derived once rather than typed in: d = -121665/121666,
 * 2d, sqrt(-1) = 2^((p-1)/4), and the base point B (y = 4/5, x even). */
static fe D, D2, SQRTM1;
static point BASE;
static bool constants_ready;

static bool point_decode(point *pt, const uint8_t in[32]);

static void init_constants(void) {
    if (constants_ready) return;
    fe num, den;
    fe_small(num, -121665);
    fe_small(den, 121666);
    fe_invert(den, den);
    fe_mul(D, num, den);
    fe_add(D2, D, D);
    /* 2^((p-1)/4) = 2^(2^253 - 5) by square-and-multiply on the bits of the exponent. */
    fe two, c;
    fe_small(two, 2);
    fe_copy(c, two);
    for (int i = 251; i >= 0; i--) { /* bits 252..0 of 2^253 - 5: all set except bit 2 */
        fe_sq(c, c);
        if (i != 2) fe_mul(c, c, two);
    }
    fe_copy(SQRTM1, c);
    constants_ready = true;
    static const uint8_t base_encoding[32] = {0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                              0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                              0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};
    point_decode(&BASE, base_encoding);
}

static void point_identity(point *p) {
    fe_small(p->x, 0);
    fe_small(p->y, 1);
    fe_small(p->z, 1);
    fe_small(p->t, 0);
}

static void point_add(point *r, const point *p, const point *q) {
    fe a, b, c, d, e, f, g, h, t;
    fe_sub(a, p->y, p->x);
    fe_sub(t, q->y, q->x);
    fe_mul(a, a, t);
    fe_add(b, p->y, p->x);
    fe_add(t, q->y, q->x);
    fe_mul(b, b, t);
    fe_mul(c, p->t, q->t);
    fe_mul(c, c, D2);
    fe_mul(d, p->z, q->z);
    fe_add(d, d, d);
    fe_sub(e, b, a);
    fe_sub(f, d, c);
    fe_add(g, d, c);
    fe_add(h, b, a);
    fe_mul(r->x, e, f);
    fe_mul(r->y, g, h);
    fe_mul(r->t, e, h);
    fe_mul(r->z, f, g);
}

/* [k]p for a 256-bit little-endian scalar k (double and add; public data). */
static void point_mul(point *r, const point *p, const uint8_t k[32]) {
    point q;
    point_identity(&q);
    for (int i = 255; i >= 0; i--) {
        point_add(&q, &q, &q);
        if ((k[i / 8] >> (i % 8)) & 1) point_add(&q, &q, p);
    }
    *r = q;
}

static void point_encode(uint8_t out[32], const point *p) {
    fe zi, x, y;
    fe_invert(zi, p->z);
    fe_mul(x, p->x, zi);
    fe_mul(y, p->y, zi);
    fe_pack(out, y);
    out[31] ^= (uint8_t)(fe_parity(x) << 7);
}

/* RFC 8032 §5.1.3, refusing a y that is not below p. */
static bool point_decode(point *pt, const uint8_t in[32]) {
    fe y, y2, u, v, v3, x, vx2, t, one;
    fe_unpack(y, in);
    uint8_t canonical[32];
    fe_pack(canonical, y);
    canonical[31] |= in[31] & 0x80;
    if (memcmp(canonical, in, 32) != 0) return false;
    int sign = in[31] >> 7;

    fe_small(one, 1);
    fe_sq(y2, y);
    fe_sub(u, y2, one);
    fe_mul(v, y2, D);
    fe_add(v, v, one);
    /* x = u v^3 (u v^7)^((p-5)/8) */
    fe_sq(v3, v);
    fe_mul(v3, v3, v);
    fe_sq(t, v3);
    fe_mul(t, t, v);
    fe_mul(t, t, u);
    fe_pow2523(t, t);
    fe_mul(x, t, v3);
    fe_mul(x, x, u);

    fe_sq(vx2, x);
    fe_mul(vx2, vx2, v);
    if (!fe_equal(vx2, u)) {
        fe neg_u, zero;
        fe_small(zero, 0);
        fe_sub(neg_u, zero, u);
        if (!fe_equal(vx2, neg_u)) return false; /* not on the curve */
        fe_mul(x, x, SQRTM1);
    }
    fe zero;
    fe_small(zero, 0);
    if (fe_equal(x, zero) && sign) return false;
    if (fe_parity(x) != sign) fe_sub(x, zero, x);

    fe_copy(pt->x, x);
    fe_copy(pt->y, y);
    fe_small(pt->z, 1);
    fe_mul(pt->t, x, y);
    return true;
}

/* The group order L = 2^252 + 27742317777372353535851937790883648493, little endian. */
static const uint8_t L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                              0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                              0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

/* a >= b for 256-bit little-endian numbers. */
static bool ge_256(const uint8_t a[32], const uint8_t b[32]) {
    for (int i = 31; i >= 0; i--)
        if (a[i] != b[i]) return a[i] > b[i];
    return true;
}

static void sub_256(uint8_t a[32], const uint8_t b[32]) {
    int borrow = 0;
    for (int i = 0; i < 32; i++) {
        int v = a[i] - b[i] - borrow;
        borrow = v < 0;
        a[i] = (uint8_t)(v & 0xff);
    }
}

/* r = x mod L for a 512-bit little-endian x, one bit at a time (r < L < 2^253
 * throughout, so 2r + 1 still fits 256 bits). */
static void reduce_mod_l(uint8_t r[32], const uint8_t x[64]) {
    memset(r, 0, 32);
    for (int bit = 511; bit >= 0; bit--) {
        int carry = (x[bit / 8] >> (bit % 8)) & 1;
        for (int i = 0; i < 32; i++) {
            int v = (r[i] << 1) | carry;
            carry = v >> 8;
            r[i] = (uint8_t)(v & 0xff);
        }
        if (ge_256(r, L)) sub_256(r, L);
    }
}

bool ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_SIZE], const uint8_t *msg, size_t len,
                    const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE]) {
    return ed25519_verify_prefixed(sig, NULL, 0, msg, len, public_key);
}

bool ed25519_verify_prefixed(const uint8_t sig[ED25519_SIGNATURE_SIZE], const uint8_t *prefix, size_t prefix_len,
                             const uint8_t *msg, size_t len, const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE]) {
    init_constants();
    const uint8_t *s = sig + 32;
    if (ge_256(s, L)) return false;
    point a;
    if (!point_decode(&a, public_key)) return false;

    uint8_t digest[SHA512_DIGEST_SIZE], h[32];
    sha512_t hs;
    sha512_init(&hs);
    sha512_update(&hs, sig, 32);
    sha512_update(&hs, public_key, ED25519_PUBLIC_KEY_SIZE);
    if (prefix_len) sha512_update(&hs, prefix, prefix_len);
    sha512_update(&hs, msg, len);
    sha512_final(&hs, digest);
    reduce_mod_l(h, digest);

    /* R' = [S]B - [h]A must encode to R. */
    fe zero;
    fe_small(zero, 0);
    fe_sub(a.x, zero, a.x);
    fe_sub(a.t, zero, a.t);
    point sb, ha, r;
    point_mul(&sb, &BASE, s);
    point_mul(&ha, &a, h);
    point_add(&r, &sb, &ha);
    uint8_t encoded[32];
    point_encode(encoded, &r);
    return memcmp(encoded, sig, 32) == 0;
}

bool ed25519_public_key_valid(const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE]) {
    init_constants();
    point a;
    return point_decode(&a, public_key);
}
