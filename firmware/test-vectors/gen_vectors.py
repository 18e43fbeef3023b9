#!/usr/bin/env python3
"""Generates frames.json, the wire-protocol vectors shared by the C tests
(firmware/tests) and the TypeScript tests (host/src/protocol).

Independent of the C code: CRC from zlib, COBS written here from the paper's
definition, frame layout from docs/protocol.md. Run with --check to verify
that the committed frames.json is what this script produces."""

import json
import struct
import sys
import zlib
from pathlib import Path

VERSION = 1
MAX_PAYLOAD = 1024
MAX_ENCODED = 1040

ERR = {
    "BAD_CRC": 1, "BAD_FRAME": 2, "OVERSIZE": 3, "BAD_LENGTH": 4,
    "UNKNOWN_TYPE": 5, "PROTOCOL_VERSION": 6,
}


def cobs_encode(data: bytes) -> bytes:
    """Split at zeros; each block is (len+1) then the block, blocks of 254
    non-zero bytes carry code 0xFF and no implied zero."""
    out = bytearray()
    block = bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1)
            out += block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(0xFF)
                out += block
                block = bytearray()
    # The final block; it is omitted only when data ended exactly at a full
    # 254-byte block (its implied zero would not exist).
    ended_on_full_block = len(data) > 0 and data[-1] != 0 and len(block) == 0
    if not ended_on_full_block:
        out.append(len(block) + 1)
        out += block
    return bytes(out)


def cobs_decode(enc: bytes):
    out = bytearray()
    i = 0
    while i < len(enc):
        code = enc[i]
        i += 1
        if code == 0 or i + code - 1 > len(enc):
            return None
        chunk = enc[i:i + code - 1]
        if 0 in chunk:
            return None
        out += chunk
        i += code - 1
        if code != 0xFF and i < len(enc):
            out.append(0)
    return bytes(out)


def crc(data: bytes) -> int:
    return zlib.crc32(data) & 0xFFFFFFFF


def raw_frame(ftype, seq, payload, version=VERSION, length=None):
    length = len(payload) if length is None else length
    body = struct.pack("<BBHH", version, ftype, seq, length) + payload
    return body + struct.pack("<I", crc(body))


def wire(raw: bytes) -> bytes:
    return cobs_encode(raw) + b"\x00"


def frame_wire(ftype, seq, payload):
    return wire(raw_frame(ftype, seq, payload))


def reference_decode(stream: bytes, synced=True):
    """The receiver rules of docs/protocol.md, written out plainly; used to
    cross-check the expectations stated by construction below."""
    events, buf, discarding = [], bytearray(), False
    for b in stream:
        if b != 0:
            if discarding:
                continue
            if len(buf) == MAX_ENCODED:  # answered even before the first delimiter
                buf, discarding = bytearray(), True
                events.append({"error": ERR["OVERSIZE"], "seq": 0})
                continue
            buf.append(b)
            continue
        was_synced, synced = synced, True
        if discarding or not buf:
            discarding, buf = False, bytearray()
            continue
        raw, buf = cobs_decode(bytes(buf)), bytearray()
        ev = None
        if raw is None or len(raw) < 10:
            ev = {"error": ERR["BAD_FRAME"], "seq": 0}
        elif crc(raw[:-4]) != struct.unpack("<I", raw[-4:])[0]:
            ev = {"error": ERR["BAD_CRC"], "seq": 0}
        else:
            version, ftype, seq, length = struct.unpack("<BBHH", raw[:6])
            payload = raw[6:-4]
            if version != VERSION:
                ev = {"error": ERR["PROTOCOL_VERSION"], "seq": seq}
            elif len(payload) > MAX_PAYLOAD:
                ev = {"error": ERR["OVERSIZE"], "seq": seq}
            elif length != len(payload):
                ev = {"error": ERR["BAD_LENGTH"], "seq": seq}
            else:
                ev = {"frame": {"type": ftype, "seq": seq, "payload_hex": payload.hex()}}
        if "error" in ev and not was_synced:
            continue
        events.append(ev)
    return events


def sample_config() -> bytes:
    """A 192-byte config struct (docs/abi.md): 4 qubits, 2 layers, hea,
    class-sq, nlr gated, exact, 16+8 samples, seed 42, lr 0.1; readout,
    reupload, train_from, perturb and grad_floor 0, then the reserved words."""
    c = struct.pack("<14I", 1, 4, 2, 0, 2, 4, 0, 0, 2, 1, 0, 0, 16, 8)
    c += struct.pack("<QQ", 0, 42)
    c += struct.pack("<9d", 0.1, 0.9, 0.9, 0.999, 1e-8, 0.5, 0.1, 0.1, 3.141592653589793)
    c += struct.pack("<6I", 4, 0, 0, 0, 0, 0)
    c += struct.pack("<2d", 0.0, 0.0)
    c += bytes(8)
    assert len(c) == 192
    return c


