#!/usr/bin/env python3
"""Writes the committed seed corpora of firmware/fuzz/ (run by hand when the
harness input formats change; the files are small and stay in git).

frames: inputs for fuzz_frames.c (byte 0 odd = records u8 kind ‖ u8 len ‖
payload, see there); module: small modules for fuzz_module.c."""

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "test-vectors"))
from gen_vectors import frame_wire  # noqa: E402

HERE = Path(__file__).resolve().parent
HELLO, BEGIN, CHUNK, COMMIT, CONFIG, DATASET, START, STOP, STATUS, FETCH, RESET, PREAD, PWRITE = range(13)
POLL, FLIP, X4, RAW = 0x10, 0x20, 0x40, 0x80


def rec(kind, payload=b""):
    n = len(payload)
    if n > 255:
        assert n % 4 == 0
        return bytes([kind | X4, n // 4]) + payload
    return bytes([kind, n]) + payload


def config():
    c = bytearray(192)
    struct.pack_into("<III", c, 0, 1, 4, 2)
    struct.pack_into("<d", c, 72, 0.125)
    return bytes(c)


frames = {
    "raw-hello": b"\x00" + frame_wire(0x01, 1, struct.pack("<H", 1)),
    "raw-oversize": b"\x00" + b"\x41" * 1100 + b"\x00" + frame_wire(0x09, 2, b""),
    "raw-reset-hello": b"\x00" + frame_wire(0x0B, 3, b"") + frame_wire(0x01, 4, struct.pack("<H", 1)),
    "link": b"\x01" + rec(HELLO, struct.pack("<H", 1)) + rec(STATUS) + rec(FETCH, struct.pack("<I", 0)),
    "train": b"\x01" + rec(START, struct.pack("<I", 3)) + rec(STATUS | POLL) + rec(FETCH | POLL, struct.pack("<I", 1))
    + rec(PREAD) + rec(STOP | POLL),
    "config-train-params": b"\x01" + rec(CONFIG, config()) + rec(START | POLL, struct.pack("<I", 1))
    + rec(PREAD, struct.pack("<H", 1)) + rec(PWRITE, struct.pack("<H", 4) + struct.pack("<4d", 0.5, 1, 2, 3)),
    "dataset": b"\x01" + rec(DATASET, struct.pack("<I", 0) + bytes(range(64))),
    "upload": b"\x01" + rec(BEGIN, struct.pack("<I", 8) + bytes(32)) + rec(CHUNK, struct.pack("<I", 0) + b"\0asm\1\0\0\0")
    + rec(COMMIT),
    "flipped": b"\x01" + rec(HELLO | FLIP, struct.pack("<H", 1)) + rec(START | FLIP, struct.pack("<I", 1)),
    "unknown-type": b"\x01" + bytes([0x0F, 0x01, 0x33]) + rec(RESET),
}


def leb(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def section(i, body):
    return bytes([i]) + leb(len(body)) + body


def module(code, locals_=b"\x00"):
    """types () -> () and (i32, i32, i32, f64) -> (); one function of type 0."""
    types = b"\x02\x60\x00\x00\x60\x04\x7f\x7f\x7f\x7c\x00"
    body = locals_ + code
    return (b"\0asm\1\0\0\0" + section(1, types) + section(3, b"\x01\x00")
            + section(5, b"\x01\x01\x01\x01") + section(10, b"\x01" + leb(len(body)) + body))


modules = {
    "empty": b"\0asm\1\0\0\0",
    "loop-br": module(b"\x03\x40\x0c\x00\x0b\x0b"),
    "memory-ops": module(b"\x41\x00\x41\x00\x28\x02\x00\x36\x02\x00\x3f\x00\x1a\x0b"),
    "locals-select": module(b"\x20\x00\x20\x01\x41\x01\x1b\x21\x00\x0b", b"\x01\x02\x7e"),
}
# Regressions: wasm3 0.5.0 compiler crash shapes (test_wasm_check.c).
regressions = {
    "wasm3-multivalue-loop-invalid": module(b"\x0c\x00\x03\x01\x0b\x0b"),
    "wasm3-multivalue-loop-valid": module(b"\x0c\x00\x03\x01\x1a\x1a\x1a\x1a\x0b\x0b"),
}

for name, data in frames.items():
    (HERE / "corpus/frames" / name).write_bytes(data)
for name, data in modules.items():
    (HERE / "corpus/module" / f"{name}.wasm").write_bytes(data)
for name, data in regressions.items():
    (HERE / "regressions/module" / f"{name}.wasm").write_bytes(data)
(HERE / "regressions/frames" / "reset-hello").write_bytes(frames["raw-reset-hello"])
