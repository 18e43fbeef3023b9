"""Checks sdkconfig.defaults* and partitions.csv against ESP-IDF's documented
rules, without ESP-IDF (make test-esp32).

ESP-IDF's config tool silently replaces an out-of-range value by the symbol's
default (issue 11: a task watchdog timeout of 300 s became 5 s), so every
numeric value set here is checked against the range ESP-IDF declares for it.
The ranges and the symbol list below were read from ESP-IDF's Kconfig files at
tags v5.1, v5.5 and v6.0 (the same on all three; the supported range of
docs/boards.md): components/esp_system/Kconfig (ESP_TASK_WDT_TIMEOUT_S: range
1 60) and components/freertos/Kconfig (FREERTOS_HZ: range 1 1000). The
partition rules are those of ESP-IDF's partition-table guide
(api-guides/partition-tables.rst) and gen_esp32part.py: app partitions at
64 KiB-aligned offsets, others at 4 KiB, the table itself at 0x8000 (one
4 KiB sector), application-defined types 0x40-0xFE.
"""

import csv
import pathlib
import re
import sys

PORT = pathlib.Path(__file__).resolve().parent.parent

# Numeric symbols: legal range in ESP-IDF v5.1-v6.x.
RANGES = {
    "ESP_TASK_WDT_TIMEOUT_S": (1, 60),
    "FREERTOS_HZ": (1, 1000),
}
# Every symbol the defaults may set: present under this name in ESP-IDF's
# Kconfig files at v5.1, v5.5 and v6.0 (checked once against the tags), so a
# typo or a symbol renamed in a later release fails here instead of being
# ignored by the config tool.
KNOWN = {
    "PARTITION_TABLE_CUSTOM", "PARTITION_TABLE_CUSTOM_FILENAME", "ESPTOOLPY_FLASHSIZE_2MB",
    "ESP_CONSOLE_NONE", "ESP_CONSOLE_SECONDARY_NONE", "LOG_DEFAULT_LEVEL_NONE",
    "BOOTLOADER_LOG_LEVEL_NONE", "ESP_SYSTEM_PANIC_SILENT_REBOOT", "UART_ISR_IN_IRAM",
    "COMPILER_OPTIMIZATION_PERF", "FREERTOS_HZ", "ESP_TASK_WDT_EN", "ESP_TASK_WDT_INIT",
    "ESP_TASK_WDT_TIMEOUT_S", "ESP_TASK_WDT_PANIC", "ESP_TASK_WDT_CHECK_IDLE_TASK_CPU0",
    "ESP_TASK_WDT_CHECK_IDLE_TASK_CPU1", "FREERTOS_CHECK_STACKOVERFLOW_CANARY",
    "FREERTOS_WATCHPOINT_END_OF_STACK", "ESP_DEFAULT_CPU_FREQ_MHZ_160", "ESP_DEFAULT_CPU_FREQ_MHZ_240",
}
# The watchdog must outlast the longest operation between two feeds. Training
# feeds it between 20 ms step slices (QIOT_STEP_SLICE_US), so the longest
# operations are one slice's last unit (an adjoint sample, 4 circuit
# evaluations: ~0.33e9 rv32 instructions at 10 qubits, ~2.1 s at 160 MHz;
# docs/boards.md) and erasing a 32 KiB module slot in one call (8 sectors x
# 400 ms, the worst-case 4 KiB sector erase of common SPI NOR datasheets,
# 3.2 s). Ten times the larger is the floor.
WDT_FLOOR_S = 10 * 3.2

FLASH_SIZES = {"2MB": 2 << 20, "4MB": 4 << 20, "8MB": 8 << 20, "16MB": 16 << 20}
TABLE_OFFSET, TABLE_SIZE = 0x8000, 0x1000

failures = []


def fail(msg):
    failures.append(msg)


def read_defaults(path):
    values = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"CONFIG_([A-Z0-9_]+)=(.*)", line)
        if not m:
            fail(f"{path.name}:{n}: not a CONFIG_X=value line: {line}")
            continue
        values[m.group(1)] = m.group(2)
    return values