def telemetry_record() -> bytes:
    return struct.pack("<4I2Q4d", 7, 0, 1, 48, 0, 0, 0.4375, 0.125, 0.0625, float("nan"))


def messages():
    sha = bytes(range(32))
    info = struct.pack("<HHHHII", 1, 1, MAX_PAYLOAD, 64, 32768, 65536)
    info += struct.pack("<HBI", 10, 0, 3712) + bytes(range(0xA0, 0xC0))
    info += bytes([5]) + b"0.1.0" + bytes([5]) + b"posix"
    done = struct.pack("<IIQ3d", 0, 100, 0, 0.25, 0.875, float("nan"))
    return [
        ("hello", 0x01, 1, struct.pack("<H", 1)),
        ("upload_begin", 0x02, 2, struct.pack("<I", 3712) + sha),
        ("upload_chunk", 0x03, 3, struct.pack("<I", 1020) + b"\x00asm\x01\x00\x00\x00"),
        ("upload_commit", 0x04, 4, b""),
        ("config", 0x05, 5, sample_config()),
        ("dataset", 0x06, 6, struct.pack("<I", 0) + struct.pack("<4f", 0.5, -1.25, 1.0, -1.0)),
        ("train_start", 0x07, 7, struct.pack("<I", 100)),
        ("train_stop", 0x08, 8, b""),
        ("status_request", 0x09, 9, b""),
        ("telemetry_fetch", 0x0A, 10, struct.pack("<I", 5)),
        ("reset", 0x0B, 11, b""),
        ("params_read", 0x0C, 12, b""),
        ("params_write", 0x0D, 13, struct.pack("<H3d", 3, 0.1, -0.2, 3.0)),
        ("ok_resume_offset", 0x80, 2, struct.pack("<I", 2040)),
        ("ok_empty", 0x80, 8, b""),
        ("info", 0x81, 1, info),
        ("status", 0x82, 9, struct.pack("<BIIBQ", 1, 7, 8, 0, 1234)),
        ("telemetry", 0x83, 0, struct.pack("<II", 7, 1510) + telemetry_record()),
        ("done", 0x84, 0, done),
        ("log", 0x85, 0, bytes([1]) + "module loaded: 3712 bytes".encode()),
        ("error", 0xFF, 5, struct.pack("<H", 15) + b"qubits: must be 1..10"),
        ("seq_max", 0x09, 0xFFFF, b""),
        ("max_payload_nonzero", 0x06, 300, bytes((i % 255) + 1 for i in range(MAX_PAYLOAD))),
        ("max_payload_zeros", 0x06, 301, bytes(MAX_PAYLOAD)),
    ]


