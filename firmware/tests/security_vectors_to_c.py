#!/usr/bin/env python3
"""Converts firmware/test-vectors/ed25519.json and security.json into C tables
for the tests (test_ed25519.c, test_security.c)."""
import json
import sys

ed_src, sec_src, dst = sys.argv[1:4]
ed = json.load(open(ed_src))
sec = json.load(open(sec_src))


def c_bytes(hexstr):
    data = bytes.fromhex(hexstr)
    return '(const uint8_t *)"' + "".join(f"\\x{b:02x}" for b in data) + '"', len(data)


out = [f"/* generated from {ed_src} and {sec_src} by firmware/tests/security_vectors_to_c.py */",
       "typedef struct { const char *name; const uint8_t *pub; const uint8_t *msg; size_t msg_len;"
       " const uint8_t *sig; } vec_ed25519_t;",
       "typedef struct { const char *name; const uint8_t *begin; size_t begin_len; uint32_t floor; int error;"
       " uint32_t version, counter; } vec_manifest_t;",
       "typedef struct { uint8_t type; uint32_t counter; const uint8_t *payload; size_t payload_len;"
       " const uint8_t *tag; } vec_auth_t;"]
for group in ("valid", "invalid"):
    out.append(f"static const vec_ed25519_t vec_ed25519_{group}[] = {{")
    for c in ed[group]:
        pub, _ = c_bytes(c["public"])
        msg, mn = c_bytes(c["message"])
        sig, _ = c_bytes(c["signature"])
        out.append(f'    {{"{c["name"]}", {pub}, {msg}, {mn}u, {sig}}},')
    out.append("};")

out.append(f'static const char vec_security_target[] = "{sec["target"]}";')
for name in ("public_key", "control_key", "nonce"):
    b, _ = c_bytes(sec[name])
    out.append(f"static const uint8_t *const vec_security_{name} = {b};")
out.append("static const vec_manifest_t vec_manifests[] = {")
for m in sec["manifests"]:
    b, bn = c_bytes(m["begin"])
    out.append(f'    {{"{m["name"]}", {b}, {bn}u, {m["floor"]}u, {m["error"]}, {m["version"]}u, {m["counter"]}u}},')
out.append("};")
out.append("static const vec_auth_t vec_auth[] = {")
for a in sec["auth"]:
    p, pn = c_bytes(a["payload"])
    t, _ = c_bytes(a["tag"])
    out.append(f'    {{{a["type"]}, {a["counter"]}u, {p}, {pn}u, {t}}},')
out.append("};")
open(dst, "w").write("\n".join(out) + "\n")