def check_defaults():
    merged = {}
    files = sorted(PORT.glob("sdkconfig.defaults*"))
    if len(files) != 4:
        fail(f"expected sdkconfig.defaults and one per target (esp32, esp32s3, esp32c3), found {[f.name for f in files]}")
    for path in files:
        values = read_defaults(path)
        for sym, value in values.items():
            if sym not in KNOWN:
                fail(f"{path.name}: CONFIG_{sym} is not a known ESP-IDF v5.1-v6.x symbol (typo or renamed?)")
            if sym in RANGES:
                lo, hi = RANGES[sym]
                if not re.fullmatch(r"-?\d+", value) or not lo <= int(value) <= hi:
                    fail(f"{path.name}: CONFIG_{sym}={value} is outside ESP-IDF's range {lo}-{hi} "
                         "(the config tool would silently use the default instead)")
        merged.update(values)
    wdt = int(merged.get("ESP_TASK_WDT_TIMEOUT_S", "5"))
    if wdt < WDT_FLOOR_S:
        fail(f"CONFIG_ESP_TASK_WDT_TIMEOUT_S={wdt} is below {WDT_FLOOR_S} s, ten times the longest operation between feeds")
    return merged


def parse_int(text):
    text = text.strip()
    mult = {"K": 1 << 10, "M": 1 << 20}.get(text[-1:].upper(), 1)
    return int(text[:-1] if mult > 1 else text, 0) * mult


def check_partitions(defaults):
    flash = next((size for name, size in FLASH_SIZES.items() if defaults.get(f"ESPTOOLPY_FLASHSIZE_{name}") == "y"), None)
    if flash is None:
        fail("sdkconfig.defaults sets no CONFIG_ESPTOOLPY_FLASHSIZE_*")
        return
    if defaults.get("PARTITION_TABLE_CUSTOM_FILENAME") != '"partitions.csv"':
        fail("CONFIG_PARTITION_TABLE_CUSTOM_FILENAME does not name partitions.csv")
    rows = [r for r in csv.reader((PORT / "partitions.csv").read_text().splitlines())
            if r and not r[0].lstrip().startswith("#")]
    parts = []
    for row in rows:
        name, ptype, subtype, offset, size = (f.strip() for f in row[:5])
        parts.append((name, ptype, subtype, parse_int(offset), parse_int(size)))
    names = [p[0] for p in parts]
    if len(set(names)) != len(names):
        fail(f"duplicate partition names: {names}")
    apps = [p for p in parts if p[1] == "app"]
    if len(apps) != 1 or apps[0][2] != "factory":
        fail(f"expected one factory app partition, got {apps}")
    end_prev = TABLE_OFFSET + TABLE_SIZE
    for name, ptype, subtype, offset, size in sorted(parts, key=lambda p: p[3]):
        align = 0x10000 if ptype == "app" else 0x1000
        if offset % align or size % 0x1000:
            fail(f"{name}: offset {offset:#x} / size {size:#x} not aligned to {align:#x} / 0x1000")
        if offset < end_prev:
            fail(f"{name}: starts at {offset:#x}, overlapping what ends at {end_prev:#x}")
        end_prev = offset + size
        if ptype not in ("app", "data") and not 0x40 <= int(ptype, 0) <= 0xFE:
            fail(f"{name}: type {ptype} is neither app/data nor application-defined (0x40-0xFE)")
    if end_prev > flash:
        fail(f"partitions end at {end_prev:#x}, beyond the {flash:#x}-byte flash of sdkconfig.defaults")
    if "qiot" not in names:
        fail("no qiot partition (the module store)")


check_partitions(check_defaults())
for f in failures:
    print(f"sdkconfig_test: {f}", file=sys.stderr)
if failures:
    sys.exit(1)
print("sdkconfig_test: sdkconfig.defaults* and partitions.csv OK")