def build():
    frames = []
    for name, ftype, seq, payload in messages():
        w = frame_wire(ftype, seq, payload)
        assert len(w) - 1 <= MAX_ENCODED
        frames.append({"name": name, "type": ftype, "seq": seq,
                       "payload_hex": payload.hex(), "wire_hex": w.hex()})

    cobs_cases = [
        ("empty", b""), ("one_zero", b"\x00"), ("two_zeros", b"\x00\x00"),
        ("no_zeros", b"\x11\x22\x33"), ("zero_inside", b"\x11\x00\x22"),
        ("trailing_zero", b"\x11\x22\x00"), ("leading_zero", b"\x00\x11"),
        ("run_253", bytes(range(1, 254))),
        ("run_254", bytes(range(1, 255))),
        ("run_255", bytes(range(1, 256))),
        ("run_254_then_zero", bytes(range(1, 255)) + b"\x00"),
        ("run_508", bytes((i % 254) + 1 for i in range(508))),
        ("zeros_300", bytes(300)),
    ]
    cobs = []
    for name, data in cobs_cases:
        enc = cobs_encode(data)
        assert cobs_decode(enc) == data and 0 not in enc
        cobs.append({"name": name, "decoded_hex": data.hex(), "encoded_hex": enc.hex()})

    crc_cases = [b"", b"123456789", b"\x00", b"\xff" * 4, b"The quick brown fox jumps over the lazy dog",
                 bytes(range(256))]
    crcs = [{"input_hex": d.hex(), "crc32": crc(d)} for d in crc_cases]

    hello = frame_wire(0x01, 1, struct.pack("<H", 1))
    status = frame_wire(0x09, 2, b"")
    good_raw = raw_frame(0x09, 3, b"")
    bad_crc = good_raw[:-1] + bytes([good_raw[-1] ^ 0x01])
    payload_1025 = bytes((i % 255) + 1 for i in range(MAX_PAYLOAD + 1))
    streams = [
        ("two_frames", True, hello + status,
         [("frame", 0x01, 1, struct.pack("<H", 1)), ("frame", 0x09, 2, b"")]),
        ("empty_delimiters_ignored", True, b"\x00\x00" + status + b"\x00",
         [("frame", 0x09, 2, b"")]),
        ("bad_crc", True, wire(bad_crc) + status,
         [("error", "BAD_CRC", 0), ("frame", 0x09, 2, b"")]),
        ("truncated_below_header", True, wire(good_raw[:5]) + status,
         [("error", "BAD_FRAME", 0), ("frame", 0x09, 2, b"")]),
        ("truncated_wire", True, hello[:4] + b"\x00" + status,
         [("error", "BAD_FRAME", 0), ("frame", 0x09, 2, b"")]),
        ("cobs_code_past_end", True, b"\x05\x01\x02\x00" + status,
         [("error", "BAD_FRAME", 0), ("frame", 0x09, 2, b"")]),
        ("oversize_run_resyncs", True, b"\x01" * (MAX_ENCODED + 1) + b"\x00" + status,
         [("error", "OVERSIZE", 0), ("frame", 0x09, 2, b"")]),
        ("oversize_payload", True, wire(raw_frame(0x06, 77, payload_1025)) + status,
         [("error", "OVERSIZE", 77), ("frame", 0x09, 2, b"")]),
        ("wrong_version", True, wire(raw_frame(0x01, 21, struct.pack("<H", 2), version=2)) + status,
         [("error", "PROTOCOL_VERSION", 21), ("frame", 0x09, 2, b"")]),
        ("length_too_small", True, wire(raw_frame(0x06, 22, b"\x01\x02\x03", length=2)) + status,
         [("error", "BAD_LENGTH", 22), ("frame", 0x09, 2, b"")]),
        ("length_too_large", True, wire(raw_frame(0x06, 23, b"\x01\x02\x03", length=5)) + status,
         [("error", "BAD_LENGTH", 23), ("frame", 0x09, 2, b"")]),
        ("garbage_between_frames", True, hello + b"\x41\x42\x43\x00" + status,
         [("frame", 0x01, 1, struct.pack("<H", 1)), ("error", "BAD_FRAME", 0),
          ("frame", 0x09, 2, b"")]),
        ("startup_mid_frame_dropped_silently", False, hello[3:] + status,
         [("frame", 0x09, 2, b"")]),
        ("startup_oversize_answered", False, b"\x01" * (MAX_ENCODED + 1) + b"\x00" + status,
         [("error", "OVERSIZE", 0), ("frame", 0x09, 2, b"")]),
        ("startup_clean_first_frame", False, status,
         [("frame", 0x09, 2, b"")]),
    ]
    stream_out = []
    for name, synced, data, expected in streams:
        events = []
        for e in expected:
            if e[0] == "frame":
                events.append({"frame": {"type": e[1], "seq": e[2], "payload_hex": e[3].hex()}})
            else:
                events.append({"error": ERR[e[1]], "seq": e[2]})
        got = reference_decode(data, synced)
        assert got == events, (name, got, events)
        stream_out.append({"name": name, "synced": synced, "input_hex": data.hex(),
                           "events": events})

    dispatch = [
        {"name": "unknown_request_type", "wire_hex": frame_wire(0x42, 31, b"").hex(),
         "error": ERR["UNKNOWN_TYPE"], "seq": 31},
        {"name": "board_frame_type_sent_to_board", "wire_hex": frame_wire(0x80, 32, b"").hex(),
         "error": ERR["UNKNOWN_TYPE"], "seq": 32},
    ]

    return {
        "description": "qiot wire-protocol vectors (docs/protocol.md), generated by "
                       "firmware/test-vectors/gen_vectors.py. streams are fed to a receiver; "
                       "synced=false means it just started and has seen no delimiter yet. "
                       "dispatch lists frames the board must answer with ERROR <error> carrying seq.",
        "protocol_version": VERSION,
        "max_payload": MAX_PAYLOAD,
        "max_encoded": MAX_ENCODED,
        "error_codes": ERR,
        "crc": crcs,
        "cobs": cobs,
        "frames": frames,
        "streams": stream_out,
        "dispatch": dispatch,
    }


def main():
    out = Path(__file__).with_name("frames.json")
    text = json.dumps(build(), indent=1) + "\n"
    if "--check" in sys.argv:
        if out.read_text() != text:
            sys.exit(f"{out} differs from what gen_vectors.py produces: regenerate it")
        print(f"{out}: up to date")
        return
    out.write_text(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
