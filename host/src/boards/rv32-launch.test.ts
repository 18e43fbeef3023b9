// The rv32 launcher's own checks, without starting QEMU.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoardLaunchError } from './board.ts';
import { ensureFlashImage, launchRv32Board, rv32QemuArgs } from './rv32.ts';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'qiot-rv32-launch-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('ensureFlashImage', () => {
  it('creates a 32 MiB store image that QEMU accepts as pflash', () => {
    const image = join(scratch, 'nested', 'store.img');
    ensureFlashImage(image);
    expect(statSync(image).size).toBe(32 * 1024 * 1024);
    ensureFlashImage(image); // an existing image of the right size is kept
    expect(statSync(image).size).toBe(32 * 1024 * 1024);
  });

  it('refuses an image of another size instead of letting QEMU fail', () => {
    const image = join(scratch, 'posix.state');
    writeFileSync(image, Buffer.alloc(1000));
    expect(() => ensureFlashImage(image)).toThrow(/posix\.state is 1000 bytes; QEMU's pflash needs exactly 33554432/);
  });
});

describe('rv32QemuArgs', () => {
  it('boots the ELF as the machine firmware, the store on pflash unit 1, the UART on a pty', () => {
    const args = rv32QemuArgs('/fw.elf', '/store.img', false).join(' ');
    expect(args).toContain('-M virt');
    expect(args).toContain('-bios /fw.elf');
    expect(args).toContain('-drive if=pflash,unit=1,format=raw,file=/store.img');
    expect(args).toContain('-serial pty');
    expect(args).not.toContain('-icount');
    expect(args).toContain('-monitor none');
    expect(rv32QemuArgs('/fw.elf', '/store.img', true).join(' ')).toContain('-icount shift=0');
    expect(rv32QemuArgs('/fw.elf', '/store.img', false, '/tmp/m.sock').join(' ')).toContain('-monitor unix:/tmp/m.sock,server=on,wait=off');
  });
});

describe('launchRv32Board', () => {
  it('names a missing firmware and how to build it', async () => {
    await expect(launchRv32Board({ elf: join(scratch, 'none.elf') })).rejects.toThrow(/none\.elf not found: run `make firmware-rv32`/);
  });

  it('names a missing QEMU', async () => {
    const elf = join(scratch, 'fw.elf');
    writeFileSync(elf, 'not really an ELF');
    const error = await launchRv32Board({ elf, qemu: join(scratch, 'no-such-qemu') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BoardLaunchError);
    expect((error as Error).message).toMatch(/cannot start .*no-such-qemu.*install qemu-system-misc/);
  });

  it("reports QEMU exiting before it opened its pty, in QEMU's own words", async () => {
    const elf = join(scratch, 'fw.elf');
    writeFileSync(elf, 'firmware');
    const qemu = join(scratch, 'failing-qemu');
    writeFileSync(qemu, '#!/bin/sh\necho "qemu-system-riscv32: -drive if=pflash: Permission denied" >&2\nexit 1\n');
    chmodSync(qemu, 0o755);
    await expect(launchRv32Board({ elf, qemu, flashImage: join(scratch, 'store.img') })).rejects.toThrow(
      /exited \(code 1\) before opening its pty:\nqemu-system-riscv32: -drive if=pflash: Permission denied/,
    );
  });
});
