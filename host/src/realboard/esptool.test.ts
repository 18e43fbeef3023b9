// Against the real esptool from PyPI (installed into build/esptool-venv on first run,
// the same venv `qiot flash-firmware` uses).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEsptool, esptoolVenv } from './esptool.ts';
import { ESPTOOL } from './limits.ts';
import { openPtyPair, type PtyPair } from '../../testing/pty-pair.ts';
import { ESPTOOL_HARD_RESET, type LineLevels } from './reset.ts';

const QIOT = fileURLToPath(new URL('../../bin/qiot.js', import.meta.url));
let esptool: string;

beforeAll(() => {
  esptool = ensureEsptool(() => {});
}, 300_000);

function runQiot(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [QIOT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('esptool venv', () => {
  it('holds the pinned version and is reused without reinstalling', () => {
    const logged: string[] = [];
    expect(ensureEsptool((l) => logged.push(l))).toBe(esptool);
    expect(logged).toEqual([]);
    const version = spawnSync(esptool, ['version'], { encoding: 'utf8' });
    expect(version.stdout).toContain(ESPTOOL.version);
  });
});

describe('reset sequence against esptool itself', () => {
  it('matches the line states esptool HardReset produces', () => {
    // esptool's own HardReset on a fake pyserial port that records the state of both
    // lines after every call; DTR starts de-asserted, as esptool leaves it after connecting.
    const script = `
import json, time
import esptool.reset as reset
events = []
class FakePort:
    name = "fake"
    def __init__(self): self.dtr, self.rts = False, False
    def isOpen(self): return True
    def setDTR(self, v): self.dtr = v; events.append({"lines": {"dtr": self.dtr, "rts": self.rts}})
    def setRTS(self, v): self.rts = v; events.append({"lines": {"dtr": self.dtr, "rts": self.rts}})
time.sleep = lambda s: events.append({"waitMs": round(s * 1000)})
reset.HardReset(FakePort())()
print(json.dumps(events))
`;
    const run = spawnSync(join(esptoolVenv(), 'bin', 'python'), ['-c', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const events = JSON.parse(run.stdout) as Array<{ lines: LineLevels } | { waitMs: number }>;
    // esptool re-sends DTR after every RTS change (a Windows driver work-around), which
    // repeats the same state; collapse repeats before comparing.
    const collapsed = events.filter((e, i) => i === 0 || JSON.stringify(e) !== JSON.stringify(events[i - 1]));
    expect(collapsed).toEqual(ESPTOOL_HARD_RESET);
  });
});

describe('qiot flash-firmware', () => {
  let pty: PtyPair;
  let build: string;

  beforeAll(async () => {
    pty = await openPtyPair();
    build = mkdtempSync(join(tmpdir(), 'qiot-idf-build-'));
    const files: Record<string, string> = {
      '0x0': 'bootloader/bootloader.bin',
      '0x8000': 'partition_table/partition-table.bin',
      '0x10000': 'qiot.bin',
    };
    for (const file of Object.values(files)) {
      mkdirSync(join(build, file, '..'), { recursive: true });
      writeFileSync(join(build, file), Buffer.alloc(4096, 0xa5));
    }
    writeFileSync(
      join(build, 'flasher_args.json'),
      JSON.stringify({
        write_flash_args: ['--flash_mode', 'dio', '--flash_size', '2MB', '--flash_freq', '80m'],
        flash_files: files,
        extra_esptool_args: { after: 'hard_reset', before: 'default_reset', stub: true, chip: 'esp32c3' },
      }),
    );
  });
  afterAll(() => {
    pty?.close();
    rmSync(build, { recursive: true, force: true });
  });

  it("hands the build to esptool, which finds no chip on a silent port: exit 3 with esptool's reason", async () => {
    // The PTY's other end stays silent, so esptool parses every argument, opens the port,
    // tries to sync with the ROM and gives up: the whole path short of real hardware.
    const { code, stderr } = await runQiot(['flash-firmware', '--port', pty.host, '--chip', 'esp32c3', '--build-dir', build]);
    expect(stderr).toMatch(
      /esptool --chip esp32c3 --port \S+ --baud 460800 --before default-reset --after hard-reset write-flash --flash-mode dio/,
    );
    expect(stderr).not.toMatch(/Deprecated/);
    expect(stderr).toMatch(
      /qiot: esptool could not reach a chip on \S+: Failed to connect to ESP32-C3: No serial data received\. \(docs\/boards\.md/,
    );
    expect(code).toBe(3);
  }, 60_000);

  it('exits 2 naming the build directory when there is none', async () => {
    const { code, stderr } = await runQiot(['flash-firmware', '--port', pty.host, '--build-dir', join(build, 'missing')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/build directory .*missing does not exist: build the firmware first/);
  });

  it('exits 2 on a chip qiot does not support', async () => {
    const { code, stderr } = await runQiot(['flash-firmware', '--port', pty.host, '--chip', 'esp8266', '--build-dir', build]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/option '--chip <chip>' argument 'esp8266' is invalid. expected one of esp32, esp32s3, esp32c3/);
  });
});
