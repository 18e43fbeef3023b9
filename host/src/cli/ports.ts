// qiot-command: 120 ports — list serial devices and running emulated boards (qiot emulate) to pass as --port
// `qiot ports [--probe]`: the serial devices serialport enumerates plus the emulated
// boards `qiot emulate` registered (boards/emulator-registry.ts). Other pseudo-terminals
// (the user's own terminals) are not listed, and --probe writes HELLO only to serial
// devices and registered emulators, never into a terminal. Enumeration needs udevadm on
// Linux; without it the error is explained and the emulators are still listed.
import type { Command } from 'commander';
import { SerialPort } from 'serialport';
import { type EmulatorEntry, listEmulators } from '../boards/emulator-registry.ts';
import { DeviceClient } from '../device/client.ts';
import { REAL_BOARD } from '../realboard/limits.ts';

interface PortsOptions {
  json?: boolean;
  probe?: boolean;
}

export interface SerialDevice {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface PortListing {
  serial: SerialDevice[];
  emulators: EmulatorEntry[];
  /** Why serial enumeration failed, if it did. */
  enumerationError: string | null;
}

/** What --probe found on a port: the board's name and firmware, or why it is not a qiot board. */
export type ProbeResult = { qiot: true; board: string; firmware: string } | { qiot: false; reason: string };

/** Device paths of serial hardware (USB-UART bridges, CDC-ACM, on-board UARTs; macOS /dev/cu.*): the only
 *  ports besides registered emulators that --probe writes to. */
const SERIAL_DEVICE = /^\/dev\/(tty(USB|ACM|S|AMA)\d+|cu\..+)$/;

export const isSerialDevice = (path: string): boolean => SERIAL_DEVICE.test(path);

export async function listPorts(): Promise<PortListing> {
  let serial: SerialDevice[] = [];
  let enumerationError: string | null = null;
  try {
    serial = (await SerialPort.list())
      .filter(({ path }) => isSerialDevice(path))
      .map(({ path, manufacturer, serialNumber, vendorId, productId }) => ({ path, manufacturer, serialNumber, vendorId, productId }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    enumerationError =
      e.code === 'ENOENT'
        ? 'serial port enumeration needs udevadm (package udev), which is not installed; real ports can still be opened by path'
        : `serial port enumeration failed: ${e.message}`;
  }
  return { serial, emulators: listEmulators(), enumerationError };
}

/** HELLO without restarting the board (no DTR/RTS pulse), answered within REAL_BOARD.probeTimeoutMs or not a qiot board. */
export async function probePort(path: string): Promise<ProbeResult> {
  try {
    const client = await DeviceClient.open(path, { reset: 'none', timeoutMs: REAL_BOARD.probeTimeoutMs, onWarning: () => undefined });
    await client.close();
    return { qiot: true, board: client.info.boardName, firmware: client.info.firmwareVersion };
  } catch (err) {
    return { qiot: false, reason: (err as Error).message.split('\n')[0] };
  }
}

export function register(program: Command): void {
  program
    .command('ports')
    .description('list serial devices and running emulated boards (qiot emulate) to pass as --port')
    .option('--probe', 'send HELLO to each (serial devices and emulators only) and mark the qiot boards')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Pseudo-terminals are listed only when a running \`qiot emulate\` registered them (your own terminals are /dev/pts/N too).
--probe does not restart boards; a board busy with another program is reported as not answering.
Exit codes: 0 listed (also when enumeration is unavailable or nothing answers), 2 bad usage.`,
    )
    .action(async (opts: PortsOptions) => {
      const listing = await listPorts();
      const paths = [...listing.serial.map((p) => p.path), ...listing.emulators.map((e) => e.port)];
      const probes = opts.probe ? new Map(await Promise.all(paths.map(async (p) => [p, await probePort(p)] as const))) : null;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...listing, ...(probes ? { probe: Object.fromEntries(probes) } : {}) })}\n`);
        return;
      }
      if (listing.enumerationError) process.stderr.write(`qiot: ${listing.enumerationError}\n`);
      const mark = (path: string) => {
        const r = probes?.get(path);
        if (!r) return '';
        return r.qiot ? `  [qiot board: ${r.board}, firmware ${r.firmware}]` : '  [no qiot answer]';
      };
      for (const p of listing.serial) {
        const details = [p.manufacturer, p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : undefined].filter(Boolean);
        process.stdout.write(`${p.path}${details.length > 0 ? `  ${details.join(' ')}` : ''}${mark(p.path)}\n`);
      }
      for (const e of listing.emulators) {
        process.stdout.write(
          `${e.port}  emulated ${e.board} board (qiot emulate, pid ${e.pid}${e.link ? `, link ${e.link}` : ''})${mark(e.port)}\n`,
        );
      }
      if (paths.length === 0) process.stdout.write('no serial devices or emulated boards found\n');
    });
}
