#!/usr/bin/env python3
"""Process-level tests of the posix emulated board (firmware/ports/posix):
PTY handshake, host disconnect and reopen during training, persistence of the
store across restarts, RESET on the same PTY, signals, --stdio, bad arguments.

Usage: posix_board_test.py BOARD FIXTURE_WASM. Frames are built with the
independent encoder of firmware/test-vectors/gen_vectors.py. Ends with the
line "N passed, N failed"; exits non-zero on failure."""

import hashlib
import os
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
import tty
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "test-vectors"))
from gen_vectors import frame_wire, reference_decode  # noqa: E402

BOARD, FIXTURE = sys.argv[1], Path(sys.argv[2]).read_bytes()
OK, INFO, STATUS, TELEMETRY, DONE, ERROR = 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF
passed = failed = 0
started = []  # every board process, so none outlives the tests (main's finally)


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", file=sys.stderr)


def fixture_config():
    cfg = bytearray(192)
    struct.pack_into("<III", cfg, 0, 1, 4, 2)
    struct.pack_into("<d", cfg, 72, 0.125)
    return bytes(cfg)


class Link:
    """One host connection: a PTY opened by path, or the board's pipes."""

    def __init__(self, rfd, wfd):
        self.rfd, self.wfd, self.buf = rfd, wfd, bytearray()

    @classmethod
    def open_pty(cls, path):
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(fd)
        return cls(fd, fd)

    def close(self):
        os.close(self.rfd)

    def send(self, ftype, seq, payload=b""):
        os.write(self.wfd, b"\x00" + frame_wire(ftype, seq, payload))

    def recv(self, timeout=3.0):
        end = time.time() + timeout
        while b"\x00" not in self.buf:
            left = end - time.time()
            if left <= 0 or not select.select([self.rfd], [], [], left)[0]:
                return None
            data = os.read(self.rfd, 65536)
            if not data:
                return None
            self.buf += data
        i = self.buf.index(0)
        chunk, self.buf = bytes(self.buf[:i + 1]), self.buf[i + 1:]
        events = reference_decode(chunk)
        return events[0] if events else {"error": "undecodable"}

    def answer(self, seq, timeout=3.0):
        """The next frame carrying seq (frames sent before are skipped)."""
        end = time.time() + timeout
        while time.time() < end:
            ev = self.recv(end - time.time())
            if ev is None:
                return None
            if "frame" in ev and ev["frame"]["seq"] == seq:
                f = ev["frame"]
                return f["type"], bytes.fromhex(f["payload_hex"])
        return None

    def request(self, ftype, seq, payload=b""):
        self.send(ftype, seq, payload)
        return self.answer(seq)

    def hello(self, seq, attempts=20):
        """Polls HELLO until INFO comes back (output to an unopened PTY is lost)."""
        for i in range(attempts):
            self.send(0x01, seq + i, struct.pack("<H", 1))
            got = self.answer(seq + i, 0.5)
            if got and got[0] == INFO:
                return got[1]
        return None


