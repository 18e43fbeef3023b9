#!/usr/bin/env python3
"""Converts firmware/test-vectors/frames.json into C tables for the tests."""
import json
import sys

src, dst = sys.argv[1:3]
v = json.load(open(src))


def c_bytes(hexstr):
    if not hexstr:
        return "NULL", 0
    data = bytes.fromhex(hexstr)
    return '(const uint8_t *)"' + "".join(f"\\x{b:02x}" for b in data) + '"', len(data)


out = [f"/* generated from {src} by firmware/tests/vectors_to_c.py */", '#include "vectors_types.h"']

out.append("static const vec_bytes_pair_t vec_cobs[] = {")
for c in v["cobs"]:
    d, dn = c_bytes(c["decoded_hex"])
    e, en = c_bytes(c["encoded_hex"])
    out.append(f'    {{"{c["name"]}", {d}, {dn}u, {e}, {en}u}},')
out.append("};")

out.append("static const vec_crc_t vec_crc[] = {")
for c in v["crc"]:
    d, dn = c_bytes(c["input_hex"])
    out.append(f'    {{{d}, {dn}u, 0x{c["crc32"]:08x}u}},')
out.append("};")

out.append("static const vec_frame_t vec_frames[] = {")
for f in v["frames"]:
    p, pn = c_bytes(f["payload_hex"])
    w, wn = c_bytes(f["wire_hex"])
    out.append(f'    {{"{f["name"]}", {f["type"]}, {f["seq"]}, {p}, {pn}u, {w}, {wn}u}},')
out.append("};")

for i, s in enumerate(v["streams"]):
    out.append(f"static const vec_event_t vec_stream_{i}_events[] = {{")
    for e in s["events"]:
        if "frame" in e:
            f = e["frame"]
            p, pn = c_bytes(f["payload_hex"])
            out.append(f'    {{0, {f["seq"]}, {f["type"]}, {p}, {pn}u}},')
        else:
            out.append(f'    {{{e["error"]}, {e["seq"]}, 0, NULL, 0u}},')
    out.append("};")
out.append("static const vec_stream_t vec_streams[] = {")
for i, s in enumerate(v["streams"]):
    d, dn = c_bytes(s["input_hex"])
    out.append(f'    {{"{s["name"]}", {1 if s["synced"] else 0}, {d}, {dn}u, vec_stream_{i}_events, '
               f'{len(s["events"])}u}},')
out.append("};")

out.append("static const vec_dispatch_t vec_dispatch[] = {")
for c in v["dispatch"]:
    w, wn = c_bytes(c["wire_hex"])
    out.append(f'    {{"{c["name"]}", {w}, {wn}u, {c["error"]}, {c["seq"]}}},')
out.append("};")

for name in ["cobs", "crc", "frames", "streams", "dispatch"]:
    out.append(f"#define VEC_{name.upper()}_COUNT (sizeof vec_{name} / sizeof vec_{name}[0])")
open(dst, "w").write("\n".join(out) + "\n")
