#!/usr/bin/env python3
"""Writes a binary file as a C header: const uint8_t NAME[] and NAME_len."""
import sys

name, src, dst = sys.argv[1:4]
data = open(src, "rb").read()
rows = [", ".join(f"0x{b:02x}" for b in data[i:i + 16]) for i in range(0, len(data), 16)]
with open(dst, "w") as out:
    out.write(f"/* generated from {src} by firmware/tests/bytes_to_c.py */\n#include <stdint.h>\n")
    out.write(f"static const uint8_t {name}[] = {{\n    " + ",\n    ".join(rows) + "\n};\n")
    out.write(f"static const uint32_t {name}_len = {len(data)}u;\n")
