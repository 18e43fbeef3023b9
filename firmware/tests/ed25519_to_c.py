#!/usr/bin/env python3
"""Converts firmware/test-vectors/ed25519.json into C tables for the tests."""
import json
import sys

src, dst = sys.argv[1:3]
v = json.load(open(src))


def c_bytes(hexstr):
    data = bytes.fromhex(hexstr)
    return '(const uint8_t *)"' + "".join(f"\\x{b:02x}" for b in data) + '"', len(data)


out = [f"/* generated from {src} by firmware/tests/ed25519_to_c.py */",
       "typedef struct { const char *name; const uint8_t *pub; const uint8_t *msg; size_t msg_len;"
       " const uint8_t *sig; } vec_ed25519_t;"]
for group in ("valid", "invalid"):
    out.append(f"static const vec_ed25519_t vec_ed25519_{group}[] = {{")
    for c in v[group]:
        pub, _ = c_bytes(c["public"])
        msg, mn = c_bytes(c["message"])
        sig, _ = c_bytes(c["signature"])
        out.append(f'    {{"{c["name"]}", {pub}, {msg}, {mn}u, {sig}}},')
    out.append("};")
open(dst, "w").write("\n".join(out) + "\n")