def start_board(*args):
    p = subprocess.Popen([BOARD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started.append(p)
    # A board that never prints its PORT line fails the test instead of hanging it.
    if not select.select([p.stdout], [], [], 10)[0]:
        return p, None
    line = p.stdout.readline().decode().strip()
    return p, line.split(" ", 1)[1] if line.startswith("PORT ") else None


def stop_board(p, sig):
    p.send_signal(sig)
    try:
        return p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return None


def answer_type(got):
    """The type of an answer from Link.request, None when none came."""
    return got[0] if got else None


def upload(link, module):
    sha = hashlib.sha256(module).digest()
    link.request(0x02, 10, struct.pack("<I", len(module)) + sha)
    for off in range(0, len(module), 1020):
        link.request(0x03, 11, struct.pack("<I", off) + module[off:off + 1020])
    return link.request(0x04, 12)


def test_arguments():
    r = subprocess.run([BOARD, "--bogus"], capture_output=True, timeout=10)
    check(r.returncode == 2 and b"--bogus" in r.stderr, "unknown argument exits 2 naming it")
    with tempfile.NamedTemporaryFile() as f:
        f.write(b"not a state file")
        f.flush()
        r = subprocess.run([BOARD, "--state", f.name], capture_output=True, timeout=10)
        check(r.returncode == 1 and f.name.encode() in r.stderr, "foreign state file refused, named")


def test_pty_session(state):
    board, path = start_board("--state", state)
    check(path is not None and path.startswith("/dev/pts/"), "first stdout line is PORT /dev/pts/N")
    link = Link.open_pty(path)
    info = link.hello(1)
    check(info is not None and info[18] == 0xFF, "HELLO answered, no module yet")
    got = upload(link, FIXTURE)
    check(got is not None and got[0] == OK and got[1][1:] == hashlib.sha256(FIXTURE).digest(), "upload committed")
    check(answer_type(link.request(0x05, 20, fixture_config())) == OK, "CONFIG accepted")
    check(answer_type(link.request(0x07, 21, struct.pack("<I", 0))) == OK, "TRAIN_START accepted")
    link.close()

    time.sleep(1.0)  # the host is away while the board streams telemetry
    link = Link.open_pty(path)
    check(link.hello(100) is not None, "board answers after the host reopened the PTY")
    st = link.request(0x09, 200)
    state_, step = (st[1][0], struct.unpack_from("<I", st[1], 1)[0]) if st else (None, 0)
    check(state_ == 1 and step > 1000, f"still training at full pace while nobody read (step {step})")
    print(f"steps run while the host was away: {step}")
    link.send(0x08, 201)
    got_ok = link.answer(201)
    done = None
    for _ in range(5000):
        ev = link.recv()
        if ev is None:
            break
        if "frame" in ev and ev["frame"]["type"] == DONE:
            done = struct.unpack("<IIQ3d", bytes.fromhex(ev["frame"]["payload_hex"]))
            break
    check(got_ok is not None and got_ok[0] == OK and done is not None and done[0] == 1, "STOP gives OK then DONE STOPPED")
    check(link.request(0x0B, 300) == (OK, b""), "RESET answered OK")
    info = link.hello(400)
    check(info is not None and info[18] == 0, "same PTY serves after RESET, module kept")
    # RESET and HELLO in one write: the bytes after RESET are served by the rebooted core.
    answered = 0
    for i in range(20):
        os.write(link.wfd, b"\x00" + frame_wire(0x0B, 500 + i, b"") + frame_wire(0x01, 600 + i, struct.pack("<H", 1)))
        reset_ok = link.answer(500 + i)
        hello = link.answer(600 + i)
        answered += reset_ok == (OK, b"") and hello is not None and hello[0] == INFO
    check(answered == 20, f"HELLO written right behind RESET answered {answered}/20 times")
    link.close()
    check(stop_board(board, signal.SIGTERM) == 0, "SIGTERM exits 0")

    board, path = start_board("--state", state)
    link = Link.open_pty(path)
    info = link.hello(1)
    ok = info is not None and info[18] == 0 and struct.unpack_from("<I", info, 19)[0] == len(FIXTURE)
    check(ok and info[23:55] == hashlib.sha256(FIXTURE).digest(), "module survives a restart with --state")
    link.close()
    check(stop_board(board, signal.SIGINT) == 0, "SIGINT exits 0")


def leb128(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def test_windowed_upload():
    """12 KiB module sent with 8 chunks in flight: every chunk is acknowledged
    in order and the commit verifies the whole."""
    body = b"\x01x" + bytes((i * 7 + 1) % 256 for i in range(12000))
    module = FIXTURE + b"\x00" + leb128(len(body)) + body  # a custom section
    board, path = start_board()
    link = Link.open_pty(path)
    link.hello(1)
    sha = hashlib.sha256(module).digest()
    link.request(0x02, 2, struct.pack("<I", len(module)) + sha)
    offsets = list(range(0, len(module), 1020))
    acks, window, next_i = [], 8, 0
    while len(acks) < len(offsets):
        while next_i < len(offsets) and next_i - len(acks) < window:
            off = offsets[next_i]
            link.send(0x03, 1000 + next_i, struct.pack("<I", off) + module[off:off + 1020])
            next_i += 1
        got = link.answer(1000 + len(acks))
        if got is None or got[0] != OK:
            break
        acks.append(struct.unpack("<I", got[1])[0])
    expected = [min(off + 1020, len(module)) for off in offsets]
    check(acks == expected, "windowed chunks acknowledged in order with contiguous counts")
    got = link.request(0x04, 3)
    check(got is not None and got[0] == OK and got[1][1:] == sha, "windowed upload commits")
    link.close()
    stop_board(board, signal.SIGTERM)


def test_stdio():
    p = subprocess.Popen([BOARD, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    p.stdin.write(frame_wire(0x01, 5, struct.pack("<H", 1)) + frame_wire(0x09, 6, b""))
    p.stdin.close()
    out = p.stdout.read()
    code = p.wait(timeout=5)
    events = reference_decode(out)
    seqs = [e["frame"]["seq"] for e in events if "frame" in e]
    check(code == 0 and seqs == [5, 6] and out.endswith(b"\x00"), "--stdio answers and exits 0 at EOF, only frames on stdout")


def main():
    try:
        test_arguments()
        with tempfile.TemporaryDirectory() as tmp:
            test_pty_session(os.path.join(tmp, "state.bin"))
        test_windowed_upload()
        test_stdio()
    finally:
        for p in started:
            if p.poll() is None:
                p.kill()
                p.wait()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
